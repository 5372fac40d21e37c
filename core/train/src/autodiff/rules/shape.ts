/** Gradients of operators that move data without computing on it. */
import type { Value } from '@recur/runtime';
import { normAxis } from '@recur/runtime/internal';
import type { GradRule, RuleArgs } from './types.js';

/** The gradient has the input's shape and the output's element order. */
const reshapeBack: GradRule = (a) => [a.needs[0] && a.dy[0] ? a.ctx.reshapeLike(a.dy[0], a.node.inputs[0]) : undefined];

const transpose: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  const rank = a.ctx.rank(a.node.inputs[0], a.node);
  const perm = (a.node.attrs['perm'] as number[] | undefined) ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const inverse = new Array<number>(rank);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return [a.ctx.g.transpose(a.dy[0], inverse)];
};

const expand: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  return [a.ctx.sumTo(a.dy[0], a.ctx.info(a.node.outputs[0])?.dims, a.node.inputs[0], a.node)];
};

/** Sizes along `axis` of each named value: constants when known, else read with Shape at run time. */
function sizesAlong(a: RuleArgs, names: readonly string[], axis: number): Value {
  const dims = names.map((n) => a.ctx.info(n)?.dims?.[axis]);
  if (dims.every((d) => typeof d === 'number')) return a.ctx.g.ints(dims);
  return a.ctx.g.concat(
    names.map((n) => a.ctx.g.shape({ name: n }, axis, axis + 1)),
    0,
  );
}

const concat: GradRule = (a) => {
  const { node, ctx } = a;
  const dy = a.dy[0];
  if (!dy) return [];
  const rank = ctx.rank(node.inputs[0], node);
  const axis = normAxis(node.attrs['axis'] as number, rank);
  const parts = ctx.g.op('Split', [dy, sizesAlong(a, node.inputs, axis)], { axis }, node.inputs.length);
  return parts.map((p, i) => (a.needs[i] ? p : undefined));
};

const split: GradRule = (a) => {
  const { node, ctx } = a;
  if (!a.needs[0]) return [];
  const rank = ctx.rank(node.inputs[0], node);
  const axis = normAxis((node.attrs['axis'] as number | undefined) ?? 0, rank);
  const pieces = node.outputs.map((name, i) => a.dy[i] ?? ctx.zerosLike(name));
  return [pieces.length === 1 ? pieces[0] : ctx.g.concat(pieces, axis)];
};

/**
 * Slice with any starts, ends, axes and steps: the same Slice applied to the element positions of the
 * input tells where each output element came from; the gradient is scattered back to those positions.
 */
const slice: GradRule = (a) => {
  const { node, ctx } = a;
  const dy = a.dy[0];
  if (!a.needs[0] || !dy) return [];
  const g = ctx.g;
  const x = node.inputs[0];
  const size = g.op1('Size', [{ name: x }]);
  const positions = g.reshape(g.op1('Range', [g.scalar(0, 'int64'), size, g.scalar(1, 'int64')]), g.shape({ name: x }));
  const rest = node.inputs.slice(1).map((n) => (n ? { name: n } : null));
  const picked = g.reshape(g.op1('Slice', [positions, ...rest]), [-1]);
  const flat = ctx.zeros(g.reshape(size, [1]), ctx.dtype(x));
  const scattered = g.op1('ScatterElements', [flat, picked, g.reshape(dy, [-1])], { axis: 0 });
  return [ctx.reshapeLike(scattered, x)];
};

/** ReverseSequence is its own inverse: the gradient is reversed back with the same lengths. */
const reverseSequence: GradRule = (a) => {
  if (!a.needs[0] || !a.dy[0]) return [];
  return [a.ctx.g.op1('ReverseSequence', [a.dy[0], { name: a.node.inputs[1] }], a.node.attrs)];
};

export const shapeRules: Record<string, GradRule> = {
  ReverseSequence: reverseSequence,
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Expand: expand,
  Concat: concat,
  Split: split,
  Slice: slice,
};
