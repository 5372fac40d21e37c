import type { TensorData } from '../graph/tensor-data.js';

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
}
