import type { EncoderBuildOptions, EncoderPart, GraphBuilder } from '@recur/runtime';
import type { ForwardResult } from './training-graph.js';

/** Sizes of a recurrent language model Embedding(vocab, embed) -> encoder -> Linear(encoder.outputDim, vocab). */
export interface LmSizes {
  readonly vocab: number;
  readonly embed: number;
  /** Cross-entropy over all targets: mean (PyTorch's default) or sum. @defaultValue 'mean' */
  readonly reduction?: 'mean' | 'sum';
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
export function languageModelForward(g: GraphBuilder, encoder: EncoderPart, sizes: LmSizes, hooks?: EncoderBuildOptions): ForwardResult {
  const ids = g.input('ids', 'int64', ['T', 'B']);
  const targets = g.input('targets', 'int64', ['T', 'B']);
  const lengths = g.input('lengths', 'int32', ['B']);
  const table = g.scope('embedding').param('table', [sizes.vocab, sizes.embed], { kind: 'normal', std: 1 });
  const x = g.gather(table, ids, 0);
  const encoded = encoder.build(g.scope('encoder'), x, lengths, undefined, hooks);
  const head = g.scope('head');
  const D = encoder.outputDim;
  const W = head.param('W', [sizes.vocab, D], { kind: 'xavier' });
  const b = head.param('b', [sizes.vocab], { kind: 'zeros' });
  const features = g.reshape(encoded.sequence, [-1, D]);
  const logits = g.gemm(features, W, b, { transB: true }); // [T*B, vocab]
  const [loss] = g.op('SoftmaxCrossEntropyLoss', [logits, g.reshape(targets, [-1])], { reduction: sizes.reduction ?? 'mean', ignore_index: -100 }, 2);
  return { loss: loss! };
}
