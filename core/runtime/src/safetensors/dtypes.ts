import type { DType } from '../graph/tensor-data.js';

/**
 * safetensors dtype names and how Recur stores each one. Every value is little-endian in the file.
 * `BF16` has no TensorData type: it is widened to float32 when read (bfloat16 is the upper half of a
 * float32), so files saved from PyTorch in bfloat16 still load.
 */
const FILE_TO_DTYPE: Readonly<Record<string, DType>> = Object.freeze({
  F32: 'float32',
  F16: 'float16',
  F64: 'float64',
  I32: 'int32',
  I64: 'int64',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
});

const DTYPE_TO_FILE: Readonly<Record<DType, string>> = Object.freeze({
  float32: 'F32',
  float16: 'F16',
  float64: 'F64',
  int32: 'I32',
  int64: 'I64',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
});

/** Bytes per element of each dtype Recur reads. */
const FILE_DTYPE_SIZE: Readonly<Record<string, number>> = Object.freeze({
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I32: 4,
  I64: 8,
  I8: 1,
  U8: 1,
  BOOL: 1,
});

/** The dtype names `parseSafetensors` accepts, for error messages. */
export const READABLE_FILE_DTYPES: readonly string[] = Object.freeze(Object.keys(FILE_DTYPE_SIZE));

/** Element size in bytes of a safetensors dtype name, or undefined when Recur cannot read it. */
export function fileDtypeSize(name: string): number | undefined {
  return Object.hasOwn(FILE_DTYPE_SIZE, name) ? FILE_DTYPE_SIZE[name] : undefined;
}

/** The TensorData dtype a file dtype becomes (`BF16` becomes float32). */
export function fileDtypeToDtype(name: string): DType | undefined {
  if (name === 'BF16') return 'float32';
  return Object.hasOwn(FILE_TO_DTYPE, name) ? FILE_TO_DTYPE[name] : undefined;
}

/** The safetensors name Recur writes for a TensorData dtype. */
export function dtypeToFileDtype(dtype: DType): string {
  return DTYPE_TO_FILE[dtype];
}

/** Bytes per element of a TensorData dtype. */
export function dtypeSize(dtype: DType): number {
  return FILE_DTYPE_SIZE[DTYPE_TO_FILE[dtype]];
}
