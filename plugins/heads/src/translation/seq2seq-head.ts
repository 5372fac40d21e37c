import {
  definePlugin,
  RuntimeErrors as E,
  type GraphBuilder,
  type HeadPart,
  type JsonSchema,
  type Value,
} from '@recur/runtime';

/** Search settings of translation; the spec's `head.search` sets defaults, calls may override. */
export interface SearchSettings {
  /** Beam size; 1 is greedy decoding. @defaultValue 1 */
  readonly beam?: number;
  /** Exponent alpha of the length normalisation: score = sum of log-probs / length^alpha. @defaultValue 1 */
  readonly lengthPenalty?: number;
  /** Most target tokens per sentence, the end-of-sentence token included. @defaultValue 64 */
  readonly maxLength?: number;
}

export interface Seq2SeqHeadOptions {
  readonly search?: SearchSettings;
  readonly dropout?: number;
}

/**
 * The sequence-to-sequence head: the decoder's output layer over the target vocabulary, plus the
 * search defaults. Shapes: project: features [..., D] -> logits [..., vocab]; `build` applies it to
 * a whole decoder output sequence [T, B, D] (the `sequence` of the outputs it is given).
 * Parameters: `<scope>.W` [vocab, D], `<scope>.b` [vocab].
 */
export interface Seq2SeqHead extends HeadPart {
  readonly vocabSize: number;
  readonly search: SearchSettings;
  /** Dropout before the output layer, applied by training only. */
  readonly dropout: number;
  project(g: GraphBuilder, features: Value, inputDim: number): Value;
}

export function isSeq2SeqHead(head: unknown): head is Seq2SeqHead {
  return (
    typeof head === 'object' && head !== null && typeof (head as Seq2SeqHead).project === 'function' && 'search' in head
  );
}

/** Schemas of the search settings: the spec's `head.search` block and the translation call options. */
export const SEARCH_SETTINGS_SCHEMA: Readonly<Record<string, JsonSchema>> = {
  beam: { type: 'integer', minimum: 1, maximum: 64, default: 1, description: 'Beam size; 1 is greedy decoding.' },
  lengthPenalty: {
    type: 'number',
    minimum: -10,
    maximum: 10,
    default: 1,
    description:
      'Exponent alpha of the length normalisation of beam scores: sum of log-probs / length^alpha (0 compares raw sums, favouring short outputs).',
  },
  maxLength: {
    type: 'integer',
    minimum: 1,
    maximum: 4096,
    default: 64,
    description: 'Most target tokens per sentence, the end-of-sentence token included.',
  },
};

export const seq2seqHead = definePlugin<'head', Seq2SeqHeadOptions>({
  kind: 'head',
  type: 'seq2seq.v1',
  description: 'Scores the next target token from the decoder output, with greedy or beam search settings.',
  options: {
    type: 'object',
    properties: {
      search: {
        type: 'object',
        additionalProperties: false,
        default: {},
        description: 'Default search settings; each can be overridden per call.',
        properties: SEARCH_SETTINGS_SCHEMA,
      },
      dropout: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: 0,
        description: 'Dropout on the decoder output before the output layer, during training only.',
      },
    },
    additionalProperties: false,
  },
  create(options, ctx): Seq2SeqHead {
    const vocabSize = ctx.dims.vocabSize;
    if (vocabSize === undefined || vocabSize < 1) {
      throw E.SPEC_INVALID(
        "a seq2seq head needs the target tokenizer's vocabulary size; use it in a translation pipeline",
        { pointer: ctx.pointer },
      );
    }
    const project = (g: GraphBuilder, features: Value, inputDim: number): Value => {
      const W = g.param('W', [vocabSize, inputDim], { kind: 'xavier' });
      const b = g.param('b', [vocabSize], { kind: 'zeros' });
      return g.add(g.matMul(features, g.transpose(W, [1, 0])), b);
    };
    return {
      vocabSize,
      search: options.search ?? {},
      dropout: options.dropout ?? 0,
      project,
      build: (g, decoded, _lengths, inputDim) => ({ logits: project(g, decoded.sequence, inputDim) }),
    };
  },
});
