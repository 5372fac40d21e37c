import type { DType, TensorData } from '../graph/tensor-data.js';

/** A tensor's dtype and shape, without its values. */
export interface TensorInfo {
  readonly dtype: DType;
  readonly dims: readonly number[];
}

/** Where a tensor's bytes lie in a file, as stored (little-endian, row-major). */
export interface TensorExtent {
  /** The folder of the file (symbolic links resolved). */
  readonly dir: string;
  /** The file name inside `dir`. */
  readonly file: string;
  /** Byte offset from the start of the file. */
  readonly offset: number;
  readonly length: number;
  readonly dtype: DType;
  /** Changes when the file does (size, modification time, inode). */
  readonly fingerprint: string;
}

/** Named tensors loaded from (or about to be written to) a safetensors file. */
export interface WeightStore {
  /** The tensor called `name`, or undefined. */
  get(name: string): TensorData | undefined;
  /** Every tensor name, sorted. */
  names(): string[];
  /** The file's `__metadata__` (Recur writes provenance here). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Where the weights came from, for error messages. */
  readonly source: string;
  /** dtype and shape of `name` without reading its values (stores that read lazily implement it). */
  info?(name: string): TensorInfo | undefined;
  /** Where `name`'s bytes are on disk, for stores backed by a file whose bytes can be used as they are. */
  extent?(name: string): TensorExtent | undefined;
}
