import { strict as assert } from 'node:assert';
import { RecurError, type TensorData } from '@recur/runtime';
import { importTorchRecurrent } from '@recur/recurrent';
import { throwsWithCode } from '../helpers/coded-error.js';

/** A tensor whose gate block k (rows k*H .. (k+1)*H) is filled with the value k + 1 + offset. */
function gateBlocks(gates: number, hidden: number, cols: number, offset = 0): TensorData {
  const data = new Float32Array(gates * hidden * Math.max(cols, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(i / (hidden * Math.max(cols, 1))) + 1 + offset;
  return { dtype: 'float32', dims: cols > 0 ? [gates * hidden, cols] : [gates * hidden], data };
}

function torchLayer(gates: number, hidden: number, input: number, suffix: string): Record<string, TensorData> {
  return {
    [`weight_ih${suffix}`]: gateBlocks(gates, hidden, input),
    [`weight_hh${suffix}`]: gateBlocks(gates, hidden, hidden, 10),
    [`bias_ih${suffix}`]: gateBlocks(gates, hidden, 0, 20),
    [`bias_hh${suffix}`]: gateBlocks(gates, hidden, 0, 30),
  };
}

/** The gate value of each row block, read back from a converted tensor. */
function blocks(t: TensorData, hidden: number): number[] {
  const per = t.data.length / (t.dims[0] / hidden);
  return Array.from({ length: t.dims[0] / hidden }, (_, k) => Number(t.data[k * per]));
}

describe('importTorchRecurrent', () => {
  it('reorders LSTM gates i,f,g,o -> i,o,f,c and concatenates biases as [Wb, Rb]', () => {
    const H = 2;
    const out = importTorchRecurrent(
      torchLayer(4, H, 3, '_l0'),
      { kind: 'lstm', layers: 1, bidirectional: false },
      'encoder',
    );
    assert.deepEqual(Object.keys(out).sort(), [
      'encoder.layers.0.forward.B',
      'encoder.layers.0.forward.R',
      'encoder.layers.0.forward.W',
    ]);
    assert.deepEqual(out['encoder.layers.0.forward.W'].dims, [8, 3]);
    assert.deepEqual(blocks(out['encoder.layers.0.forward.W'], H), [1, 4, 2, 3]);
    assert.deepEqual(blocks(out['encoder.layers.0.forward.R'], H), [11, 14, 12, 13]);
    assert.deepEqual(out['encoder.layers.0.forward.B'].dims, [16]);
    assert.deepEqual(blocks(out['encoder.layers.0.forward.B'], H), [21, 24, 22, 23, 31, 34, 32, 33]);
  });

  it('reorders GRU gates r,z,n -> z,r,h and maps layers and reverse directions', () => {
    const H = 3;
    const dict = {
      ...torchLayer(3, H, 5, '_l0'),
      ...torchLayer(3, H, 5, '_l0_reverse'),
      ...torchLayer(3, H, 2 * H, '_l1'),
      ...torchLayer(3, H, 2 * H, '_l1_reverse'),
    };
    const prefixed = Object.fromEntries(Object.entries(dict).map(([k, v]) => [`rnn.${k}`, v]));
    const out = importTorchRecurrent(
      prefixed,
      { kind: 'gru', layers: 2, bidirectional: true, hidden: H, from: 'rnn.' },
      'source.encoder',
    );
    assert.equal(Object.keys(out).length, 12);
    assert.deepEqual(out['source.encoder.layers.1.backward.W'].dims, [9, 6]);
    assert.deepEqual(blocks(out['source.encoder.layers.0.backward.W'], H), [2, 1, 3]);
    assert.deepEqual(blocks(out['source.encoder.layers.1.forward.B'], H), [22, 21, 23, 32, 31, 33]);
  });

  it('keeps the single RNN block and fills B with zeros for bias=False modules', () => {
    const dict = torchLayer(1, 2, 3, '_l0');
    delete dict['bias_ih_l0'];
    delete dict['bias_hh_l0'];
    const out = importTorchRecurrent(dict, { kind: 'rnn_relu', layers: 1, bidirectional: false, bias: false }, '');
    assert.deepEqual(Array.from(out['layers.0.forward.B'].data as Float32Array), [0, 0, 0, 0]);
    assert.equal(out['layers.0.forward.W'].data[0], 1);
  });

  it('names a missing tensor (RECUR_E_RECURRENT_TORCH_MISSING) with the nearest names', () => {
    const dict = torchLayer(4, 2, 3, '_l0');
    delete dict['weight_hh_l0'];
    assert.throws(
      () => importTorchRecurrent(dict, { kind: 'lstm', layers: 1, bidirectional: false, hidden: 2 }),
      (err: unknown) =>
        RecurError.is(err) &&
        err.code === 'RECUR_E_RECURRENT_TORCH_MISSING' &&
        err.details['tensor'] === 'weight_hh_l0' &&
        /weight_hh_l0/.test(err.message),
    );
  });

  it('names a mis-shaped tensor (RECUR_E_RECURRENT_TORCH_SHAPE) with its shape and the expected one', () => {
    const dict = torchLayer(3, 2, 3, '_l0');
    dict['bias_hh_l0'] = gateBlocks(2, 2, 0);
    assert.throws(
      () => importTorchRecurrent(dict, { kind: 'gru', layers: 1, bidirectional: false, hidden: 2 }),
      (err: unknown) =>
        RecurError.is(err) &&
        err.code === 'RECUR_E_RECURRENT_TORCH_SHAPE' &&
        err.details['tensor'] === 'bias_hh_l0' &&
        err.details.expected === '[6]',
    );
  });

  it('refuses LSTMs with proj_size (RECUR_E_RECURRENT_TORCH_UNSUPPORTED)', () => {
    const dict = { ...torchLayer(4, 2, 3, '_l0'), weight_hr_l0: gateBlocks(1, 1, 2) };
    throwsWithCode(
      () => importTorchRecurrent(dict, { kind: 'lstm', layers: 1, bidirectional: false }),
      'RECUR_E_RECURRENT_TORCH_UNSUPPORTED',
    );
  });
});
