import { strict as assert } from 'node:assert';
import { OrtBackend } from '@recur/runtime';
import { recurrentRegistry } from '@recur/recurrent';
import { randomTensor, randomWeights, recurrent, runEncoder, seeded, toleranceRatio } from './helpers.js';

const CELLS = [
  { name: 'LSTM', cell: { type: 'lstm' }, states: ['h', 'c'] },
  { name: 'GRU (linear_before_reset=1)', cell: { type: 'gru' }, states: ['h'] },
  { name: 'RNN tanh', cell: { type: 'rnn', activation: 'tanh' }, states: ['h'] },
  { name: 'RNN relu', cell: { type: 'rnn', activation: 'relu' }, states: ['h'] },
];

const LAYOUTS = [
  { name: 'one layer, full length', bidirectional: false, layers: 1, ragged: false },
  { name: 'bidirectional', bidirectional: true, layers: 1, ragged: false },
  { name: 'two layers', bidirectional: false, layers: 2, ragged: false },
  { name: 'bidirectional, two layers, ragged with initial states', bidirectional: true, layers: 2, ragged: true },
];

describe('recurrent encoder: native operator == Scan over the cell step', () => {
  const registry = recurrentRegistry();
  const backend = new OrtBackend();
  after(() => backend.dispose());
  const T = 6,
    B = 3,
    I = 4,
    H = 5;

  for (const c of CELLS) {
    for (const layout of LAYOUTS) {
      it(`${c.name}: ${layout.name}`, async () => {
        const block = { cell: c.cell, hidden: H, layers: layout.layers, bidirectional: layout.bidirectional };
        const native = await recurrent(registry, { ...block, path: 'native' }, I);
        const scan = await recurrent(registry, { ...block, path: 'scan' }, I);
        assert.equal(native.path, 'native');
        assert.equal(scan.path, 'scan');
        const weights = randomWeights(native, I, 7);
        assert.deepEqual(
          Object.keys(randomWeights(scan, I, 7)).sort(),
          Object.keys(weights).sort(),
          'both paths declare the same parameters',
        );
        const rand = seeded(11);
        const x = randomTensor(rand, [T, B, I], 2);
        const lengths = layout.ragged ? [T, 2, 4] : [T, T, T];
        const rows = layout.layers * (layout.bidirectional ? 2 : 1);
        const initial = layout.ragged
          ? Object.fromEntries(c.states.map((s) => [s, randomTensor(rand, [rows, B, H])]))
          : {};

        const a = await runEncoder(backend, native, I, weights, x, lengths, initial);
        const b = await runEncoder(backend, scan, I, weights, x, lengths, initial);
        assert.deepEqual(a.y.dims, [T, B, native.outputDim]);
        assert.ok(toleranceRatio(b.y, a.y) <= 1, `sequence differs: ${toleranceRatio(b.y, a.y)}`);
        for (const s of c.states) {
          assert.deepEqual(a.final[s].dims, [rows, B, H]);
          assert.ok(
            toleranceRatio(b.final[s], a.final[s]) <= 1,
            `final ${s} differs: ${toleranceRatio(b.final[s], a.final[s])}`,
          );
        }
        if (layout.ragged) {
          // Padded steps are zeros on both paths (sequence 1 has 2 valid steps).
          const y = b.y.data as Float32Array;
          const D = native.outputDim;
          for (let t = 2; t < T; t++) for (let k = 0; k < D; k++) assert.equal(y[(t * B + 1) * D + k], 0);
        }
      });
    }
  }
});

describe('recurrent encoder: auto path for a cell whose Scan path is faster over sequences (RNN)', () => {
  const registry = recurrentRegistry();
  const backend = new OrtBackend();
  after(() => backend.dispose());

  for (const T of [1, 5]) {
    it(`dispatches on the number of steps and matches the native operator (${T} step${T > 1 ? 's' : ''})`, async () => {
      const I = 3,
        H = 4,
        B = 2;
      const block = { cell: { type: 'rnn', activation: 'relu' }, hidden: H, layers: 2, bidirectional: true };
      const auto = await recurrent(registry, block, I);
      assert.equal(auto.path, 'dispatch');
      const native = await recurrent(registry, { ...block, path: 'native' }, I);
      const weights = randomWeights(native, I, 3);
      assert.deepEqual(Object.keys(randomWeights(auto, I, 3)).sort(), Object.keys(weights).sort());
      const rand = seeded(8);
      const x = randomTensor(rand, [T, B, I], 2);
      const initial = { h: randomTensor(rand, [4, B, H]) };
      const lengths = [T, Math.max(1, T - 2)];
      const a = await runEncoder(backend, auto, I, weights, x, lengths, initial);
      const b = await runEncoder(backend, native, I, weights, x, lengths, initial);
      assert.ok(toleranceRatio(a.y, b.y) <= 1);
      assert.ok(toleranceRatio(a.final['h'], b.final['h']) <= 1);
    });
  }
});
