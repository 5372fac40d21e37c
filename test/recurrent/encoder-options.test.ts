import { strict as assert } from 'node:assert';
import { definePlugin, GraphBuilder, OrtBackend, type CellPart, type TensorData } from '@recur/runtime';
import { recurrentRegistry, standalonePartContext } from '@recur/recurrent';
import { randomTensor, randomWeights, recurrent, runEncoder, seeded } from './helpers.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

/** A cell without a native operator: h' = tanh(x W^T + h). */
const plainCell = definePlugin<'cell'>({
  kind: 'cell',
  type: 'plain-test.v1',
  description: 'test cell',
  options: { type: 'object', properties: {} },
  create: (): CellPart => ({
    stateNames: ['h'],
    declare: (g, input, H) => {
      const W = g.param('W', [H, input]);
      return { step: (g, xt, { h }) => ({ h: g.tanh(g.add(g.gemm(xt, W, undefined, { transB: true }), h)) }) };
    },
  }),
});

describe('recurrent encoder options', () => {
  const registry = recurrentRegistry().register(plainCell);
  const backend = new OrtBackend();
  after(() => backend.dispose());

  it('reads its input size from upstream, reports dirs*hidden, and names parameters by layer and direction', async () => {
    const enc = await recurrent(registry, { cell: { type: 'gru' }, hidden: 6, layers: 2, bidirectional: true }, 5);
    assert.equal(enc.outputDim, 12);
    assert.equal(enc.path, 'native');
    const g = new GraphBuilder('t');
    enc.build(g.scope('encoder'), g.input('x', 'float32', ['T', 'B', 5]), g.input('lengths', 'int32', ['B']));
    const dims = Object.fromEntries(g.params.map((p) => [p.name, p.dims.join('x')]));
    assert.deepEqual(dims, {
      'encoder.layers.0.forward.W': '18x5',
      'encoder.layers.0.forward.R': '18x6',
      'encoder.layers.0.forward.B': '36',
      'encoder.layers.0.backward.W': '18x5',
      'encoder.layers.0.backward.R': '18x6',
      'encoder.layers.0.backward.B': '36',
      'encoder.layers.1.forward.W': '18x12',
      'encoder.layers.1.forward.R': '18x6',
      'encoder.layers.1.forward.B': '36',
      'encoder.layers.1.backward.W': '18x12',
      'encoder.layers.1.backward.R': '18x6',
      'encoder.layers.1.backward.B': '36',
    });
  });

  it('refuses to start without an input size (RECUR_E_RECURRENT_INPUT_DIM)', async () => {
    await rejectsWithCode(
      Promise.resolve().then(() =>
        registry
          .resolve('encoder', 'recurrent')
          .create({ cell: { type: 'lstm' }, hidden: 4 }, standalonePartContext(registry, {}, '/encoder', {})),
      ),
      'RECUR_E_RECURRENT_INPUT_DIM',
    );
  });

  it('runs a cell without a native operator on the Scan path, and refuses path "native" for it', async () => {
    const auto = await recurrent(registry, { cell: { type: 'plain-test' }, hidden: 3 }, 2);
    assert.equal(auto.path, 'scan');
    await rejectsWithCode(
      recurrent(registry, { cell: { type: 'plain-test' }, hidden: 3, path: 'native' }, 2),
      'RECUR_E_RECURRENT_NO_NATIVE',
      { pointer: '/encoder/path' },
    );
    // h_t = tanh(x_t W^T + h_{t-1}) by hand, for one sequence of 2 steps and one of 1.
    const weights = {
      'encoder.layers.0.forward.W': {
        dtype: 'float32',
        dims: [3, 2],
        data: Float32Array.from([1, 0, 0, 1, 1, 1]),
      } as TensorData,
    };
    const x: TensorData = {
      dtype: 'float32',
      dims: [2, 2, 2],
      data: Float32Array.from([0.5, -1, 1, 2, 0.25, 0.5, 9, 9]),
    };
    const run = await runEncoder(backend, auto, 2, weights, x, [2, 1]);
    const h1 = [Math.tanh(0.5), Math.tanh(-1), Math.tanh(-0.5)];
    const h2 = [Math.tanh(0.25 + h1[0]), Math.tanh(0.5 + h1[1]), Math.tanh(0.75 + h1[2])];
    const other = [Math.tanh(1), Math.tanh(2), Math.tanh(3)];
    const y = Array.from(run.y.data as Float32Array);
    expectClose(y, [...h1, ...other, ...h2, 0, 0, 0]);
    expectClose(Array.from(run.final['h'].data as Float32Array), [...h2, ...other]);
  });

  for (const path of ['native', 'scan'] as const) {
    it(`pools last / mean / max over valid steps only (${path})`, async () => {
      const T = 4,
        B = 2,
        I = 3,
        H = 2;
      const base = { cell: { type: 'lstm' }, hidden: H, bidirectional: true, path };
      const weights = randomWeights(await recurrent(registry, base, I), I, 3);
      const x = randomTensor(seeded(5), [T, B, I], 2);
      const lengths = [4, 2];
      const plain = await runEncoder(backend, await recurrent(registry, base, I), I, weights, x, lengths);
      const y = plain.y.data as Float32Array;
      const D = 2 * H;
      const at = (t: number, b: number, k: number) => y[(t * B + b) * D + k];
      for (const pooling of ['last', 'mean', 'max'] as const) {
        const pooled = await runPooled(
          backend,
          await recurrent(registry, { ...base, pooling }, I),
          I,
          weights,
          x,
          lengths,
        );
        const expected: number[] = [];
        for (let b = 0; b < B; b++) {
          for (let k = 0; k < D; k++) {
            const valid = Array.from({ length: lengths[b] }, (_, t) => at(t, b, k));
            if (pooling === 'mean') expected.push(valid.reduce((s, v) => s + v, 0) / valid.length);
            if (pooling === 'max') expected.push(Math.max(...valid));
            // last: forward half at the last valid step, backward half at step 0.
            if (pooling === 'last') expected.push(k < H ? at(lengths[b] - 1, b, k) : at(0, b, k));
          }
        }
        expectClose(pooled, expected, pooling);
      }
    });
  }

  it('builds graphs whose inputs have static sizes, and keeps the initial state for an empty sequence (Scan path)', async () => {
    const enc = await recurrent(registry, { cell: { type: 'gru' }, hidden: 2, path: 'scan', pooling: 'mean' }, 2);
    const weights = randomWeights(enc, 2, 9);
    const g = new GraphBuilder('static');
    const out = enc.build(g.scope('encoder'), g.input('x', 'float32', [3, 2, 2]), g.input('lengths', 'int32', [2]), {
      h: g.input('h0', 'float32', [1, 2, 2]),
    });
    g.output(out.sequence, 'y', 'float32', [3, 2, 2]);
    g.output(out.final['h'], 'h', 'float32', [1, 2, 2]);
    g.output(out.pooled!, 'pooled', 'float32', [2, 2]);
    const session = await backend.session({ name: 'static', model: g.toBytes({ weights: (d) => weights[d.name] }) });
    try {
      const h0 = Float32Array.from([0.1, 0.2, 0.3, 0.4]);
      const res = await session.run({
        x: randomTensor(seeded(2), [3, 2, 2]),
        lengths: { dtype: 'int32', dims: [2], data: Int32Array.from([3, 0]) },
        h0: { dtype: 'float32', dims: [1, 2, 2], data: h0 },
      });
      const y = res['y'].data as Float32Array;
      for (let t = 0; t < 3; t++)
        assert.deepEqual([y[t * 4 + 2], y[t * 4 + 3]], [0, 0], 'an empty sequence outputs zeros');
      expectClose(
        Array.from((res['h'].data as Float32Array).subarray(2)),
        [0.3, 0.4],
        'final state of an empty sequence',
      );
      expectClose(Array.from((res['pooled'].data as Float32Array).subarray(2)), [0, 0], 'mean of an empty sequence');
    } finally {
      await session.release();
    }
  });

  it('calls betweenLayers on every layer output but the last, and feeds its result on', async () => {
    const enc = await recurrent(registry, { cell: { type: 'rnn' }, hidden: 2, layers: 3, path: 'scan' }, 2);
    const seen: number[] = [];
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['T', 'B', 2]);
    const out = enc.build(g.scope('encoder'), x, g.input('lengths', 'int32', ['B']), undefined, {
      betweenLayers: (gb, seq, layer) => {
        seen.push(layer);
        return gb.mul(seq, gb.scalar(0.5));
      },
    });
    assert.deepEqual(seen, [0, 1]);
    assert.equal(g.nodes.filter((n) => n.opType === 'Mul').length, 2);
    assert.ok(out.sequence);
  });
});

async function runPooled(
  backend: OrtBackend,
  enc: Awaited<ReturnType<typeof recurrent>>,
  I: number,
  weights: Record<string, TensorData>,
  x: TensorData,
  lengths: number[],
): Promise<number[]> {
  const g = new GraphBuilder('pooled');
  const out = enc.build(g.scope('encoder'), g.input('x', 'float32', ['T', 'B', I]), g.input('lengths', 'int32', ['B']));
  assert.ok(out.pooled, 'pooled output');
  g.output(out.pooled, 'pooled', 'float32', ['B', enc.outputDim]);
  const session = await backend.session({ name: 'pooled', model: g.toBytes({ weights: (d) => weights[d.name] }) });
  try {
    const res = await session.run({
      x,
      lengths: { dtype: 'int32', dims: [lengths.length], data: Int32Array.from(lengths) },
    });
    return Array.from(res['pooled'].data as Float32Array);
  } finally {
    await session.release();
  }
}

function expectClose(actual: number[], expected: number[], what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => {
    assert.ok(
      Math.abs(v - expected[i]) <= 1e-5 + 1e-5 * Math.abs(expected[i]),
      `${what}[${i}]: ${v} vs ${expected[i]}`,
    );
  });
}
