import { GraphBuilder, mulberry32, OrtBackend, type EncoderPart, type ParamDecl, type PluginRegistry, type TensorData } from '@recur/runtime';
import { createPart, encoderModel, ENCODER_GRAPH_IO, type RecurrentEncoder } from '@recur/recurrent';

/** A small seeded generator (the runtime's mulberry32), so every run sees the same numbers. */
export const seeded = mulberry32;

export function randomTensor(rand: () => number, dims: readonly number[], scale = 1): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', dims: [...dims], data: Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale) };
}

/** The parameters an encoder declares, each filled with seeded uniform values. */
export function randomWeights(encoder: EncoderPart, inputDim: number, seed: number): Record<string, TensorData> {
  const g = new GraphBuilder('probe');
  encoder.build(g.scope('encoder'), g.input('x', 'float32', ['time', 'batch', inputDim]), g.input('lengths', 'int32', ['batch']));
  const rand = seeded(seed);
  return Object.fromEntries(g.params.map((p: ParamDecl) => [p.name, randomTensor(rand, p.dims, 0.6)]));
}

export interface EncoderRun {
  readonly y: TensorData;
  readonly final: Record<string, TensorData>;
}

/** Builds the encoder into a model (see `encoderModel`), runs it once and returns its outputs. */
export async function runEncoder(
  backend: OrtBackend, encoder: EncoderPart, inputDim: number, weights: Record<string, TensorData>,
  x: TensorData, lengths: readonly number[], initial: Record<string, TensorData> = {},
): Promise<EncoderRun> {
  const model = encoderModel(encoder, inputDim, weights, Object.keys(initial));
  const session = await backend.session({ name: 'test-encoder', model });
  try {
    const feeds: Record<string, TensorData> = { x, lengths: { dtype: 'int32', dims: [lengths.length], data: Int32Array.from(lengths) } };
    for (const [s, t] of Object.entries(initial)) feeds[ENCODER_GRAPH_IO.initial(s)] = t;
    const out = await session.run(feeds);
    const final: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(out)) if (name.startsWith('final_')) final[name.slice('final_'.length)] = t;
    return { y: out[ENCODER_GRAPH_IO.sequence]!, final };
  } finally {
    await session.release();
  }
}

export function recurrent(registry: PluginRegistry, block: Record<string, unknown>, inputDim: number): Promise<RecurrentEncoder> {
  return createPart(registry, 'encoder', { type: 'recurrent', ...block }, { inputDim }) as Promise<RecurrentEncoder>;
}

/** Largest |a - b| / (1e-5 + 1e-5 |b|): at most 1 means within the fixtures' tolerance. */
export function toleranceRatio(a: TensorData, b: TensorData): number {
  if (a.dims.join() !== b.dims.join()) throw new Error(`shapes differ: [${a.dims}] vs [${b.dims}]`);
  let worst = 0;
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / (1e-5 + 1e-5 * Math.abs(y[i]!)));
  return worst;
}
