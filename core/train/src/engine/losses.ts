import type { DType, GraphBuilder, Value } from '@recur/runtime';

/** Targets equal to this are not scored (padding), as PyTorch's `ignore_index` default. */
export const IGNORE_TARGET = -100;

/**
 * Cross-entropy of logits [N, C] against int64 targets [N], mean or sum over the targets that are not
 * IGNORE_TARGET (PyTorch's `cross_entropy`). Built from LogSoftmax + GatherElements, whose gradient the
 * autodiff fuses into three passes over the logits (and whose forward runs faster here than ONNX's
 * SoftmaxCrossEntropyLoss, which ONNX Runtime expands into a longer subgraph).
 */
export function crossEntropyLoss(
  g: GraphBuilder,
  logits: Value,
  targets: Value,
  reduction: 'mean' | 'sum' = 'mean',
  dtype: DType = 'float32',
): Value {
  const valid = g.not(g.equal(targets, g.scalar(IGNORE_TARGET, 'int64')));
  const safe = g.unsqueeze(g.where(valid, targets, g.scalar(0, 'int64')), [1]); // [N, 1]
  const picked = g.op1('GatherElements', [g.logSoftmax(logits, 1), safe], { axis: 1 }); // [N, 1]
  const weight = g.cast(g.unsqueeze(valid, [1]), dtype);
  const total = g.neg(g.reduceSum(g.mul(picked, weight), [], false));
  return reduction === 'sum' ? total : g.div(total, g.reduceSum(weight, [], false));
}
