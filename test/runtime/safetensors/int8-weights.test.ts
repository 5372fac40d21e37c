import { strict as assert } from 'node:assert';
import { type TensorData, type WeightStore } from '@recur/runtime';
import {
  checkWeights,
  dequantizeInt8,
  dequantizeWeightStore,
  int8ScaleName,
  parseSafetensors,
  quantizeInt8,
  serializeSafetensors,
} from '@recur/runtime/internal';
import { throwsWithCode } from '../../helpers/coded-error.js';

const store = (tensors: Record<string, TensorData>): WeightStore =>
  parseSafetensors(serializeSafetensors(tensors), 'q.safetensors');
const W: TensorData = {
  dtype: 'float32',
  dims: [3, 4],
  data: Float32Array.from([0.5, -1, 0.25, 0.01, 0, 0, 0, 0, 100, -3, 7, -100]),
};

describe('int8 weights: per-row symmetric quantization', () => {
  it('keeps every value within half a step of its row, with one float32 scale per row', () => {
    const { values, scale } = quantizeInt8(W);
    assert.equal(values.dtype, 'int8');
    assert.deepEqual(scale.dims, [3, 1]);
    assert.deepEqual(Array.from(scale.data as Float32Array), [Math.fround(1 / 127), 1, Math.fround(100 / 127)]);
    // The largest magnitude of a row maps to +-127.
    assert.deepEqual(Array.from(values.data as Int8Array).slice(8), [127, -4, 9, -127]);
    const back = dequantizeInt8(values, scale);
    const src = W.data as Float32Array;
    for (let i = 0; i < src.length; i++) {
      const step = (scale.data as Float32Array)[Math.floor(i / 4)];
      assert.ok(Math.abs(back[i] - src[i]) <= step / 2 + 1e-7, `element ${i}: ${back[i]} vs ${src[i]}`);
    }
  });

  it('quantizes float16 input and tensors of rank 3 per row of the last dimension', () => {
    const t: TensorData = {
      dtype: 'float32',
      dims: [2, 2, 3],
      data: Float32Array.from([1, 2, 3, -6, 0, 0, 0, 0, 0, 1, 1, -1]),
    };
    const { scale } = quantizeInt8(t);
    assert.deepEqual(scale.dims, [2, 2, 1]);
    assert.deepEqual(Array.from(scale.data as Float32Array), [3 / 127, 6 / 127, 1, 1 / 127].map(Math.fround));
    assert.throws(() => quantizeInt8({ dtype: 'float32', dims: [3], data: new Float32Array(3) }), /rank >= 2/);
    // float16 1.0 and -2.0 (the shipped weights are float16).
    const half = quantizeInt8({ dtype: 'float16', dims: [1, 2], data: Uint16Array.from([0x3c00, 0xc000]) });
    assert.deepEqual(Array.from(half.values.data as Int8Array), [64, -127]);
    assert.deepEqual(Array.from(half.scale.data as Float32Array), [Math.fround(2 / 127)]);
  });

  it('checkWeights accepts int8 with its scale where float32 is expected and hands back float32', () => {
    const q = quantizeInt8(W);
    const s = store({
      w: q.values,
      [int8ScaleName('w')]: q.scale,
      b: { dtype: 'float32', dims: [3], data: new Float32Array(3) },
    });
    const checked = checkWeights(s, [
      { name: 'w', dims: [3, 4] },
      { name: 'b', dims: [3] },
    ]);
    assert.equal(checked.get('w')!.dtype, 'float32');
    assert.deepEqual(Array.from(checked.get('w')!.data as Float32Array), Array.from(dequantizeInt8(q.values, q.scale)));
    assert.equal(checked.get('w_scale'), undefined, 'the scale is consumed, not left as a tensor nobody owns');
    const kept = checkWeights(
      s,
      [
        { name: 'w', dims: [3, 4] },
        { name: 'b', dims: [3] },
      ],
      { keepInt8: true },
    );
    assert.equal(kept.get('w')!.dtype, 'int8');
  });

  it('refuses an int8 tensor without its scale, or with a scale of another shape, naming the tensor', () => {
    const q = quantizeInt8(W);
    throwsWithCode(
      () => checkWeights(store({ w: q.values }), [{ name: 'w', dims: [3, 4] }]),
      'RECUR_E_WEIGHTS_MISMATCH',
      'w: int8 weights need a scale tensor w_scale',
    );
    const wrong: TensorData = { dtype: 'float32', dims: [1, 3], data: new Float32Array(3) };
    throwsWithCode(
      () => checkWeights(store({ w: q.values, w_scale: wrong }), [{ name: 'w', dims: [3, 4] }]),
      'RECUR_E_WEIGHTS_MISMATCH',
      'w_scale of shape [3, 1], the file has [1, 3]',
    );
  });

  it('dequantizeWeightStore turns int8 pairs into float32 and leaves everything else alone', () => {
    const q = quantizeInt8(W);
    const b: TensorData = { dtype: 'float16', dims: [1], data: Uint16Array.from([0x3c00]) };
    const d = dequantizeWeightStore(store({ w: q.values, w_scale: q.scale, b }));
    assert.deepEqual(d.names(), ['b', 'w']);
    assert.equal(d.get('w')!.dtype, 'float32');
    assert.equal(d.get('b')!.dtype, 'float16');
    const plain = store({ b });
    assert.equal(dequantizeWeightStore(plain), plain);
  });
});
