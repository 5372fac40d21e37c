import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OrtBackend, PluginRegistry, type PluginDefinition, type TensorData } from '@recur/runtime';
import { builtinRecurrent } from '@recur/recurrent';
import { randomTensor, randomWeights, recurrent, runEncoder, seeded, toleranceRatio } from './helpers.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

/** docs/examples, where the guide's example plugin lives as a package of its own. */
const examples = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));

describe('custom-cell guide: the MGU example plugin (docs/examples/mgu-cell)', () => {
  const backend = new OrtBackend();
  after(() => backend.dispose());

  async function registryWithMgu(): Promise<PluginRegistry> {
    // As a third party's plugin: imported by its path, its default export registered explicitly.
    const mod = (await import(pathToFileURL(join(examples, 'mgu-cell', 'index.js')).href)) as {
      default: PluginDefinition;
    };
    return new PluginRegistry().register(...builtinRecurrent, mod.default);
  }

  it('loads from its own folder and registers as cell "mgu.v1" (bare name "mgu")', async () => {
    const registry = await registryWithMgu();
    assert.equal(registry.resolve('cell', 'mgu').type, 'mgu.v1');
  });

  it('runs in a bidirectional two-layer encoder on the Scan path, equal to a plain JavaScript MGU (ragged, initial states)', async () => {
    const registry = await registryWithMgu();
    const T = 5,
      B = 3,
      I = 4,
      H = 3;
    const encoder = await recurrent(registry, { cell: { type: 'mgu' }, hidden: H, layers: 2, bidirectional: true }, I);
    assert.equal(encoder.path, 'scan');
    const weights = randomWeights(encoder, I, 21);
    assert.deepEqual(
      Object.keys(weights)
        .filter((n) => n.startsWith('encoder.layers.1.backward.'))
        .sort(),
      [
        'encoder.layers.1.backward.Uf',
        'encoder.layers.1.backward.Uh',
        'encoder.layers.1.backward.W',
        'encoder.layers.1.backward.b',
      ],
    );
    const rand = seeded(4);
    const x = randomTensor(rand, [T, B, I], 1.5);
    const h0 = randomTensor(rand, [4, B, H]);
    const lengths = [5, 3, 1];
    const run = await runEncoder(backend, encoder, I, weights, x, lengths, { h: h0 });
    const expected = referenceMgu(weights, x, lengths, h0, { layers: 2, H });
    assert.ok(toleranceRatio(run.y, expected.y) <= 1, `sequence: ${toleranceRatio(run.y, expected.y)}`);
    assert.ok(
      toleranceRatio(run.final['h'], expected.h) <= 1,
      `final h: ${toleranceRatio(run.final['h'], expected.h)}`,
    );
  });

  it('has no native operator, so path "native" is refused with RECUR_E_RECURRENT_NO_NATIVE', async () => {
    const registry = await registryWithMgu();
    await rejectsWithCode(
      recurrent(registry, { cell: { type: 'mgu' }, hidden: 2, path: 'native' }, 2),
      'RECUR_E_RECURRENT_NO_NATIVE',
    );
  });
});

/** A bidirectional stacked MGU in plain JavaScript, with PyTorch packed-sequence semantics. */
function referenceMgu(
  w: Record<string, TensorData>,
  x: TensorData,
  lengths: number[],
  h0: TensorData,
  { layers, H }: { layers: number; H: number },
) {
  const [T, B] = x.dims as [number, number];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  let input: number[][][] = Array.from({ length: T }, (_, t) =>
    Array.from({ length: B }, (_, b) =>
      Array.from((x.data as Float32Array).subarray((t * B + b) * x.dims[2], (t * B + b + 1) * x.dims[2])),
    ),
  );
  const finals: number[][][] = [];
  for (let l = 0; l < layers; l++) {
    const out: number[][][] = Array.from({ length: T }, () =>
      Array.from({ length: B }, () => new Array<number>(2 * H).fill(0)),
    );
    for (let d = 0; d < 2; d++) {
      const p = (n: string) => w[`encoder.layers.${l}.${d ? 'backward' : 'forward'}.${n}`].data as Float32Array;
      const [W, bias, Uf, Uh] = [p('W'), p('b'), p('Uf'), p('Uh')];
      const I = input[0][0].length;
      const final: number[][] = [];
      for (let b = 0; b < B; b++) {
        const row = (l * 2 + d) * B + b;
        let h = Array.from((h0.data as Float32Array).subarray(row * H, (row + 1) * H));
        const steps = Array.from({ length: lengths[b] }, (_, i) => (d ? lengths[b] - 1 - i : i));
        for (const t of steps) {
          const xt = input[t][b];
          const lin = (r: number) => bias[r] + xt.reduce((s, v, i) => s + W[r * I + i] * v, 0);
          const f = h.map((_, j) => sig(lin(j) + h.reduce((s, v, k) => s + Uf[j * H + k] * v, 0)));
          const fh = h.map((v, k) => f[k] * v);
          const cand = h.map((_, j) => Math.tanh(lin(H + j) + fh.reduce((s, v, k) => s + Uh[j * H + k] * v, 0)));
          h = h.map((v, j) => v + f[j] * (cand[j] - v));
          for (let j = 0; j < H; j++) out[t][b][d * H + j] = h[j]!;
        }
        final.push(h);
      }
      finals.push(final);
    }
    input = out;
  }
  const flat = (a: number[][][]) => Float32Array.from(a.flat(2));
  return {
    y: { dtype: 'float32', dims: [T, B, 2 * H], data: flat(input) } as TensorData,
    h: { dtype: 'float32', dims: [2 * layers, B, H], data: flat(finals) } as TensorData,
  };
}
