// onnxruntime-common: the tensor class that onnxruntime-node and onnxruntime-web both use, so the
// Node and the browser backends share this conversion.
import * as ort from 'onnxruntime-common';
import { DTYPES, type DType, type TensorData, type TypedArray } from '../graph/tensor-data.js';

/** The ONNX Runtime tensor types Recur represents as TensorData (the names are the same). */
const SUPPORTED: ReadonlySet<string> = new Set<DType>(DTYPES);

/**
 * TensorData -> ort.Tensor without copying. ORT expects the same arrays Recur keeps: float16 as
 * Uint16Array bit patterns, int64 as BigInt64Array, bool as Uint8Array.
 */
export function toOrtTensor(t: TensorData): ort.Tensor {
  return new ort.Tensor(t.dtype, t.data as never, [...t.dims]);
}

/**
 * ort.Tensor -> TensorData, or a reason why Recur cannot hold it (string and unsigned 16/32/64-bit
 * outputs). Where the runtime has a global Float16Array, ORT returns float16 data in it; Recur keeps
 * the raw bits as Uint16Array.
 */
export function fromOrtTensor(t: ort.Tensor): TensorData | string {
  if (!SUPPORTED.has(t.type))
    return `type ${t.type}, which Recur does not handle (supported: ${[...SUPPORTED].join(', ')})`;
  let data = t.data as unknown as TypedArray;
  if (t.type === 'float16' && !(data instanceof Uint16Array)) {
    const raw = data as unknown as ArrayBufferView & { length: number };
    data = new Uint16Array(raw.buffer, raw.byteOffset, raw.length);
  }
  return { dtype: t.type as DType, dims: [...t.dims], data };
}
