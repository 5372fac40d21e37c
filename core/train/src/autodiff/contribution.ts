import type { DType, GraphBuilder, Value } from '@recur/runtime';
import { scalarTensor } from './grad-context.js';

/**
 * A weight gradient `a^T b` (or its transpose) not yet computed. Several of them for one weight — the
 * steps of an unrolled loop, or the steps of a Scan — are summed as one matmul over the rows of all of
 * them (`concat(a)^T concat(b)`), which runs several times faster than many small matmuls and adds.
 */
export interface DeferredMatMul {
  readonly kind: 'matmulT';
  /** [rows, K] */
  readonly a: Value;
  /** [rows, N] */
  readonly b: Value;
  /** false: the gradient is a^T b [K, N]; true: it is b^T a [N, K]. */
  readonly transposed: boolean;
}

/**
 * A gradient that is zero except where `updates` land: ScatterElements(zeros like `like`, indices,
 * updates, axis, add). GatherElements produces it (a loss picking one log-probability per row); the
 * LogSoftmax before it consumes it without ever building the zeros (see backprop's fused path).
 */
export interface SparseScatter {
  readonly kind: 'scatterElements';
  /** The forward value whose shape (and element type) the gradient has. */
  readonly like: string;
  readonly dtype: DType;
  readonly indices: Value;
  readonly updates: Value;
  readonly axis: number;
}

/** One contribution to a value's gradient. */
export type Contribution = Value | DeferredMatMul | SparseScatter;

export function isDeferred(c: Contribution): c is DeferredMatMul {
  return (c as DeferredMatMul).kind === 'matmulT';
}

export function isSparse(c: Contribution): c is SparseScatter {
  return (c as SparseScatter).kind === 'scatterElements';
}

export function deferredMatMul(a: Value, b: Value, transposed = false): DeferredMatMul {
  return { kind: 'matmulT', a, b, transposed };
}

/** Emits the sum of `list` into `g`; undefined for an empty list. */
export function sumContributions(g: GraphBuilder, list: readonly Contribution[] | undefined): Value | undefined {
  if (!list || list.length === 0) return undefined;
  const values: Value[] = [];
  for (const transposed of [false, true]) {
    const group = list.filter((c): c is DeferredMatMul => isDeferred(c) && c.transposed === transposed);
    if (group.length === 0) continue;
    const a =
      group.length === 1
        ? group[0].a
        : g.concat(
            group.map((c) => c.a),
            0,
          );
    const b =
      group.length === 1
        ? group[0].b
        : g.concat(
            group.map((c) => c.b),
            0,
          );
    values.push(transposed ? g.gemm(b, a, undefined, { transA: true }) : g.gemm(a, b, undefined, { transA: true }));
  }
  for (const c of list) {
    if (isDeferred(c)) continue;
    if (isSparse(c)) {
      const zeros = g.op1('ConstantOfShape', [g.shape({ name: c.like })], { value: scalarTensor(c.dtype, 0, [1]) });
      values.push(g.op1('ScatterElements', [zeros, c.indices, c.updates], { axis: c.axis, reduction: 'add' }));
    } else values.push(c);
  }
  if (values.length === 1) return values[0];
  if (values.length === 2) return g.add(values[0], values[1]);
  return g.op1('Sum', values);
}
