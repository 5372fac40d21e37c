/**
 * Finite-difference gradient checks in float64, the check Recur's own autodiff tests use: builds
 * `f(inputs)` with graph-builder ops, reduces it to a scalar with a fixed random projection, asks the
 * autodiff for the gradient of every float input, and compares it with central differences computed
 * by running the forward graph in ONNX Runtime. Throws an AssertionError naming the first entry that
 * differs.
 */
import { strict as assert } from 'node:assert';
import * as ort from '@recur/runtime/onnxruntime';
import { GraphBuilder, type DType, type Value } from '@recur/runtime';
import { addGradients } from '../autodiff/gradients.js';

/** An input of a checked function: float64 unless `dtype` says otherwise. */
export interface TensorSpec {
  readonly dims: readonly number[];
  readonly data: readonly number[];
  readonly dtype?: DType;
  /** Differentiate with respect to this input (default: true for float inputs). */
  readonly wrt?: boolean;
}

export interface GradCheckOptions {
  readonly eps?: number;
  readonly atol?: number;
  readonly rtol?: number;
}

/** A deterministic pseudo-random sequence in [-1, 1) (mulberry32), so failures reproduce. */
export function randoms(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out.push((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1);
  }
  return out;
}

/** A float64 input of `dims` filled with `randoms(seed)` times `scale`. */
export function randomInput(dims: readonly number[], seed = 1, scale = 1): TensorSpec {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dims, data: randoms(n, seed).map((v) => v * scale) };
}

function ortTensor(spec: TensorSpec, data?: readonly number[]): ort.Tensor {
  const dtype = spec.dtype ?? 'float64';
  const values = data ?? spec.data;
  if (dtype === 'int64') return new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), spec.dims);
  if (dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(values), spec.dims);
  if (dtype === 'bool') return new ort.Tensor('bool', Uint8Array.from(values), spec.dims);
  if (dtype === 'float32') return new ort.Tensor('float32', Float32Array.from(values), spec.dims);
  return new ort.Tensor('float64', Float64Array.from(values), spec.dims);
}

type Build = (g: GraphBuilder, x: Record<string, Value>) => Value;

function graph(build: Build, inputs: Record<string, TensorSpec>): { g: GraphBuilder; y: Value } {
  const g = new GraphBuilder('check');
  const x: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(inputs)) x[name] = g.input(name, spec.dtype ?? 'float64', spec.dims);
  return { g, y: build(g, x) };
}

/**
 * Checks the autodiff's gradient of `build` against central differences for every float input.
 *
 * @example
 * await gradCheck((g, v) => g.tanh(g.matMul(v.x!, v.w!)), { x: randomInput([2, 3], 1), w: randomInput([3, 4], 2) });
 */
export async function gradCheck(
  build: Build,
  inputs: Record<string, TensorSpec>,
  options: GradCheckOptions = {},
): Promise<void> {
  const eps = options.eps ?? 1e-6,
    atol = options.atol ?? 1e-7,
    rtol = options.rtol ?? 1e-6;
  const feeds = Object.fromEntries(Object.entries(inputs).map(([k, s]) => [k, ortTensor(s)]));

  // Pass 1: the output's shape, for a random projection of the same shape.
  const probe = graph(build, inputs);
  probe.g.output(probe.y, '__probe_y', 'float64');
  const probeSession = await ort.InferenceSession.create(probe.g.toBytes());
  const yShape = (await probeSession.run(feeds))['__probe_y'].dims;
  const yCount = yShape.reduce((a, b) => a * b, 1);

  const { g, y } = graph(build, inputs);
  const proj = g.constant(
    { dtype: 'float64', dims: [...yShape], data: Float64Array.from(randoms(yCount, 99)) },
    'proj',
  );
  const loss = g.reduceSum(g.mul(y, proj), [], false);
  const wrt = Object.entries(inputs)
    .filter(([, s]) => s.wrt ?? (s.dtype ?? 'float64') === 'float64')
    .map(([k]) => k);
  const { grads } = addGradients(g, loss, wrt);
  g.output(loss, 'loss', 'float64', []);
  for (const name of wrt) g.output(grads.get(name)!, `grad.${name}`, 'float64');
  const session = await ort.InferenceSession.create(g.toBytes());
  const out = await session.run(feeds);

  for (const name of wrt) {
    const analytic = out[`grad.${name}`].data as Float64Array;
    const spec = inputs[name];
    assert.deepEqual([...out[`grad.${name}`].dims], [...spec.dims], `gradient of ${name} has the input's shape`);
    for (let i = 0; i < spec.data.length; i++) {
      const plus = [...spec.data];
      plus[i] += eps;
      const minus = [...spec.data];
      minus[i] -= eps;
      const lp = (await session.run({ ...feeds, [name]: ortTensor(spec, plus) }, ['loss']))['loss'].data[0] as number;
      const lm = (await session.run({ ...feeds, [name]: ortTensor(spec, minus) }, ['loss']))['loss'].data[0] as number;
      const numeric = (lp - lm) / (2 * eps);
      const got = analytic[i];
      assert.ok(
        Math.abs(got - numeric) <= atol + rtol * Math.abs(numeric) + (1e-13 * Math.max(1, Math.abs(lp))) / eps,
        `d loss / d ${name}[${i}]: autodiff ${got}, finite differences ${numeric}`,
      );
    }
  }
}
