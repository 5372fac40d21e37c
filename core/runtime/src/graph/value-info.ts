import type { GraphBuilder } from './graph-builder.js';
import type { DType, TensorData } from './tensor-data.js';

/** A dimension as far as static inference knows it: a size, a symbol (`batch`), or unknown (null). */
export type InfoDim = number | string | null;

/** What static inference knows about a value: its element type always, its shape when the rank is known. */
export interface ValueInfo {
  readonly dtype: DType;
  /** One entry per axis; undefined when even the rank is unknown. */
  readonly dims?: readonly InfoDim[];
}

export const FLOAT_TYPES: ReadonlySet<DType> = new Set<DType>(['float32', 'float64', 'float16']);

/** True for element types that carry gradients. */
export function isFloat(info: ValueInfo | undefined): boolean {
  return info !== undefined && FLOAT_TYPES.has(info.dtype);
}

/**
 * Value infos and constants of one graph, with a parent for the graph that encloses a Scan body (a body
 * may read its enclosing graph's values by name).
 */
export class Scope {
  private readonly infos = new Map<string, ValueInfo>();
  private readonly constants = new Map<string, TensorData>();

  constructor(readonly parent?: Scope) {}

  /** A scope seeded with a builder's inputs, declared parameters (root graphs) and constants. */
  static of(g: GraphBuilder, parent?: Scope, withParams = true): Scope {
    const s = new Scope(parent);
    for (const v of g.inputs)
      if (v.dtype) s.set(v.name, { dtype: v.dtype, ...(v.dims ? { dims: v.dims.map(normDim) } : {}) });
    if (withParams) for (const p of g.params) s.set(p.name, { dtype: 'float32', dims: [...p.dims] });
    for (const [name, t] of g.constants) s.setConstant(name, t);
    return s;
  }

  get(name: string): ValueInfo | undefined {
    return this.infos.get(name) ?? this.parent?.get(name);
  }

  /** True when `name` is known in this scope itself (not only in an enclosing one). */
  hasOwn(name: string): boolean {
    return this.infos.has(name);
  }

  set(name: string, info: ValueInfo): void {
    this.infos.set(name, info);
  }

  setConstant(name: string, t: TensorData): void {
    this.constants.set(name, t);
    this.infos.set(name, { dtype: t.dtype, dims: [...t.dims] });
  }

  /** The value of a constant (initializer) visible from this scope. */
  constant(name: string): TensorData | undefined {
    return this.constants.get(name) ?? this.parent?.constant(name);
  }

  /** A constant integer tensor's values as numbers, or undefined when `name` is not a constant. */
  ints(name: string): number[] | undefined {
    const t = this.constant(name);
    if (!t) return undefined;
    if (t.dtype === 'int64') return Array.from(t.data as BigInt64Array, Number);
    if (t.dtype === 'int32') return Array.from(t.data as Int32Array);
    return undefined;
  }
}

function normDim(d: number | string): InfoDim {
  return typeof d === 'number' && d < 0 ? null : d;
}

/** Number of elements, when every dimension is a known number. */
export function knownSize(dims: readonly InfoDim[] | undefined): number | undefined {
  if (!dims) return undefined;
  let n = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** True when both dimensions are known to be the same (equal numbers or the same symbol). */
export function sameDim(a: InfoDim, b: InfoDim): boolean {
  return a !== null && b !== null && a === b;
}
