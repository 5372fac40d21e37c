import {
  RuntimeErrors,
  type EmbeddingPart,
  type EncoderPart,
  type GraphBuilder,
  type PartBlock,
  type TokenizerPart,
  type Value,
} from '@recur/runtime';
import { recurrentStateShape, type PipelineContext, type RecurrentStateShape } from '@recur/runtime/internal';

/**
 * What the language-model objective needs from a head: the output layer over whole sequences
 * (features [..., D] -> logits [..., vocab]) and its training dropout. The built-in `language-model`
 * head provides it; the trainer names no plugin, so it checks the shape of the part instead.
 */
export interface ProjectingHead {
  readonly vocabSize: number;
  readonly dropout: number;
  project(g: GraphBuilder, features: Value, inputDim: number): Value;
}

/** The recurrent state a language model carries: one tensor [rows, B, hidden] per state name. */
export type LmStateShape = RecurrentStateShape;

/** The pipeline's own parts, created as the text-generation task creates them. */
export interface LmParts {
  readonly tokenizer: TokenizerPart;
  readonly embedding: EmbeddingPart;
  readonly encoder: EncoderPart;
  readonly head: ProjectingHead;
  readonly state: LmStateShape;
  /** The encoder's dropout between layers (its `dropout` option). */
  readonly layerDropout: number;
}

/**
 * Creates tokenizer, embedding, encoder and head from the spec through `ctx`, with the dimensions
 * flowing from part to part. `encoderBlock` replaces the spec's encoder block (evaluation builds the
 * same encoder on its fast inference path; the parameters are the same).
 */
export async function createLmParts(ctx: PipelineContext, encoderBlock?: PartBlock): Promise<LmParts> {
  const tokenizer = await ctx.part('tokenizer', '/tokenizer');
  const embedding = await ctx.part('embedding', '/embedding', { vocabSize: tokenizer.vocabSize });
  const dims = { inputDim: embedding.outputDim };
  const encoder = encoderBlock
    ? await ctx.create('encoder', encoderBlock, '/encoder', dims)
    : await ctx.part('encoder', '/encoder', dims);
  const head = await ctx.part('head', '/head', { inputDim: encoder.outputDim, vocabSize: tokenizer.vocabSize });
  if (!isProjectingHead(head)) {
    throw RuntimeErrors.SPEC_INVALID(
      'a language model trains a head that scores the next token over whole sequences, such as "language-model"',
      {
        pointer: '/head/type',
        expected: 'language-model',
      },
    );
  }
  // The state carried from window to window in training is the state carried from step to step in generation.
  const state = recurrentStateShape(encoder, 'a language model carries the recurrent state from window to window');
  const layerDropout = (encoder as Partial<{ dropout: number }>).dropout ?? 0;
  return { tokenizer, embedding, encoder, head, state, layerDropout };
}

function isProjectingHead(head: unknown): head is ProjectingHead {
  const h = head as Partial<ProjectingHead> | null;
  return typeof h === 'object' && h !== null && typeof h.project === 'function' && typeof h.vocabSize === 'number';
}
