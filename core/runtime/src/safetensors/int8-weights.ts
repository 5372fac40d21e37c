import { E } from '../errors/runtime-errors.js';
import { toFloat32, type TensorData } from '../graph/tensor-data.js';
import { MemoryWeightStore } from './memory-weight-store.js';
import type { WeightStore } from './weight-store.js';

/**
 * Recur's int8 weights layout (`recur quantize --dtype int8`), readable by any safetensors tool:
 *   - `NAME` is `I8` with the parameter's shape;
 *   - `NAME_scale` is `F32` with the same rank, the last dimension 1 (`[rows, 1]` for a 2-D tensor);
 *   - the float value is `NAME[..., j] * NAME_scale[..., 0]` (numpy broadcasting: `q.astype(float32) * scale`).
 * Symmetric (no zero point), values in [-127, 127], one scale per row: per output channel of a `[out, in]`
 * weight (Recur stores linear and recurrent weights so), per word of a lookup table.
 */
export const INT8_SCALE_SUFFIX = '_scale';

/** The name of the scale tensor of the int8 tensor `name`. */
export function int8ScaleName(name: string): string {
  return `${name}${INT8_SCALE_SUFFIX}`;
}

/** The dims of `NAME_scale` for a tensor of dims `dims`: the last dimension becomes 1. */
export function int8ScaleDims(dims: readonly number[]): number[] {
  return [...dims.slice(0, -1), 1];
}

/** One int8 weight and its per-row scales. */
export interface Int8Weight {
  readonly values: TensorData;
  readonly scale: TensorData;
}

/**
 * Quantises a float tensor of rank >= 2 to int8 with one symmetric scale per row (the last dimension is
 * the one a row spans): scale = max|row| / 127, value = round(x / scale). An all-zero row gets scale 1.
 */
export function quantizeInt8(t: TensorData): Int8Weight {
  if (t.dims.length < 2)
    throw new RangeError(`quantizeInt8: a tensor of rank >= 2 is needed, got [${t.dims.join(', ')}]`);
  const src = toFloat32(t);
  const width = t.dims[t.dims.length - 1];
  const rows = width === 0 ? 0 : src.length / width;
  const q = new Int8Array(src.length);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let j = r * width; j < (r + 1) * width; j++) max = Math.max(max, Math.abs(src[j]));
    // Math.fround: the scale that is stored, so that rounding below divides by exactly what loading multiplies by.
    const s = max > 0 ? Math.fround(max / 127) : 1;
    scale[r] = s;
    for (let j = r * width; j < (r + 1) * width; j++) q[j] = Math.max(-127, Math.min(127, Math.round(src[j] / s)));
  }
  return {
    values: { dtype: 'int8', dims: [...t.dims], data: q },
    scale: { dtype: 'float32', dims: int8ScaleDims(t.dims), data: scale },
  };
}

/** The float32 values of an int8 weight: each element times its row's scale. */
export function dequantizeInt8(values: TensorData, scale: TensorData): Float32Array {
  const q = values.data as Int8Array;
  const s = toFloat32(scale);
  const width = values.dims[values.dims.length - 1] ?? 1;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i] * s[Math.floor(i / width)];
  return out;
}

/**
 * Checks that the int8 tensor `name` of `store` has a float scale tensor of the layout above; returns
 * the scale's name. Throws RECUR_E_WEIGHTS_MISMATCH naming the tensor otherwise.
 */
export function checkInt8Scale(store: WeightStore, name: string, dims: readonly number[]): string {
  const scaleName = int8ScaleName(name);
  const scale = store.info ? store.info(scaleName) : store.get(scaleName);
  const want = int8ScaleDims(dims);
  const fail = (what: string) =>
    E.WEIGHTS_MISMATCH(
      `${name}: int8 weights need ${what} (weights ${store.source}); write the file with recur quantize --dtype int8`,
      {
        file: store.source,
        tensor: name,
        expected: `${scaleName}: float32 [${want.join(', ')}]`,
      },
    );
  if (dims.length < 2) throw fail(`rank >= 2 (one scale per row), the tensor has [${dims.join(', ')}]`);
  if (!scale) throw fail(`a scale tensor ${scaleName}, which the file does not have`);
  if (scale.dtype !== 'float32') throw fail(`${scaleName} as float32, the file has ${scale.dtype}`);
  if (scale.dims.length !== want.length || scale.dims.some((d, i) => d !== want[i]))
    throw fail(`${scaleName} of shape [${want.join(', ')}], the file has [${scale.dims.join(', ')}]`);
  return scaleName;
}

/**
 * `store` with every int8 tensor that has a `NAME_scale` replaced by its float32 values and the scale
 * tensors dropped: what code that reads parameters as float32 (evaluation, training from a file) needs.
 * Returns `store` itself when it holds no int8 weights.
 */
export function dequantizeWeightStore(store: WeightStore): WeightStore {
  const names = store.names();
  const quantized = new Set(
    names.filter(
      (n) => (store.info ? store.info(n) : store.get(n))?.dtype === 'int8' && names.includes(int8ScaleName(n)),
    ),
  );
  if (quantized.size === 0) return store;
  const scales = new Set([...quantized].map(int8ScaleName));
  const out = new Map<string, TensorData>();
  for (const name of names) {
    if (scales.has(name)) continue;
    const t = store.get(name)!;
    if (!quantized.has(name)) {
      out.set(name, t);
      continue;
    }
    checkInt8Scale(store, name, t.dims);
    out.set(name, { dtype: 'float32', dims: t.dims, data: dequantizeInt8(t, store.get(int8ScaleName(name))!) });
  }
  return new MemoryWeightStore(out, store.metadata, store.source);
}
