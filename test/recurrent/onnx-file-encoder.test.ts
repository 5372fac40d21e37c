import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder, OrtBackend, readSafetensors, RecurError } from '@recur/runtime';
import { createPart, recurrentRegistry } from '@recur/recurrent';
import { toleranceRatio } from './helpers.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

const pytorch = fileURLToPath(new URL('../../fixtures/pytorch/', import.meta.url));
const CASE = '020-lstm-bi-l1-T5B3I4H6';

describe('onnx-file encoder (bring your own model)', () => {
  const registry = recurrentRegistry();
  const backend = new OrtBackend();
  after(() => backend.dispose());
  const byom = (options: Record<string, unknown>) =>
    createPart(
      registry,
      'encoder',
      { type: 'onnx-file', path: `${CASE}.onnx`, ...options },
      { inputDim: 4 },
      { specDir: pytorch },
    );

  it("links a torch.onnx.export model into the unit's graph: ops before it and its outputs share one session", async () => {
    const encoder = await byom({ outputs: { sequence: 'y', h: 'h_n', c: 'c_n' } });
    assert.equal(encoder.outputDim, 12, "read from the model's output shape");
    const g = new GraphBuilder('unit');
    const doubled = g.input('doubled', 'float32', ['time', 'batch', 4]);
    const x = g.mul(doubled, g.scalar(0.5)); // a Recur op feeding the model
    const out = encoder.build(g.scope('encoder'), x, g.input('lengths', 'int32', ['batch']));
    g.output(g.add(out.sequence, g.scalar(1)), 'y_plus_one', 'float32');
    g.output(out.final['c'], 'c_n', 'float32');
    assert.equal(g.params.length, 0, 'the model brings its own weights');
    const store = await readSafetensors(join(pytorch, `${CASE}.safetensors`));
    const input = store.get('input.x')!;
    const session = await backend.session({ name: 'byom', model: g.toBytes() });
    try {
      const res = await session.run({
        doubled: { dtype: 'float32', dims: input.dims, data: (input.data as Float32Array).map((v) => 2 * v) },
        lengths: { dtype: 'int32', dims: [3], data: Int32Array.from([5, 5, 5]) },
      });
      const y = store.get('output.y')!;
      assert.ok(toleranceRatio(res['y_plus_one'], { ...y, data: (y.data as Float32Array).map((v) => v + 1) }) <= 1);
      assert.ok(toleranceRatio(res['c_n'], store.get('output.c_n')!) <= 1);
    } finally {
      await session.release();
    }
  });

  it("names the model's outputs when a mapping names one it does not have (RECUR_E_RECURRENT_BYOM_IO)", async () => {
    await assert.rejects(
      byom({ outputs: { sequence: 'output' } }),
      (err: unknown) =>
        RecurError.is(err) &&
        err.code === 'RECUR_E_RECURRENT_BYOM_IO' &&
        err.pointer === '/encoder/outputs/sequence' &&
        /y, h_n, c_n/.test(err.message),
    );
  });

  it('refuses models it cannot link: an opset before 13 (RECUR_E_RECURRENT_BYOM_UNSUPPORTED), an unmapped input (BYOM_IO)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-byom-'));
    try {
      const old = new GraphBuilder('old', '', 11);
      old.output(old.identity(old.input('x', 'float32', ['T', 'B', 4])), 'y', 'float32', ['T', 'B', 4]);
      writeFileSync(join(dir, 'old.onnx'), old.toBytes());
      await rejectsWithCode(
        createPart(registry, 'encoder', { type: 'onnx-file', path: 'old.onnx' }, { inputDim: 4 }, { specDir: dir }),
        'RECUR_E_RECURRENT_BYOM_UNSUPPORTED',
        /opset 11/,
      );

      const two = new GraphBuilder('two');
      two.output(two.add(two.input('x', 'float32', ['T', 'B', 4]), two.input('bias', 'float32', [4])), 'y', 'float32', [
        'T',
        'B',
        4,
      ]);
      writeFileSync(join(dir, 'two.onnx'), two.toBytes());
      await rejectsWithCode(
        createPart(registry, 'encoder', { type: 'onnx-file', path: 'two.onnx' }, { inputDim: 4 }, { specDir: dir }),
        'RECUR_E_RECURRENT_BYOM_IO',
        /bias/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
