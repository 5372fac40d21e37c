import { GraphBuilder, RuntimeErrors as E, type EmbeddingPart, type EncoderPart, type Value } from '@recur/runtime';
import { recurrentStateShape, type RecurrentStateShape } from '@recur/runtime/internal';
import type { LanguageModelHead } from './language-model-head.js';

/** The recurrent state a language model carries between steps: one tensor [rows, B, hidden] per name. */
export type StateShape = RecurrentStateShape;

/** Input and output names of the `lm-step` unit. */
export const LM_UNIT = {
  name: 'lm-step',
  ids: 'ids',
  lengths: 'lengths',
  logits: 'logits',
  stateIn: (s: string) => `state_${s}`,
  stateOut: (s: string) => `next_${s}`,
} as const;

/** The state layout of a generating encoder; a bidirectional or non-recurrent one is refused. */
export function stateShapeOf(encoder: EncoderPart): StateShape {
  return recurrentStateShape(encoder, 'text generation carries the recurrent state from step to step');
}

/**
 * The `lm-step` unit: embedding + encoder + language-model head in one graph.
 *   inputs:  ids [T, B] int64, lengths [B] int32, state_<s> [rows, B, hidden] per state
 *   outputs: logits [B, vocab] after each sequence's last valid step, next_<s> [rows, B, hidden]
 * T is free: the same unit prefills a whole prompt (padded, with lengths) and then runs one token
 * per step (T = 1), so both share one session and one copy of the weights.
 */
export function buildLanguageModelGraph(
  embedding: EmbeddingPart,
  encoder: EncoderPart,
  head: LanguageModelHead,
  state: StateShape,
): GraphBuilder {
  const g = new GraphBuilder(LM_UNIT.name);
  const ids = g.input(LM_UNIT.ids, 'int64', ['time', 'batch']);
  const lengths = g.input(LM_UNIT.lengths, 'int32', ['batch']);
  const initial: Record<string, Value> = {};
  for (const s of state.names) initial[s] = g.input(LM_UNIT.stateIn(s), 'float32', [state.rows, 'batch', state.hidden]);
  const x = embedding.build(g.scope('embedding'), ids);
  const encoded = encoder.build(g.scope('encoder'), x, lengths, initial);
  const { logits } = head.build(g.scope('head'), encoded, lengths, encoder.outputDim);
  g.output(logits, LM_UNIT.logits, 'float32', ['batch', head.vocabSize]);
  for (const s of state.names) {
    const final = encoded.final[s];
    if (!final) throw E.INTERNAL(`the encoder returned no final state "${s}"`, { pointer: '/encoder' });
    g.output(final, LM_UNIT.stateOut(s), 'float32', [state.rows, 'batch', state.hidden]);
  }
  return g;
}
