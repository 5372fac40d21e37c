/** Softmax, LogSoftmax and the fused cross-entropy loss (opset 13 semantics: one axis, default -1). */
import type { Value } from '@recur/runtime';
import { normAxis } from '@recur/runtime/internal';
import type { GradRule, RuleArgs } from './types.js';

function axisOf(a: RuleArgs): number {
  return normAxis((a.node.attrs['axis'] as number | undefined) ?? -1, a.ctx.rank(a.node.inputs[0], a.node));
}

const softmax: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const { g } = a.ctx;
  const y: Value = { name: a.node.outputs[0] };
  const dot = g.reduceSum(g.mul(a.dy[0], y), [axisOf(a)], true);
  return [g.mul(y, g.sub(a.dy[0], dot))];
};

const logSoftmax: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const { g } = a.ctx;
  const y: Value = { name: a.node.outputs[0] };
  return [g.sub(a.dy[0], g.mul(g.exp(y), g.reduceSum(a.dy[0], [axisOf(a)], true)))];
};

/**
 * SoftmaxCrossEntropyLoss(scores [N, C, ...], labels [N, ...], weights? [C]) with reduction none, sum or
 * mean and an optional ignore_index. The gradient is (softmax - onehot) times each sample's factor: the
 * one-hot is subtracted in place with ScatterElements(add), cheaper than building it (see SPIKE.md).
 */
const softmaxCrossEntropy: GradRule = (a) => {
  const { ctx, node } = a;
  if (!a.needs[0] || (!a.dy[0] && !a.dy[1])) return [];
  const g = ctx.g;
  const scoresName = node.inputs[0];
  const dtype = ctx.dtype(scoresName);
  const labels: Value = { name: node.inputs[1] };
  const reduction = (node.attrs['reduction'] as string | undefined) ?? 'mean';
  const ignore = node.attrs['ignore_index'] as number | undefined;
  const logProb: Value = node.outputs[1] ? { name: node.outputs[1] } : g.logSoftmax({ name: scoresName }, 1);
  const prob = g.exp(logProb);
  let result: Value | undefined;

  if (a.dy[0]) {
    // Per-sample weight s_i: the class weight of its label, 0 where the label is ignored.
    let valid: Value | undefined;
    let safeLabels = labels;
    if (ignore !== undefined) {
      valid = g.not(g.equal(labels, g.scalar(ignore, 'int64')));
      safeLabels = g.where(valid, labels, g.scalar(0, 'int64'));
    }
    let weight: Value | undefined;
    if (node.inputs[2]) weight = g.gather({ name: node.inputs[2] }, safeLabels, 0);
    if (valid) {
      const v = g.cast(valid, dtype);
      weight = weight ? g.mul(weight, v) : v;
    }
    // The factor each sample's row is multiplied by.
    let factor: Value = a.dy[0];
    if (reduction === 'mean') {
      const total = weight ? g.reduceSum(weight, [], false) : g.cast(g.op1('Size', [labels]), dtype);
      factor = g.div(factor, total);
    }
    if (weight) factor = g.mul(factor, weight);
    const idx = g.unsqueeze(safeLabels, [1]);
    const minusOne = g.expand(ctx.scalar(-1, scoresName), g.shape(idx));
    const centred = g.op1('ScatterElements', [prob, idx, minusOne], { axis: 1, reduction: 'add' });
    const perRow = reduction === 'none' || weight !== undefined;
    result = g.mul(centred, perRow ? g.unsqueeze(factor, [1]) : factor);
  }
  if (a.dy[1]) {
    const viaLogProb = g.sub(a.dy[1], g.mul(prob, g.reduceSum(a.dy[1], [1], true)));
    result = result ? g.add(result, viaLogProb) : viaLogProb;
  }
  return [result];
};

export const softmaxRules: Record<string, GradRule> = {
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  SoftmaxCrossEntropyLoss: softmaxCrossEntropy,
};
