import { type EncoderPart, type ParamDecl, type PluginRegistry, type TensorData } from '@recur/runtime';
import { mulberry32 } from '@recur/runtime/internal';
import { createPart, encoderParams, type RecurrentEncoder } from '@recur/recurrent';

/** A small seeded generator (the runtime's mulberry32), so every run sees the same numbers. */
export const seeded = mulberry32;

export function randomTensor(rand: () => number, dims: readonly number[], scale = 1): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', dims: [...dims], data: Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale) };
}

/** The parameters an encoder declares, each filled with seeded uniform values. */
export function randomWeights(encoder: EncoderPart, inputDim: number, seed: number): Record<string, TensorData> {
  const rand = seeded(seed);
  return Object.fromEntries(
    encoderParams(encoder, inputDim).map((p: ParamDecl) => [p.name, randomTensor(rand, p.dims, 0.6)]),
  );
}

export { runEncoder, type EncoderRun } from '@recur/recurrent';

export function recurrent(
  registry: PluginRegistry,
  block: Record<string, unknown>,
  inputDim: number,
): Promise<RecurrentEncoder> {
  return createPart(registry, 'encoder', { type: 'recurrent', ...block }, { inputDim }) as Promise<RecurrentEncoder>;
}

/** Largest |a - b| / (1e-5 + 1e-5 |b|): at most 1 means within the fixtures' tolerance. */
export function toleranceRatio(a: TensorData, b: TensorData): number {
  if (a.dims.join() !== b.dims.join()) throw new Error(`shapes differ: [${a.dims}] vs [${b.dims}]`);
  let worst = 0;
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1e-5 + 1e-5 * Math.abs(y[i])));
  return worst;
}
