import type { DType, GraphBuilder, Value } from '@recur/runtime';
import { crossEntropyLoss } from '../../engine/losses.js';
import { applyDropout, type ForwardResult, type MaskInput } from '../../engine/training-graph.js';
import type { LmParts } from './lm-parts.js';

/** Input and output names of the language-model training and evaluation graphs. */
export const LM_GRAPH = {
  ids: 'ids',
  targets: 'targets',
  lengths: 'lengths',
  /** Initial state of a window, [layers, B, hidden] (the final state of the lane's previous window). */
  stateIn: (s: string) => `state_${s}`,
  /** Final state of a window, carried into the lane's next window. */
  stateOut: (s: string) => `next_${s}`,
} as const;

export interface LmForwardOptions {
  /** Cross-entropy over all targets of the window: mean (training) or sum (evaluation). */
  readonly reduction: 'mean' | 'sum';
  /** Apply the encoder's and the head's dropout (training); evaluation leaves it out. */
  readonly dropout: boolean;
}

/**
 * The forward graph of a recurrent language model over one window of a stream, built from the
 * pipeline's own parts in the scopes the inference unit `lm-step` uses, so that the parameter names
 * are the ones the shipped model reads (`embedding.table`, `encoder.layers.0.forward.W`, `head.W`):
 *
 *   ids [T, B] int64, targets [T, B] int64 (-100: no target), lengths [B] int32,
 *   state_<s> [layers, B, hidden] per state of the cell
 *   -> loss = cross-entropy(head(encoder(embedding(ids), state)), targets),
 *      next_<s> [layers, B, hidden]: the state after the window, for the next window of each lane.
 *
 * The output layer and the loss run over all steps at once. Dropout: the embedding's `dropout` on the
 * token vectors, the encoder's `dropout` between layers and the head's `dropout` on the features,
 * each a mask input the trainer draws per step.
 */
export function languageModelWindowForward(g: GraphBuilder, parts: LmParts, options: LmForwardOptions): ForwardResult {
  const { embedding, encoder, head, state } = parts;
  const D = encoder.outputDim;
  const ids = g.input(LM_GRAPH.ids, 'int64', ['T', 'B']);
  const targets = g.input(LM_GRAPH.targets, 'int64', ['T', 'B']);
  const lengths = g.input(LM_GRAPH.lengths, 'int32', ['B']);
  const initial: Record<string, Value> = {};
  for (const s of state.names) initial[s] = g.input(LM_GRAPH.stateIn(s), 'float32', [state.rows, 'B', state.hidden]);

  const masks: MaskInput[] = [];
  const layerRate = options.dropout ? parts.layerDropout : 0;
  const betweenLayers = (gg: GraphBuilder, seq: Value, layer: number) =>
    applyDropout(gg, seq, `dropout.layer${layer}`, layerRate, ['T', 'B', D], masks);
  // The embedding's own `dropout` option, on the token vectors, as in classification.
  const hooks = {
    dropout: (gg: GraphBuilder, v: Value, name: string, rate: number, dims: readonly (number | string)[]) =>
      applyDropout(gg, v, name, options.dropout ? rate : 0, dims, masks),
  };
  const x = embedding.build(g.scope('embedding'), ids, hooks);
  const encoded = encoder.build(g.scope('encoder'), x, lengths, initial, { betweenLayers });
  const features = applyDropout(
    g,
    encoded.sequence,
    'dropout.output',
    options.dropout ? head.dropout : 0,
    ['T', 'B', D],
    masks,
  );
  const logits = head.project(g.scope('head'), g.reshape(features, [-1, D]), D); // [T*B, vocab]
  const loss = crossEntropyLoss(g, logits, g.reshape(targets, [-1]), options.reduction);

  const outputs: Record<string, { value: Value; dtype: DType }> = {};
  for (const s of state.names) {
    const final = encoded.final[s];
    if (final) outputs[LM_GRAPH.stateOut(s)] = { value: final, dtype: 'float32' };
  }
  return { loss, outputs, masks };
}
