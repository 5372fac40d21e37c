/** Gather (embedding lookups) and GatherElements: gradients are scatter-adds into zeros. */
import type { Value } from '@recur/runtime';
import { normAxis } from '@recur/runtime/internal';
import type { GradRule } from './types.js';

/**
 * Gather along axis 0 scatter-adds each output row back to the row it was read from (`ScatterND` with
 * `reduction=add`, so repeated ids accumulate). Other axes are moved to the front first.
 */
const gather: GradRule = (a) => {
  const { node, ctx } = a;
  const dy = a.dy[0];
  if (!a.needs[0] || !dy) return [];
  const g = ctx.g;
  const data = node.inputs[0];
  const indices: Value = { name: node.inputs[1] };
  const r = ctx.rank(data, node);
  const axis = normAxis((node.attrs['axis'] as number | undefined) ?? 0, r);
  const idx = g.unsqueeze(indices, [-1]);
  if (axis === 0) return [g.op1('ScatterND', [ctx.zerosLike(data), idx, dy], { reduction: 'add' })];
  const q = ctx.rank(node.inputs[1], node);
  const toFront = [axis, ...Array.from({ length: r }, (_, i) => i).filter((i) => i !== axis)];
  // The output is data[:axis] + indices + data[axis+1:]; Gather over the moved data gives indices + data[:axis] + data[axis+1:].
  const yPerm = [
    ...Array.from({ length: q }, (_, i) => axis + i),
    ...Array.from({ length: axis }, (_, i) => i),
    ...Array.from({ length: r - 1 - axis }, (_, i) => axis + q + i),
  ];
  const movedShape = g.gather(ctx.shape(data), g.ints(toFront), 0);
  const zeros = ctx.zeros(movedShape, ctx.dtype(data));
  const moved = g.op1('ScatterND', [zeros, idx, g.transpose(dy, yPerm)], { reduction: 'add' });
  const back = new Array<number>(r);
  toFront.forEach((p, i) => {
    back[p] = i;
  });
  return [g.transpose(moved, back)];
};

const gatherElements: GradRule = (a) => {
  const { node, ctx } = a;
  const dy = a.dy[0];
  if (!a.needs[0] || !dy) return [];
  const axis = (node.attrs['axis'] as number | undefined) ?? 0;
  const data = node.inputs[0];
  // Left sparse: summed as a scatter into zeros, unless a LogSoftmax consumes it directly.
  return [
    {
      kind: 'scatterElements',
      like: data,
      dtype: ctx.dtype(data),
      indices: { name: node.inputs[1] },
      updates: dy,
      axis,
    },
  ];
};

export const indexingRules: Record<string, GradRule> = { Gather: gather, GatherElements: gatherElements };
