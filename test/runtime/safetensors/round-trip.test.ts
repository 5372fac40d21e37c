import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type TensorData } from '@recur/runtime';
import { floatToHalf, parseSafetensors, serializeSafetensors } from '@recur/runtime/internal';
import { fileWith } from './helpers.js';

const FIXTURE = fileURLToPath(
  new URL('../../../fixtures/safetensors/pytorch-lstm-ragged.safetensors', import.meta.url),
);

function headerOf(bytes: Uint8Array): { length: number; text: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, text: new TextDecoder().decode(bytes.subarray(8, 8 + length)) };
}

const EVERY_DTYPE: Record<string, TensorData> = {
  f32: { dtype: 'float32', dims: [2, 3], data: Float32Array.from([1.5, -2, 0, 3.25, 1e-30, -0]) },
  f16: { dtype: 'float16', dims: [3], data: Uint16Array.from([floatToHalf(1), floatToHalf(-0.5), floatToHalf(65504)]) },
  f64: { dtype: 'float64', dims: [2], data: Float64Array.from([Math.PI, -1e300]) },
  i32: { dtype: 'int32', dims: [1, 2], data: Int32Array.from([-2147483648, 2147483647]) },
  i64: { dtype: 'int64', dims: [2], data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n]) },
  i8: { dtype: 'int8', dims: [3], data: Int8Array.from([-128, 0, 127]) },
  u8: { dtype: 'uint8', dims: [1], data: Uint8Array.from([255]) },
  bool: { dtype: 'bool', dims: [2, 1], data: Uint8Array.from([1, 0]) },
  scalar: { dtype: 'float32', dims: [], data: Float32Array.from([7]) },
  empty: { dtype: 'int64', dims: [0, 4], data: new BigInt64Array(0) },
};

