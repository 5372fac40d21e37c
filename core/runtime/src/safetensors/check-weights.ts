import { toFloat32, type DType, type TensorData } from '../graph/tensor-data.js';
import { E } from '../errors/runtime-errors.js';
import { checkInt8Scale, dequantizeInt8 } from './int8-weights.js';
import { nearestNames } from '../errors/suggest.js';
import { MemoryWeightStore } from './memory-weight-store.js';
import type { WeightStore } from './weight-store.js';

/** One tensor a graph needs: its name, shape and (default float32) dtype. */
export interface ExpectedWeight {
  readonly name: string;
  readonly dims: readonly number[];
  /** @defaultValue `'float32'` */
  readonly dtype?: DType;
}

export interface CheckWeightsOptions {
  /** Accept tensors the graph does not use (a checkpoint that also holds optimizer state). @defaultValue false */
  readonly allowExtra?: boolean;
  /**
   * Return float16 tensors for float32 parameters as they are instead of widened copies (the caller
   * widens them itself, e.g. inside the ONNX graph, saving a float32 copy in JavaScript). @defaultValue false
   */
  readonly keepFloat16?: boolean;
  /**
   * Return int8 tensors (the layout of `recur quantize --dtype int8`, see int8-weights.ts) for float32
   * parameters as they are instead of dequantised float32 copies; the caller reads `NAME_scale` itself.
   * @defaultValue false
   */
  readonly keepInt8?: boolean;
}

interface Problem {
  readonly tensor: string;
  readonly message: string;
}

/**
 * Checks that `store` holds exactly the tensors `expected` describes. Throws
 * RECUR_E_WEIGHTS_MISMATCH whose message starts with the first problem, naming its tensor
 * (`encoder.layers.0.forward.W: expected [1, 1024, 100], file has [1, 1024, 50]`), and lists the
 * others; `details.problems` has them all. A tensor is wrong when it is missing, has another shape
 * or dtype, or (unless `allowExtra`) is in the file but not expected.
 *
 * float16 tensors, and int8 tensors with their per-row `NAME_scale`, are accepted where float32 is
 * expected. The returned store is `store` with those tensors widened (dequantised) to float32, so a
 * caller that builds the graph from it gets the dtype it declared; when nothing needs widening it is
 * `store` itself.
 */
export function checkWeights(
  store: WeightStore,
  expected: readonly ExpectedWeight[],
  options: CheckWeightsOptions = {},
): WeightStore {
  const present = store.names();
  const widened = new Map<string, TensorData>();
  const problems: Problem[] = [];
  /** The `NAME_scale` tensors of int8 weights: part of the weights although no part declares them. */
  const quantizedScales = new Set<string>();

  for (const want of expected) {
    // A store that reads lazily answers dtype and shape from its header alone.
    const have = store.info ? store.info(want.name) : store.get(want.name);
    const wantDtype = want.dtype ?? 'float32';
    if (!have) {
      const near = nearestNames(want.name, present);
      problems.push({
        tensor: want.name,
        message: `missing from the weights file${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
      });
    } else if (!sameDims(have.dims, want.dims)) {
      problems.push({
        tensor: want.name,
        message: `expected [${want.dims.join(', ')}], file has [${have.dims.join(', ')}]`,
      });
    } else if (have.dtype === 'float16' && wantDtype === 'float32') {
      if (!options.keepFloat16)
        widened.set(want.name, { dtype: 'float32', dims: have.dims, data: toFloat32(store.get(want.name)!) });
    } else if (have.dtype === 'int8' && wantDtype === 'float32') {
      const scaleName = checkInt8Scale(store, want.name, have.dims);
      quantizedScales.add(scaleName);
      if (!options.keepInt8)
        widened.set(want.name, {
          dtype: 'float32',
          dims: have.dims,
          data: dequantizeInt8(store.get(want.name)!, store.get(scaleName)!),
        });
    } else if (have.dtype !== wantDtype) {
      problems.push({ tensor: want.name, message: `expected dtype ${wantDtype}, file has ${have.dtype}` });
    }
  }
  if (!options.allowExtra) {
    const wanted = new Set([...expected.map((w) => w.name), ...quantizedScales]);
    for (const name of present) {
      if (!wanted.has(name))
        problems.push({ tensor: name, message: 'is in the weights file but no part of the spec declares it' });
    }
  }

  if (problems.length > 0) {
    const [first, ...rest] = problems.map((p) => `${p.tensor}: ${p.message}`);
    const shown = rest
      .slice(0, 10)
      .map((line) => `\n  ${line}`)
      .join('');
    const hidden = rest.length > 10 ? `\n  ... and ${rest.length - 10} more` : '';
    throw E.WEIGHTS_MISMATCH(`${first} (weights ${store.source})${shown}${hidden}`, {
      file: store.source,
      tensor: problems[0].tensor,
      problems,
    });
  }
  if (widened.size === 0) return store;
  const merged = new Map<string, TensorData>();
  for (const name of present) {
    // A dequantised tensor's scale has done its work; leaving it would look like a tensor nobody owns.
    if (!quantizedScales.has(name) || options.keepInt8) merged.set(name, widened.get(name) ?? store.get(name)!);
  }
  return new MemoryWeightStore(merged, store.metadata, store.source);
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
