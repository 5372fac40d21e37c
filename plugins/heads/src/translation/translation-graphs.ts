import { GraphBuilder, type EmbeddingPart, type EncoderPart, type Value } from '@recur/runtime';
import { validMask } from '../pooling.js';
import type { Seq2SeqDecoderPart } from './decoder-contract.js';
import type { Seq2SeqHead } from './seq2seq-head.js';

/** Input and output names of the two translation units. */
export const TRANSLATION_UNITS = {
  encoder: 'encoder',
  decoderStep: 'decoder-step',
  sourceIds: 'src_ids',
  sourceLengths: 'src_lengths',
  memory: 'memory',
  keys: 'keys',
  previousIds: 'prev_ids',
  logProbs: 'log_probs',
  topLogProbs: 'top_log_probs',
  topIds: 'top_ids',
  topK: 'top_k',
  attention: 'attention',
  stateIn: (s: string) => `state_${s}`,
  stateOut: (s: string) => `next_${s}`,
} as const;

/** The parts of a translation pipeline, created from the spec. */
export interface TranslationParts {
  readonly sourceEmbedding: EmbeddingPart;
  readonly sourceEncoder: EncoderPart;
  readonly targetEmbedding: EmbeddingPart;
  readonly decoder: Seq2SeqDecoderPart;
  readonly head: Seq2SeqHead;
}

const U = TRANSLATION_UNITS;

function decoderSizes(parts: TranslationParts) {
  return { memoryDim: parts.sourceEncoder.outputDim, inputDim: parts.targetEmbedding.outputDim };
}

/**
 * The `encoder` unit: src_ids [S, B] int64, src_lengths [B] int32 -> memory [S, B, M], keys
 * [S, B, A] (the attention's projection of the memory) and the decoder's initial state
 * `state_<name>` [rows, B, size]. Parameter scopes: `source.embedding`, `source.encoder`, `decoder`.
 */
export function buildEncoderGraph(parts: TranslationParts): GraphBuilder {
  const g = new GraphBuilder(U.encoder);
  const ids = g.input(U.sourceIds, 'int64', ['src_time', 'batch']);
  const lengths = g.input(U.sourceLengths, 'int32', ['batch']);
  const source = g.scope('source');
  const x = parts.sourceEmbedding.build(source.scope('embedding'), ids);
  const encoded = parts.sourceEncoder.build(source.scope('encoder'), x, lengths);
  const decoder = parts.decoder.declare(g.scope('decoder'), decoderSizes(parts));
  g.output(encoded.sequence, U.memory, 'float32', ['src_time', 'batch', parts.sourceEncoder.outputDim]);
  g.output(decoder.keys(g, encoded.sequence), U.keys, 'float32', ['src_time', 'batch', 'attention']);
  const initial = decoder.initialState(g, encoded, lengths);
  for (const s of parts.decoder.stateNames)
    g.output(initial[s], U.stateOut(s), 'float32', [`${s}_rows`, 'batch', `${s}_size`]);
  return g;
}

/**
 * The `decoder-step` unit, one target step for every row (sentences x beams):
 *   inputs:  prev_ids [B] int64, memory [S, B, M], keys [S, B, A], src_lengths [B] int32,
 *            state_<name> [rows, B, size], top_k [1] int64 (1..vocab: how many candidates to rank; a
 *            search asks for what it needs, greedy 1 and beam search 2 x beam)
 *   outputs: log_probs [B, vocab] (log-softmax of the head's logits), next_<name>, attention [B, S],
 *            top_log_probs / top_ids [B, top_k] (float32 / int32): the best
 *            candidates of each row, best first, ties by lower id (ONNX TopK, as topKIndices does)
 * Parameter scopes: `target.embedding`, `decoder`, `head`.
 */
export function buildDecoderStepGraph(parts: TranslationParts): GraphBuilder {
  const g = new GraphBuilder(U.decoderStep);
  const previous = g.input(U.previousIds, 'int64', ['batch']);
  const memory = g.input(U.memory, 'float32', ['src_time', 'batch', parts.sourceEncoder.outputDim]);
  const keys = g.input(U.keys, 'float32', ['src_time', 'batch', 'attention']);
  const lengths = g.input(U.sourceLengths, 'int32', ['batch']);
  const state: Record<string, Value> = {};
  for (const s of parts.decoder.stateNames)
    state[s] = g.input(U.stateIn(s), 'float32', [`${s}_rows`, 'batch', `${s}_size`]);

  const embedded = g.squeeze(
    parts.targetEmbedding.build(g.scope('target').scope('embedding'), g.unsqueeze(previous, [0])),
    [0],
  ); // [B, E]
  const decoder = parts.decoder.declare(g.scope('decoder'), decoderSizes(parts));
  const step = decoder.step(g, embedded, state, { memory, keys, mask: validMask(g, memory, lengths) });
  const logits = parts.head.project(g.scope('head'), step.output, decoder.outputDim);
  const logProbs = g.logSoftmax(logits, 1);
  g.output(logProbs, U.logProbs, 'float32', ['batch', parts.head.vocabSize]);
  const k = g.input(U.topK, 'int64', [1]);
  const [topValues, topIds] = g.op('TopK', [logProbs, k], { axis: 1, largest: 1, sorted: 1 }, 2) as [Value, Value];
  g.output(topValues, U.topLogProbs, 'float32', ['batch', 'k']);
  g.output(g.cast(topIds, 'int32'), U.topIds, 'int32', ['batch', 'k']);
  for (const s of parts.decoder.stateNames)
    g.output(step.state[s], U.stateOut(s), 'float32', [`${s}_rows`, 'batch', `${s}_size`]);
  g.output(step.attention, U.attention, 'float32', ['batch', 'src_time']);
  return g;
}
