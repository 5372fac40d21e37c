import { GraphBuilder, type TensorData } from '@recur/runtime';
import type { RecurrentEncoder } from '@recur/recurrent';

/** Uniform(-1/sqrt(H), 1/sqrt(H)) weights, as PyTorch initialises its modules; fixed seed. */
export function seededWeights(encoder: RecurrentEncoder, input: number): Record<string, TensorData> {
  const g = new GraphBuilder('probe');
  encoder.build(
    g.scope('encoder'),
    g.input('x', 'float32', ['time', 'batch', input]),
    g.input('lengths', 'int32', ['batch']),
  );
  return Object.fromEntries(g.params.map((p) => [p.name, randomTensor(p.dims, 1 / Math.sqrt(encoder.hidden))]));
}

/** A fixed-seed linear congruential generator: the same weights and inputs in every run. */
let seed = 12345;
/** Uniform(-scale, scale) float32 values of the given shape. */
export function randomTensor(dims: readonly number[], scale: number): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = ((seed / 2 ** 32) * 2 - 1) * scale;
  }
  return { dtype: 'float32', dims: [...dims], data };
}
