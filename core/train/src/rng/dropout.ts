import type { TensorData } from '@recur/runtime';
import type { Xoshiro128 } from './xoshiro128.js';

/**
 * An inverted-dropout mask: each element is 0 with probability `rate`, else 1 / (1 - rate), drawn from
 * the run's generator and fed to the graph as an input (so a resumed run draws the same masks).
 */
export function dropoutMask(rng: Xoshiro128, dims: readonly number[], rate: number): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) data[i] = rng.next() < rate ? 0 : keep;
  return { dtype: 'float32', dims: [...dims], data };
}
