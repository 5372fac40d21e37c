/** Element types Recur moves between safetensors, ONNX and ONNX Runtime. */
/** Every element type Recur represents (ONNX Runtime and safetensors writing check against this one list). */
export const DTYPES = ['float32', 'float16', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export type TypedArray =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Int8Array | Uint8Array | Uint16Array;

/** A dense tensor in row-major order. float16 values are kept as raw Uint16 bit patterns. */
export interface TensorData {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: TypedArray;
}

const ONNX_CODES: Record<DType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
};

export function dtypeToOnnx(dtype: DType): number {
  return ONNX_CODES[dtype];
}

export function onnxToDtype(code: number): DType | undefined {
  return (Object.keys(ONNX_CODES) as DType[]).find((k) => ONNX_CODES[k] === code);
}

type TypedArrayCtor = {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

export function typedArrayFor(dtype: DType): TypedArrayCtor {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
      return Float64Array;
    case 'float16':
      return Uint16Array;
    case 'int32':
      return Int32Array;
    case 'int64':
      return BigInt64Array;
    case 'int8':
      return Int8Array;
    case 'uint8':
    case 'bool':
      return Uint8Array;
  }
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function tensor(dtype: DType, dims: readonly number[], data: TypedArray): TensorData {
  if (data.length !== elementCount(dims))
    throw new RangeError(`tensor: ${data.length} values for shape [${dims.join(', ')}]`);
  return { dtype, dims: [...dims], data };
}

/** IEEE half -> single, for reading float16 weights. */
export function halfToFloat(h: number): number {
  const s = (h & 0x8000) >> 15;
  const e = (h & 0x7c00) >> 10;
  const f = h & 0x03ff;
  if (e === 0) return (s ? -1 : 1) * 2 ** -14 * (f / 1024);
  if (e === 0x1f) return f ? NaN : (s ? -1 : 1) * Infinity;
  return (s ? -1 : 1) * 2 ** (e - 15) * (1 + f / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** single -> IEEE half with round-to-nearest-even, for `recur quantize`. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  let exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant = (mant | 0x800000) >>> (1 - exp);
    if (mant & 0x1000 && mant & 0x2fff) mant += 0x2000;
    return sign | (mant >>> 13);
  }
  if (mant & 0x1000 && mant & 0x2fff) {
    mant += 0x2000;
    if (mant & 0x800000) {
      mant = 0;
      exp += 1;
      if (exp >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (exp << 10) | (mant >>> 13);
}

let halfTable: Float32Array | undefined;

/**
 * float16 bits -> float32 for a whole array, through a 65,536-entry table built on first use (256 KiB):
 * a plain indexed copy, ~10x faster than converting each value, which matters when a pipeline loads
 * millions of float16 weights.
 */
export function halfArrayToFloat(bits: Uint16Array): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfToFloat(h);
  }
  const table = halfTable;
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]]!;
  return out;
}

/** Converts any float tensor to float32 (float16 is widened). */
export function toFloat32(t: TensorData): Float32Array {
  if (t.dtype === 'float32') return t.data as Float32Array;
  if (t.dtype === 'float16') return halfArrayToFloat(t.data as Uint16Array);
  if (t.dtype === 'int64') return Float32Array.from(t.data as BigInt64Array, Number);
  return Float32Array.from(t.data as ArrayLike<number>);
}
