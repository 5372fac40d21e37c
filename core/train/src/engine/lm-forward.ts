import type { EncoderPart, GraphBuilder } from '@recur/runtime';
import { crossEntropyLoss } from './losses.js';
import { applyDropout, type ForwardResult, type MaskInput } from './training-graph.js';

/** Sizes of a recurrent language model Embedding(vocab, embed) -> encoder -> Linear(encoder.outputDim, vocab). */
export interface LmSizes {
  readonly vocab: number;
  readonly embed: number;
  /** Cross-entropy over all targets: mean (PyTorch's default) or sum. @defaultValue 'mean' */
  readonly reduction?: 'mean' | 'sum';
  /** Dropout between encoder layers (the encoder's `dropout`). @defaultValue 0 */
  readonly layerDropout?: number;
  /** Dropout on the encoder's output before the output layer (the head's `dropout`). @defaultValue 0 */
  readonly outputDropout?: number;
}

/** Names of the language model's own parameters (the encoder's are `encoder.*`). */
export const LM_PARAMS = { embedding: 'embedding.table', outW: 'head.W', outB: 'head.b' } as const;

/**
 * The training forward graph of a recurrent language model, time-major:
 *   ids [T, B] int64, targets [T, B] int64 (-100 = no target), lengths [B] int32
 *   -> loss = cross-entropy(Linear(encoder(Embedding(ids))), targets)
 * Parameters `embedding.table` [vocab, embed], `encoder.*`, `head.W` [vocab, D], `head.b` [vocab] (PyTorch's
 * nn.Embedding and nn.Linear layouts). The output layer and the loss run over all steps at once.
 */
export function languageModelForward(g: GraphBuilder, encoder: EncoderPart, sizes: LmSizes): ForwardResult {
  const ids = g.input('ids', 'int64', ['T', 'B']);
  const targets = g.input('targets', 'int64', ['T', 'B']);
  const lengths = g.input('lengths', 'int32', ['B']);
  const table = g.scope('embedding').param('table', [sizes.vocab, sizes.embed], { kind: 'normal', std: 1 });
  const x = g.gather(table, ids, 0);
  const D = encoder.outputDim;
  const masks: MaskInput[] = [];
  const betweenLayers = (gg: GraphBuilder, seq: typeof x, layer: number) =>
    applyDropout(gg, seq, `dropout.layer${layer}`, sizes.layerDropout ?? 0, ['T', 'B', D], masks);
  const encoded = encoder.build(g.scope('encoder'), x, lengths, undefined, { betweenLayers });
  const head = g.scope('head');
  const W = head.param('W', [sizes.vocab, D], { kind: 'xavier' });
  const b = head.param('b', [sizes.vocab], { kind: 'zeros' });
  const features = g.reshape(
    applyDropout(g, encoded.sequence, 'dropout.output', sizes.outputDropout ?? 0, ['T', 'B', D], masks),
    [-1, D],
  );
  const logits = g.gemm(features, W, b, { transB: true }); // [T*B, vocab]
  return { loss: crossEntropyLoss(g, logits, g.reshape(targets, [-1]), sizes.reduction ?? 'mean'), masks };
}
