import {
  RuntimeErrors as E,
  type EmbeddingPart,
  type EncoderOutputs,
  type EncoderPart,
  type GraphBuilder,
  type TokenizerPart,
  type Value,
} from '@recur/runtime';
import { type PipelineContext } from '@recur/runtime/internal';

/*
 * The trainer knows no plugin by name (dependencies point one way: plugins depend on the runtime, never the reverse), so the translation task's decoder and head
 * contracts are read here structurally: the same functions the inference units call
 * (`declare` -> `keys`/`prepare`/`initialState`/`step`, `project`), checked when the parts are made.
 */

/** Sizes that flow into the decoder (the translation task's `DecoderSizes`). */
export interface DecoderSizesView {
  readonly memoryDim: number;
  readonly inputDim: number;
}

/** What a decoder step reads about the source (the task's `AttentionMemory`). */
export interface SourceMemoryView {
  readonly memory: Value;
  readonly keys: Value;
  readonly mask: Value;
}

/** The decoder's graph functions (the task's `DecoderGraph`). */
export interface DecoderGraphView {
  readonly outputDim: number;
  prepare(g: GraphBuilder, memory: Value, lengths: Value): SourceMemoryView;
  initialState(g: GraphBuilder, encoded: EncoderOutputs, lengths: Value): Readonly<Record<string, Value>>;
  step(
    g: GraphBuilder,
    input: Value,
    state: Readonly<Record<string, Value>>,
    source: SourceMemoryView,
  ): { readonly state: Readonly<Record<string, Value>>; readonly output: Value };
}

/** A seq2seq decoder part (the task's `Seq2SeqDecoderPart`), with its training-only dropout. */
export interface DecoderView {
  readonly stateNames: readonly string[];
  /** Dropout on the embedded target tokens and on the decoder output, training only. */
  readonly dropout?: number;
  declare(g: GraphBuilder, sizes: DecoderSizesView): DecoderGraphView;
}

/** A seq2seq head (the task's `Seq2SeqHead`): decoder features -> logits over the target vocabulary. */
export interface Seq2SeqHeadView {
  readonly vocabSize: number;
  /** Dropout before the output layer, training only. */
  readonly dropout?: number;
  project(g: GraphBuilder, features: Value, inputDim: number): Value;
}

/** Every part of a translation pipeline, made from the spec as the translation task makes them. */
export interface Seq2SeqParts {
  readonly sourceTokenizer: TokenizerPart;
  readonly targetTokenizer: TokenizerPart;
  readonly sourceEmbedding: EmbeddingPart;
  readonly sourceEncoder: EncoderPart;
  readonly targetEmbedding: EmbeddingPart;
  readonly decoder: DecoderView;
  readonly head: Seq2SeqHeadView;
  /** Target ids that open and close every target sentence (bos falls back to eos, as at inference). */
  readonly bos: number;
  readonly eos: number;
  /** Filler id of padded source steps (never read: lengths mask them). */
  readonly sourcePad: number;
  /** Filler id of padded target input steps (their outputs are not scored). */
  readonly targetPad: number;
}

function isDecoder(part: unknown): part is DecoderView {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as DecoderView).declare === 'function' &&
    Array.isArray((part as DecoderView).stateNames)
  );
}

function isHead(part: unknown): part is Seq2SeqHeadView {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as Seq2SeqHeadView).project === 'function' &&
    typeof (part as Seq2SeqHeadView).vocabSize === 'number'
  );
}

/**
 * Creates the parts at the pointers the translation task reads (`/source/*`, `/target/*`,
 * `/decoder`, `/head`), with the same upstream sizes, so that parameter shapes and names match
 * the inference units.
 */
export async function createSeq2SeqParts(ctx: PipelineContext): Promise<Seq2SeqParts> {
  const sourceTokenizer = await ctx.part('tokenizer', '/source/tokenizer');
  const sourceEmbedding = await ctx.part('embedding', '/source/embedding', { vocabSize: sourceTokenizer.vocabSize });
  const sourceEncoder = await ctx.part('encoder', '/source/encoder', { inputDim: sourceEmbedding.outputDim });
  const targetTokenizer = await ctx.part('tokenizer', '/target/tokenizer');
  const targetEmbedding = await ctx.part('embedding', '/target/embedding', { vocabSize: targetTokenizer.vocabSize });
  const decoder: unknown = await ctx.part('decoder', '/decoder', { inputDim: targetEmbedding.outputDim });
  if (!isDecoder(decoder)) {
    throw E.SPEC_INVALID(
      'seq2seq training needs a decoder that follows the seq2seq decoder contract (declare, stateNames), such as "attention-decoder"',
      { pointer: '/decoder/type', expected: 'attention-decoder' },
    );
  }
  const head: unknown = await ctx.part('head', '/head', { vocabSize: targetTokenizer.vocabSize });
  if (!isHead(head)) {
    throw E.SPEC_INVALID(
      'seq2seq training needs a head that scores target tokens (project, vocabSize), such as "seq2seq"',
      { pointer: '/head/type', expected: 'seq2seq' },
    );
  }
  const eos = targetTokenizer.special.eos;
  if (eos === undefined) {
    throw E.SPEC_INVALID(
      'the target tokenizer has no end-of-sentence token; seq2seq training needs one (such as "</s>") to teach the decoder where a sentence ends',
      {
        pointer: '/target/tokenizer',
        expected: 'a tokenizer with an eos token',
      },
    );
  }
  return {
    sourceTokenizer,
    targetTokenizer,
    sourceEmbedding,
    sourceEncoder,
    targetEmbedding,
    decoder,
    head,
    eos,
    // As the translation task does: without a start token, the end token opens the target.
    bos: targetTokenizer.special.bos ?? eos,
    sourcePad: sourceTokenizer.special.pad ?? sourceTokenizer.special.unk ?? 0,
    targetPad: targetTokenizer.special.pad ?? eos,
  };
}
