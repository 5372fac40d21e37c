import type { TensorData } from '../graph/tensor-data.js';
import type { WeightStore } from './weight-store.js';

/** A WeightStore over tensors already in memory. */
export class MemoryWeightStore implements WeightStore {
  private readonly tensors: ReadonlyMap<string, TensorData>;
  private readonly sortedNames: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;

  constructor(
    tensors: ReadonlyMap<string, TensorData>,
    metadata: Readonly<Record<string, string>>,
    readonly source: string,
  ) {
    this.tensors = tensors;
    this.sortedNames = Object.freeze([...tensors.keys()].sort());
    // A null-prototype copy: metadata keys come from files and must not reach Object.prototype.
    this.metadata = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, metadata));
  }

  get(name: string): TensorData | undefined {
    return this.tensors.get(name);
  }

  names(): string[] {
    return [...this.sortedNames];
  }
}
