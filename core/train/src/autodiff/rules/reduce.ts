/** Gradients of reductions: the output gradient is broadcast back over the reduced axes. */
import type { NodeRecord, Value } from '@recur/runtime';
import { TrainErrors } from '../../errors.js';
import type { GradContext } from '../grad-context.js';
import { axesOf, normAxis } from '@recur/runtime/internal';
import type { GradRule, RuleArgs } from './types.js';

/** The reduced axes, normalised; every axis when the node reduces everything. */
function reducedAxes(ctx: GradContext, node: NodeRecord): number[] {
  const rank = ctx.rank(node.inputs[0], node);
  const axes = axesOf(node, ctx.scope);
  if (node.inputs[1] && !axes) {
    throw TrainErrors.GRAPH_UNSUPPORTED(
      `${node.opType} node ${node.name}: its axes are computed at run time; the autodiff needs constant axes`,
      { pointer: node.name },
    );
  }
  if (!axes || axes.length === 0) {
    if (node.attrs['noop_with_empty_axes']) return [];
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((x) => normAxis(x, rank)).sort((p, q) => p - q);
}

/** `v` (the shape of the reduced output) with the reduced axes put back as size 1. */
function keepDims(a: RuleArgs, v: Value, axes: readonly number[]): Value {
  const keep = ((a.node.attrs['keepdims'] as number | undefined) ?? 1) !== 0;
  return keep || axes.length === 0 ? v : a.ctx.g.unsqueeze(v, axes);
}

const reduceSum: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const axes = reducedAxes(a.ctx, a.node);
  return [a.ctx.g.expand(keepDims(a, a.dy[0], axes), a.ctx.g.shape({ name: a.node.inputs[0] }))];
};

const reduceMean: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const { g } = a.ctx;
  const axes = reducedAxes(a.ctx, a.node);
  const x: Value = { name: a.node.inputs[0] };
  const dtype = a.ctx.dtype(x.name);
  const count = g.div(g.cast(g.op1('Size', [x]), dtype), g.cast(g.op1('Size', [{ name: a.node.outputs[0] }]), dtype));
  return [g.expand(keepDims(a, g.div(a.dy[0], count), axes), g.shape(x))];
};

const reduceSumSquare: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const { g } = a.ctx;
  const axes = reducedAxes(a.ctx, a.node);
  const x: Value = { name: a.node.inputs[0] };
  return [g.mul(keepDims(a, a.dy[0], axes), g.mul(x, a.ctx.scalar(2, x.name)))];
};

/** Max and Min share the gradient among tied elements equally (as PyTorch's amax/amin do). */
const reduceExtreme: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const { g } = a.ctx;
  const axes = reducedAxes(a.ctx, a.node);
  const x: Value = { name: a.node.inputs[0] };
  const y = keepDims(a, { name: a.node.outputs[0] }, axes);
  const hit = g.cast(g.equal(x, y), a.ctx.dtype(x.name));
  const ties = g.reduceSum(hit, axes, true);
  return [g.mul(hit, g.div(keepDims(a, a.dy[0], axes), ties))];
};

const reduceLogSumExp: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const { g } = a.ctx;
  const axes = reducedAxes(a.ctx, a.node);
  const x: Value = { name: a.node.inputs[0] };
  const y = keepDims(a, { name: a.node.outputs[0] }, axes);
  return [g.mul(keepDims(a, a.dy[0], axes), g.exp(g.sub(x, y)))];
};

export const reduceRules: Record<string, GradRule> = {
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceSumSquare: reduceSumSquare,
  ReduceMax: reduceExtreme,
  ReduceMin: reduceExtreme,
  ReduceLogSumExp: reduceLogSumExp,
};
