/**
 * MatMul and Gemm. A weight's gradient `a^T dy` is returned deferred, so that the contributions of every
 * time step (unrolled loops, Scan steps) become one matmul over all rows.
 */
import type { FloatAttr, Value } from '@recur/runtime';
import { deferredMatMul, type Contribution } from '../contribution.js';
import { broadcast, type InfoDim } from '@recur/runtime/internal';
import type { GradRule, RuleArgs } from './types.js';

const swapLast = (rank: number): number[] => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];

/** [.., K] -> [rows, K], with K taken statically when known. */
function flattenRows(a: RuleArgs, v: Value, like: string): Value {
  const g = a.ctx.g;
  const dims = a.ctx.info(like)?.dims;
  const last = dims?.[dims.length - 1];
  if (typeof last === 'number') return g.reshape(v, [-1, last]);
  return g.reshape(v, g.concat([g.ints([-1]), g.shape({ name: like }, -1)], 0));
}

const matMul: GradRule = (a) => {
  const { ctx, node } = a;
  const g = ctx.g;
  const dy = a.dy[0];
  if (!dy) return [];
  const [an, bn] = [node.inputs[0], node.inputs[1]];
  const ra = ctx.rank(an, node);
  const rb = ctx.rank(bn, node);
  const A: Value = { name: an },
    B: Value = { name: bn };

  // The common cases: [.., K] x [K, N] (activations times a weight).
  if (ra >= 2 && rb === 2) {
    let da: Contribution | undefined, db: Contribution | undefined;
    if (a.needs[0]) da = ra === 2 ? g.gemm(dy, B, undefined, { transB: true }) : g.matMul(dy, g.transpose(B, [1, 0]));
    if (a.needs[1])
      db =
        ra === 2 ? deferredMatMul(A, dy) : deferredMatMul(flattenRows(a, A, an), flattenRows(a, dy, node.outputs[0]));
    return [da, db];
  }

  // General batched form: vectors become [1, K] / [K, 1]; batch axes broadcast and are summed back.
  const A2 = ra === 1 ? g.unsqueeze(A, [0]) : A;
  const B2 = rb === 1 ? g.unsqueeze(B, [1]) : B;
  let dy2 = dy;
  if (ra === 1) dy2 = g.unsqueeze(dy2, [rb === 1 ? -1 : -2]);
  if (rb === 1) dy2 = g.unsqueeze(dy2, [-1]);
  const ra2 = Math.max(ra, 2),
    rb2 = Math.max(rb, 2);
  const aDims = ctx.info(an)?.dims,
    bDims = ctx.info(bn)?.dims;
  const aD2: InfoDim[] = ra === 1 ? [1, aDims![0]!] : [...aDims!];
  const bD2: InfoDim[] = rb === 1 ? [bDims![0]!, 1] : [...bDims!];
  const batch = broadcast(aD2.slice(0, -2), bD2.slice(0, -2));
  const out: (Contribution | undefined)[] = [undefined, undefined];
  const batchAxes = Array.from({ length: batch.length }, (_, i) => i);
  // A vector operand was made [1, K] (or [K, 1]): sum its gradient over the batch axes, then drop the 1.
  const vectorBack = (full: Value, name: string): Value =>
    ctx.reshapeLike(batchAxes.length ? g.reduceSum(full, batchAxes, false) : full, name);
  if (a.needs[0]) {
    const full = g.matMul(dy2, g.transpose(B2, swapLast(rb2)));
    out[0] =
      ra === 1
        ? vectorBack(full, an)
        : ctx.sumTo(full, [...batch, aD2[aD2.length - 2]!, aD2[aD2.length - 1]!], an, node);
  }
  if (a.needs[1]) {
    const full = g.matMul(g.transpose(A2, swapLast(ra2)), dy2);
    out[1] =
      rb === 1
        ? vectorBack(full, bn)
        : ctx.sumTo(full, [...batch, bD2[bD2.length - 2]!, bD2[bD2.length - 1]!], bn, node);
  }
  return out;
};

const gemm: GradRule = (a) => {
  const { ctx, node } = a;
  const g = ctx.g;
  const dy = a.dy[0];
  if (!dy) return [];
  const A: Value = { name: node.inputs[0] },
    B: Value = { name: node.inputs[1] };
  const tA = Boolean(node.attrs['transA']),
    tB = Boolean(node.attrs['transB']);
  const alpha = attrFloat(node.attrs['alpha'], 1),
    beta = attrFloat(node.attrs['beta'], 1);
  const scaleBy = (v: Value, s: number, like: string): Value => (s === 1 ? v : g.mul(v, ctx.scalar(s, like)));
  const dys = scaleBy(dy, alpha, node.outputs[0]);
  let da: Contribution | undefined, db: Contribution | undefined, dc: Contribution | undefined;
  // Y = A' B' with A' = tA ? A^T : A and B' = tB ? B^T : B.
  if (a.needs[0])
    da = tA ? g.gemm(B, dys, undefined, { transA: tB, transB: true }) : g.gemm(dys, B, undefined, { transB: !tB });
  if (a.needs[1]) {
    if (!tA) db = deferredMatMul(A, dys, tB);
    else db = tB ? g.gemm(dys, A, undefined, { transA: true, transB: true }) : g.gemm(A, dys);
  }
  if (a.needs[2] && node.inputs[2])
    dc = ctx.sumTo(scaleBy(dy, beta, node.outputs[0]), ctx.info(node.outputs[0])?.dims, node.inputs[2], node);
  return [da, db, dc];
};

function attrFloat(v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number') return v;
  return (v as FloatAttr).value;
}

export const linalgRules: Record<string, GradRule> = { MatMul: matMul, Gemm: gemm };