describe('safetensors round trip', () => {
  it('writes and reads back every dtype, shape and value, with metadata', () => {
    const bytes = serializeSafetensors(EVERY_DTYPE, { note: 'héllo', b: '2' });
    const store = parseSafetensors(bytes, 'mem.safetensors');
    assert.deepEqual(store.names(), Object.keys(EVERY_DTYPE).sort());
    for (const [name, want] of Object.entries(EVERY_DTYPE)) {
      const got = store.get(name)!;
      assert.equal(got.dtype, want.dtype, name);
      assert.deepEqual(got.dims, want.dims, name);
      assert.equal(got.data.constructor, want.data.constructor, name);
      assert.deepEqual(Array.from(got.data as ArrayLike<unknown>), Array.from(want.data as ArrayLike<unknown>), name);
    }
    assert.deepEqual({ ...store.metadata }, { note: 'héllo', b: '2' });
    assert.equal(store.source, 'mem.safetensors');
    assert.equal(store.get('nope'), undefined);
  });

  it('pads the header with spaces to 8 bytes and lays tensors out largest element first, so reads need no copy', () => {
    const bytes = serializeSafetensors({ a: EVERY_DTYPE['u8'], b: EVERY_DTYPE['i64'], c: EVERY_DTYPE['f32'] });
    const { length, text } = headerOf(bytes);
    assert.equal(length % 8, 0);
    assert.match(text, /^\{.*\} *$/);
    const header = JSON.parse(text) as Record<string, { data_offsets: [number, number]; dtype: string }>;
    assert.deepEqual(Object.keys(header), ['b', 'c', 'a']);
    assert.deepEqual(header['b'].data_offsets, [0, 16]);
    assert.deepEqual(header['c'].data_offsets, [16, 40]);
    assert.deepEqual(header['a'].data_offsets, [40, 41]);
    assert.equal(header['b'].dtype, 'I64');
    const store = parseSafetensors(bytes, 'm');
    assert.equal(store.get('b')!.data.buffer, bytes.buffer, 'aligned tensors are views, not copies');
  });

  it('reads tensors whose offsets are not aligned for their type (copies them)', () => {
    // A 1-byte tensor first puts the float32 at data offset 1; the header length 3 misaligns it further.
    const data = new Uint8Array(5);
    data[0] = 9;
    new DataView(data.buffer).setFloat32(1, -1.25, true);
    const bytes = fileWith(
      { a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] }, b: { dtype: 'F32', shape: [1], data_offsets: [1, 5] } },
      data,
    );
    const store = parseSafetensors(bytes, 'm');
    assert.deepEqual(Array.from(store.get('b')!.data as Float32Array), [-1.25]);
    assert.deepEqual(Array.from(store.get('a')!.data as Uint8Array), [9]);
  });

  it('reads a slice of a larger buffer (non-zero byteOffset)', () => {
    const inner = serializeSafetensors({ x: EVERY_DTYPE['f64'] });
    const outer = new Uint8Array(inner.byteLength + 3);
    outer.set(inner, 3);
    const store = parseSafetensors(outer.subarray(3), 'm');
    assert.deepEqual(Array.from(store.get('x')!.data as Float64Array), [Math.PI, -1e300]);
  });

  it('widens BF16 tensors to float32', () => {
    const data = Uint8Array.from([0x80, 0x3f, 0x20, 0xc0]); // bf16 1.0 = 0x3f80, -2.5 = 0xc020
    const store = parseSafetensors(fileWith({ w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, data), 'm');
    assert.equal(store.get('w')!.dtype, 'float32');
    assert.deepEqual(Array.from(store.get('w')!.data as Float32Array), [1, -2.5]);
  });

  it('accepts a Map and an empty tensor set', () => {
    const store = parseSafetensors(serializeSafetensors(new Map([['m', EVERY_DTYPE['i8']]])), 'm');
    assert.deepEqual(store.names(), ['m']);
    const empty = parseSafetensors(serializeSafetensors({}), 'e');
    assert.deepEqual(empty.names(), []);
  });

  it('reads the file PyTorch wrote (nn.LSTM state dict, ragged batch, outputs)', () => {
    const store = parseSafetensors(readFileSync(FIXTURE), FIXTURE);
    assert.deepEqual(store.names(), [
      'input.c0',
      'input.h0',
      'input.lengths',
      'input.x',
      'output.c_n',
      'output.h_n',
      'output.y',
      'param.bias_hh_l0',
      'param.bias_ih_l0',
      'param.weight_hh_l0',
      'param.weight_ih_l0',
    ]);
    assert.deepEqual(store.get('param.weight_ih_l0')!.dims, [24, 4]);
    assert.deepEqual(store.get('param.weight_hh_l0')!.dims, [24, 6]);
    assert.deepEqual(store.get('output.y')!.dims, [5, 3, 6]);
    const lengths = store.get('input.lengths')!;
    assert.equal(lengths.dtype, 'int64');
    assert.deepEqual(Array.from(lengths.data as BigInt64Array), [5n, 2n, 5n]);
    const w = store.get('param.weight_ih_l0')!.data as Float32Array;
    assert.ok(Math.abs(w[0] - 0.09821786731481552) < 1e-7 && Math.abs(w[1] - -0.14114858210086823) < 1e-7);
    // PyTorch's packed-sequence semantics tie two tensors together: h_n[0, b] = y[len_b - 1, b],
    // and y is zero past each sequence's end. Both only hold if every offset was applied right.
    const y = store.get('output.y')!.data as Float32Array;
    const hn = store.get('output.h_n')!.data as Float32Array;
    [5, 2, 5].forEach((len, b) => {
      for (let k = 0; k < 6; k++) assert.equal(hn[b * 6 + k], y[((len - 1) * 3 + b) * 6 + k]);
    });
    for (let t = 2; t < 5; t++) for (let k = 0; k < 6; k++) assert.equal(y[(t * 3 + 1) * 6 + k], 0);
    assert.deepEqual({ ...store.metadata }, {});
  });

  it('writes the same bytes for the same tensors in any insertion order', () => {
    const a = serializeSafetensors({ x: EVERY_DTYPE['f32'], y: EVERY_DTYPE['i32'] }, { k: 'v', a: 'b' });
    const b = serializeSafetensors({ y: EVERY_DTYPE['i32'], x: EVERY_DTYPE['f32'] }, { a: 'b', k: 'v' });
    assert.deepEqual(a, b);
  });
});
