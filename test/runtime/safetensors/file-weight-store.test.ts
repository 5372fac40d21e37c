import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TensorData } from '@recur/runtime';
import { FileWeightStore, checkWeights, floatToHalf, serializeSafetensors } from '@recur/runtime/internal';
import { fileWith } from './helpers.js';
import { rejectsWithCode } from '../../helpers/coded-error.js';

const W: TensorData = { dtype: 'float32', dims: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
const H: TensorData = { dtype: 'float16', dims: [3], data: Uint16Array.from([0.5, -2, 8], floatToHalf) };

describe('safetensors: FileWeightStore (header read, tensors on demand)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recur-fws-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers names, dtypes and shapes from the header, reads values on demand, and says where each tensor lies', async () => {
    const path = join(dir, 'w.safetensors');
    const bytes = serializeSafetensors({ w: W, h: H }, { note: 'x' });
    writeFileSync(path, bytes);
    const store = await FileWeightStore.open(path);
    assert.deepEqual(store.names(), ['h', 'w']);
    assert.deepEqual(store.info('w'), { dtype: 'float32', dims: [2, 3] });
    assert.deepEqual(store.info('h'), { dtype: 'float16', dims: [3] });
    assert.equal(store.metadata['note'], 'x');
    assert.deepEqual(Array.from(store.get('w')!.data as Float32Array), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(store.get('h')!.data as Uint16Array), Array.from(H.data as Uint16Array));
    assert.equal(store.get('nope'), undefined);
    // The extent is where the bytes really are: reading them there gives the tensor.
    for (const [name, t] of [
      ['w', W],
      ['h', H],
    ] as const) {
      const e = store.extent(name)!;
      assert.equal(join(e.dir, e.file), join(dir, 'w.safetensors'));
      const raw = bytes.subarray(e.offset, e.offset + e.length);
      assert.deepEqual(raw, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      assert.equal(e.dtype, t.dtype);
    }
    assert.equal(
      store.extent('w')!.fingerprint,
      `${statSync(path).size}:${statSync(path).mtimeMs}:${statSync(path).ino}`,
    );
  });

  it('checkWeights needs only the header: shapes and dtypes are checked without reading values', async () => {
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, serializeSafetensors({ w: W }, {}));
    const store = await FileWeightStore.open(path);
    store.get = () => {
      throw new Error('values were read');
    };
    assert.equal(checkWeights(store, [{ name: 'w', dims: [2, 3] }]), store);
    assert.throws(() => checkWeights(store, [{ name: 'w', dims: [3, 2] }]), /expected \[3, 2\], file has \[2, 3\]/);
  });

  it('points extents at the real file behind a symbolic link; bfloat16 has none (it is widened when read)', async () => {
    const real = join(dir, 'real.safetensors');
    const bf16 = new Uint8Array([0x80, 0x3f, 0x00, 0xc0]); // 1.0 and -2.0 as bfloat16
    writeFileSync(real, fileWith({ b: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, bf16));
    symlinkSync(real, join(dir, 'link.safetensors'));
    const store = await FileWeightStore.open(join(dir, 'link.safetensors'));
    assert.equal(store.extent('b'), undefined);
    assert.deepEqual(Array.from(store.get('b')!.data as Float32Array), [1, -2]);
    assert.deepEqual(store.info('b'), { dtype: 'float32', dims: [2] });
  });

  it('a missing file is RECUR_E_IO; a bad header is RECUR_E_WEIGHTS_INVALID naming the file', async () => {
    await rejectsWithCode(
      FileWeightStore.open(join(dir, 'nope.safetensors')),
      'RECUR_E_IO',
      'nope.safetensors',
      'no such file',
    );
    const short = join(dir, 'short.safetensors');
    writeFileSync(short, new Uint8Array(3));
    await rejectsWithCode(
      FileWeightStore.open(short),
      'RECUR_E_WEIGHTS_INVALID',
      short,
      'fewer than the 8-byte header length',
    );
    const holey = join(dir, 'holey.safetensors');
    writeFileSync(holey, fileWith({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)));
    await rejectsWithCode(FileWeightStore.open(holey), 'RECUR_E_WEIGHTS_INVALID', 'must be contiguous');
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, fileWith({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8)));
    await rejectsWithCode(FileWeightStore.open(truncated), 'RECUR_E_WEIGHTS_INVALID', 'run past the data section');
  });
});
