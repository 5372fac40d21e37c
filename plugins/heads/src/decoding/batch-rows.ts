import { type TensorData, type TypedArray } from '@recur/runtime';
import { typedArrayFor } from '@recur/runtime/internal';

/**
 * Row bookkeeping for batches that change size between session runs (continuous batching, beam
 * search). A tensor's batch axis is given explicitly: recurrent states [layers, B, H] and source
 * memory [S, B, M] have it at 1, logits [B, V] and lengths [B] at 0.
 */

function split(t: TensorData, axis: number): { outer: number; batch: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= t.dims[i];
  for (let i = axis + 1; i < t.dims.length; i++) inner *= t.dims[i];
  return { outer, batch: t.dims[axis], inner };
}

/**
 * The rows `rows` of `t` along `axis`, in that order (a row may repeat: beams sharing a parent).
 * With `scratch` (of t's type and large enough), the result is written to its start and views it:
 * a caller that selects rows over and over reuses one buffer instead of leaving a copy for the
 * garbage collector each time. The view is valid until the next call with the same scratch.
 */
export function selectRows(t: TensorData, axis: number, rows: readonly number[], scratch?: TypedArray): TensorData {
  const { outer, batch, inner } = split(t, axis);
  const Ctor = typedArrayFor(t.dtype);
  const size = outer * rows.length * inner;
  const out = scratch instanceof Ctor && scratch.length >= size ? scratch.subarray(0, size) : new Ctor(size);
  const src = t.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < rows.length; i++) {
      const from = (o * batch + rows[i]) * inner;
      out.set(src.subarray(from, from + inner) as never, (o * rows.length + i) * inner);
    }
  }
  const dims = [...t.dims];
  dims[axis] = rows.length;
  return { dtype: t.dtype, dims, data: out };
}

/** `a` and `b` joined along the batch axis (their other dimensions must match). */
export function concatRows(a: TensorData, b: TensorData, axis: number): TensorData {
  const sa = split(a, axis);
  const sb = split(b, axis);
  if (sa.outer !== sb.outer || sa.inner !== sb.inner || a.dtype !== b.dtype) {
    throw new RangeError(`concatRows: [${a.dims.join(', ')}] and [${b.dims.join(', ')}] differ outside axis ${axis}`);
  }
  const batch = sa.batch + sb.batch;
  const Ctor = typedArrayFor(a.dtype);
  const out = new Ctor(sa.outer * batch * sa.inner);
  for (let o = 0; o < sa.outer; o++) {
    out.set(a.data.subarray(o * sa.batch * sa.inner, (o + 1) * sa.batch * sa.inner) as never, o * batch * sa.inner);
    out.set(
      b.data.subarray(o * sb.batch * sb.inner, (o + 1) * sb.batch * sb.inner) as never,
      (o * batch + sa.batch) * sa.inner,
    );
  }
  const dims = [...a.dims];
  dims[axis] = batch;
  return { dtype: a.dtype, dims, data: out };
}

/** float32 zeros of the given shape. */
export function zeros(dims: readonly number[]): TensorData {
  return { dtype: 'float32', dims: [...dims], data: new Float32Array(dims.reduce((a, b) => a * b, 1)) };
}

/** ids [1, B] int64 for one step. */
export function stepIds(tokens: readonly number[]): TensorData {
  return { dtype: 'int64', dims: [1, tokens.length], data: BigInt64Array.from(tokens, (t) => BigInt(t)) };
}

/** Token sequences as a padded time-major batch: ids [T, B] int64 and lengths [B] int32. */
export function paddedBatch(
  sequences: readonly (readonly number[])[],
  pad: number,
): { ids: TensorData; lengths: TensorData } {
  const B = sequences.length;
  const T = Math.max(1, ...sequences.map((s) => s.length));
  const ids = new BigInt64Array(T * B).fill(BigInt(pad));
  const lengths = new Int32Array(B);
  sequences.forEach((seq, b) => {
    lengths[b] = seq.length;
    for (let t = 0; t < seq.length; t++) ids[t * B + b] = BigInt(seq[t]);
  });
  return { ids: { dtype: 'int64', dims: [T, B], data: ids }, lengths: { dtype: 'int32', dims: [B], data: lengths } };
}
