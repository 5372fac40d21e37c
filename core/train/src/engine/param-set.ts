import { type ParamDecl, type TensorData } from '@recur/runtime';
import { initialValue, toFloat32 } from '@recur/runtime/internal';
import { TrainErrors } from '../errors.js';

/** One trainable parameter: its value and gradient live in JavaScript, fed to and filled by ONNX Runtime. */
export interface Param {
  readonly name: string;
  readonly dims: readonly number[];
  /** Current value (updated in place by the optimizer). */
  readonly value: Float32Array;
  /** Gradient of the last step (filled in place by the training session). */
  readonly grad: Float32Array;
  /** Frozen parameters are fed but never updated. */
  frozen: boolean;
}

/** The parameters of a model, in declaration order. */
export class ParamSet implements Iterable<Param> {
  private readonly byName = new Map<string, Param>();

  constructor(decls: readonly ParamDecl[], values: (decl: ParamDecl) => Float32Array) {
    for (const d of decls) {
      const n = d.dims.reduce((a, b) => a * b, 1);
      const value = values(d);
      if (value.length !== n)
        throw TrainErrors.CHECKPOINT_INVALID(
          `parameter ${d.name} has ${value.length} values, expected ${n} for [${d.dims.join(', ')}]`,
          { tensor: d.name },
        );
      this.byName.set(d.name, { name: d.name, dims: [...d.dims], value, grad: new Float32Array(n), frozen: false });
    }
  }

  /** Parameters initialised from their declared initializers with `seed` (the runtime's per-name streams). */
  static initialised(decls: readonly ParamDecl[], seed: number): ParamSet {
    return new ParamSet(decls, (d) => Float32Array.from(initialValue(d, seed).data as Float32Array));
  }

  /** Parameters taken from named tensors (a weights file, an import); every declared one must be there. */
  static fromTensors(decls: readonly ParamDecl[], tensors: (name: string) => TensorData | undefined): ParamSet {
    return new ParamSet(decls, (d) => {
      const t = tensors(d.name);
      if (!t) throw TrainErrors.CHECKPOINT_INVALID(`no tensor for parameter ${d.name}`, { tensor: d.name });
      if (t.dims.join() !== d.dims.join())
        throw TrainErrors.CHECKPOINT_INVALID(
          `tensor ${d.name} is [${t.dims.join(', ')}], the model declares [${d.dims.join(', ')}]`,
          { tensor: d.name },
        );
      return Float32Array.from(toFloat32(t));
    });
  }

  [Symbol.iterator](): Iterator<Param> {
    return this.byName.values();
  }

  get(name: string): Param | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** Number of scalar parameters. */
  get size(): number {
    let n = 0;
    for (const p of this) n += p.value.length;
    return n;
  }

  /** The values as named tensors (for safetensors). */
  tensors(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const p of this) out[p.name] = { dtype: 'float32', dims: p.dims, data: p.value };
    return out;
  }
}
