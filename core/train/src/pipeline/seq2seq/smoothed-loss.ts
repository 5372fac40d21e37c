import type { GraphBuilder, Value } from '@recur/runtime';
import { IGNORE_TARGET } from '../../engine/losses.js';

/**
 * Cross-entropy with label smoothing, as PyTorch's `cross_entropy(label_smoothing=eps)` with
 * `ignore_index=-100` and mean reduction: per scored target,
 *   (1 - eps) * -log p(target) + eps * mean over the vocabulary of -log p(v),
 * averaged over the targets that are not IGNORE_TARGET. logits [N, C], targets [N] int64.
 */
export function smoothedCrossEntropy(g: GraphBuilder, logits: Value, targets: Value, eps: number): Value {
  const valid = g.not(g.equal(targets, g.scalar(IGNORE_TARGET, 'int64')));
  const safe = g.unsqueeze(g.where(valid, targets, g.scalar(0, 'int64')), [1]); // [N, 1]
  const logProbs = g.logSoftmax(logits, 1);
  const picked = g.op1('GatherElements', [logProbs, safe], { axis: 1 }); // [N, 1]
  const uniform = g.reduceMean(logProbs, [1], true); // [N, 1]
  const perTarget = g.add(g.mul(picked, g.scalar(1 - eps)), g.mul(uniform, g.scalar(eps)));
  const weight = g.cast(g.unsqueeze(valid, [1]), 'float32');
  const total = g.neg(g.reduceSum(g.mul(perTarget, weight), [], false));
  return g.div(total, g.reduceSum(weight, [], false));
}
