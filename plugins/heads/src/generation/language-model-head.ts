import {
  definePlugin,
  RuntimeErrors as E,
  type EncoderOutputs,
  type GraphBuilder,
  type HeadPart,
  type Value,
} from '@recur/runtime';
import { generateSchema, type GenerateSettings } from './generation-options.js';

export interface LanguageModelHeadOptions {
  readonly generate?: GenerateSettings;
  readonly dropout?: number;
}

/**
 * The language-model head as tasks and the trainer see it. Shapes:
 *   project: features [..., D] -> logits [..., vocab]     (training: the whole sequence at once)
 *   build:   encoder outputs   -> { logits [B, vocab] }  at each sequence's last valid step
 * Parameters: `<scope>.W` [vocab, D], `<scope>.b` [vocab].
 */
export interface LanguageModelHead extends HeadPart {
  readonly vocabSize: number;
  /** The spec's `generate` block: defaults of every call. */
  readonly generate: GenerateSettings;
  /** Dropout on the features before the output layer, applied by training only. */
  readonly dropout: number;
  project(g: GraphBuilder, features: Value, inputDim: number): Value;
}

/** True for a head that can drive text generation. */
export function isLanguageModelHead(head: unknown): head is LanguageModelHead {
  return (
    typeof head === 'object' &&
    head !== null &&
    typeof (head as LanguageModelHead).project === 'function' &&
    typeof (head as LanguageModelHead).vocabSize === 'number' &&
    'generate' in head
  );
}

/**
 * The encoder's output at each sequence's last valid step: sequence [T, B, D], lengths [B] ->
 * [B, D]. Works for any encoder, whatever its final states.
 */
export function lastValidStep(g: GraphBuilder, sequence: Value, lengths: Value): Value {
  const batchMajor = g.transpose(sequence, [1, 0, 2]); // [B, T, D]
  const last = g.unsqueeze(g.cast(g.sub(lengths, g.scalar(1, 'int32')), 'int64'), [1]); // [B, 1]
  return g.op1('GatherND', [batchMajor, last], { batch_dims: 1 });
}

export const languageModelHead = definePlugin<'head', LanguageModelHeadOptions>({
  kind: 'head',
  type: 'language-model.v1',
  description:
    'Scores the next token after each step (a linear layer over the vocabulary), with default generation settings.',
  options: {
    type: 'object',
    properties: {
      generate: generateSchema,
      dropout: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: 0,
        description: 'Dropout on the encoder output before the output layer, during training only.',
      },
    },
    additionalProperties: false,
  },
  create(options, ctx): LanguageModelHead {
    const vocabSize = ctx.dims.vocabSize;
    if (vocabSize === undefined || vocabSize < 1) {
      throw E.SPEC_INVALID(
        "a language-model head needs the tokenizer's vocabulary size; use it in a text-generation pipeline",
        { pointer: ctx.pointer },
      );
    }
    const params = (g: GraphBuilder, inputDim: number) => ({
      W: g.param('W', [vocabSize, inputDim], { kind: 'xavier' }),
      b: g.param('b', [vocabSize], { kind: 'zeros' }),
    });
    return {
      vocabSize,
      generate: options.generate ?? {},
      dropout: options.dropout ?? 0,
      project(g, features, inputDim) {
        const { W, b } = params(g, inputDim);
        return g.add(g.matMul(features, g.transpose(W, [1, 0])), b);
      },
      build(g, encoded: EncoderOutputs, lengths, inputDim) {
        const { W, b } = params(g, inputDim);
        return { logits: g.gemm(lastValidStep(g, encoded.sequence, lengths), W, b, { transB: true }) };
      },
    };
  },
});
