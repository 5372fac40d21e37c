import { toFloat32, type TensorData } from '../graph/tensor-data.js';

/** |actual - expected| <= atol + rtol * |expected| for every element. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** The tolerance of the PyTorch fixtures; ReLU RNNs reach values in the thousands, hence the relative part. */
export const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-5 };

export interface Comparison {
  readonly ok: boolean;
  /** Largest absolute difference. */
  readonly maxAbs: number;
  /** Empty when ok; otherwise what differs (shape, or the worst element and its index). */
  readonly problem: string;
}

/** Compares two float tensors element by element; shapes must match exactly. */
export function compareTensors(
  actual: TensorData,
  expected: TensorData,
  tolerance: Tolerance = DEFAULT_TOLERANCE,
): Comparison {
  if (actual.dims.length !== expected.dims.length || actual.dims.some((d, i) => d !== expected.dims[i])) {
    return {
      ok: false,
      maxAbs: Infinity,
      problem: `shape [${actual.dims.join(', ')}], expected [${expected.dims.join(', ')}]`,
    };
  }
  const a = toFloat32(actual);
  const e = toFloat32(expected);
  let maxAbs = 0;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const diff = Math.abs(a[i] - e[i]);
    if (!(diff <= maxAbs)) maxAbs = diff; // also catches NaN
    const excess = diff - (tolerance.atol + tolerance.rtol * Math.abs(e[i]));
    if (!(excess <= worstExcess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worst = i;
    }
  }
  if (worst < 0) return { ok: true, maxAbs, problem: '' };
  return {
    ok: false,
    maxAbs,
    problem: `element ${worst} is ${a[worst]}, expected ${e[worst]} (|err| ${Math.abs(a[worst] - e[worst]).toExponential(2)})`,
  };
}
