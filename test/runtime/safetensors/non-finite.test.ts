import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TensorData } from '@recur/runtime';
import { floatToHalf, FileWeightStore, serializeSafetensors } from '@recur/runtime/internal';
import { runCli } from '../../cli/run-cli.js';
import { demoCopy } from '../../helpers/demo-copy.js';
import { rejectsWithCode } from '../../helpers/coded-error.js';

const f32 = (...values: number[]): TensorData => ({
  dtype: 'float32',
  dims: [values.length],
  data: Float32Array.from(values),
});
const f16 = (...values: number[]): TensorData => ({
  dtype: 'float16',
  dims: [values.length],
  data: Uint16Array.from(values.map(floatToHalf)),
});
const f64 = (...values: number[]): TensorData => ({
  dtype: 'float64',
  dims: [values.length],
  data: Float64Array.from(values),
});

describe('non-finite weights', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recur-nonfinite-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, tensors: Record<string, TensorData>) => {
    const path = join(dir, name);
    await writeFile(path, serializeSafetensors(tensors));
    return path;
  };

  it('accepts finite extremes: the largest float32 and float16, -0, subnormals, integers', async () => {
    const path = await file('finite.safetensors', {
      a: f32(3.4028234663852886e38, -3.4028234663852886e38, -0, 1e-45),
      b: f16(65504, -65504, 6e-8),
      c: f64(Number.MAX_VALUE, -Number.MIN_VALUE),
      i: { dtype: 'int32', dims: [2], data: Int32Array.from([0x7f800000, -1]) },
    });
    assert.deepEqual((await FileWeightStore.open(path)).names(), ['a', 'b', 'c', 'i']);
  });

  for (const [dtype, tensors, tensor, count] of [
    ['float32 NaN', { ok: f32(1, 2), bad: f32(NaN, 1, NaN, 2) }, 'bad', 2],
    ['float32 ±Infinity', { w: f32(Infinity, -Infinity, 0) }, 'w', 2],
    ['float16 Infinity', { h: f16(1, Infinity, 1) }, 'h', 1],
    ['float16 NaN', { h: f16(NaN, NaN, NaN) }, 'h', 3],
    ['float64 NaN', { d: f64(0, NaN) }, 'd', 1],
  ] as const) {
    it(`refuses ${dtype} at load, naming the tensor and the count`, async () => {
      const path = await file(`${tensor}-${dtype.replace(/\W/g, '')}.safetensors`, tensors);
      const err = await rejectsWithCode(
        FileWeightStore.open(path),
        'RECUR_E_WEIGHTS_NON_FINITE',
        `${tensor}: ${count} value`,
        path,
      );
      assert.equal(err.details.tensor, tensor);
      assert.equal(err.details.count, count);
      assert.equal(err.exitCode, 1);
    });
  }

  it('refuses bfloat16 NaN (the upper half of a float32 NaN)', async () => {
    const header = JSON.stringify({ b: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } });
    const data = Uint16Array.from([0x3f80, 0x7fc0]);
    const head = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + head.length + 4);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(head.length), true);
    bytes.set(head, 8);
    bytes.set(new Uint8Array(data.buffer), 8 + head.length);
    const path = join(dir, 'bf16.safetensors');
    await writeFile(path, bytes);
    await rejectsWithCode(FileWeightStore.open(path), 'RECUR_E_WEIGHTS_NON_FINITE', 'b: 1 value');
  });

  it("counts across the scan's chunks (a tensor larger than one read)", async () => {
    const big = new Float32Array(3 * 1024 * 1024); // 12 MiB: three reads
    big[0] = NaN;
    big[1024 * 1024 + 7] = Infinity;
    big[big.length - 1] = -Infinity;
    const path = await file('big.safetensors', { big: { dtype: 'float32', dims: [big.length], data: big } });
    await rejectsWithCode(FileWeightStore.open(path), 'RECUR_E_WEIGHTS_NON_FINITE', 'big: 3 values');
  });

  it('recur run refuses a pipeline whose weights hold NaN: exit 1, the tensor and the count named', async () => {
    const demo = await demoCopy();
    try {
      await demo.editWeights((tensors) => {
        const table = tensors.get('embedding.table')!.data as Float32Array;
        table.fill(NaN, 0, 16 * 5);
      });
      const r = await runCli(['run', demo.spec, '--text', 'anything', '--json']);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { errors: { code: string; message: string }[] };
      assert.equal(out.errors[0].code, 'RECUR_E_WEIGHTS_NON_FINITE');
      assert.match(out.errors[0].message, /embedding\.table: 80 values NaN or ±Infinity/);
    } finally {
      await demo.remove();
    }
  });

  it('a call whose model yields a non-finite score fails with RECUR_E_OUTPUT_NON_FINITE (finite weights that overflow)', async () => {
    const demo = await demoCopy();
    try {
      // Head rows of ±(float32 maximum): once the pooled features sum to more than 1 in size, one
      // logit is +Infinity and the other -Infinity, and the softmax computes Infinity - Infinity = NaN.
      await demo.editWeights((tensors) => {
        const W = tensors.get('head.W')!.data as Float32Array;
        W.fill(3.4e38, 0, 64);
        W.fill(-3.4e38, 64, 128);
        (tensors.get('head.b')!.data as Float32Array).fill(0);
      });
      const r = await runCli(['run', demo.spec, '--text', 'anything at all', '--json']);
      const out = JSON.parse(r.stdout) as {
        ok: boolean;
        errors?: { code: string; message: string; pointer?: string }[];
      };
      assert.equal(r.code, 1, r.stdout);
      assert.equal(out.errors![0].code, 'RECUR_E_OUTPUT_NON_FINITE');
      assert.match(out.errors![0].message, /NaN at \/0\/\d+\/score/);
    } finally {
      await demo.remove();
    }
  });
});
