import { spawnSync } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, OrtBackend, RecurError, memoryLogger, type ComputeUnit, type TensorData } from '@recur/runtime';
import { runOnnxFile } from '@recur/runtime/internal';
import { rejectsWithCode } from '../../helpers/coded-error.js';

/** y = tanh(x W) with W = [[1, 0], [0, 1], [1, 1]], and n = x's row count as int64. */
function denseUnit(name = 'dense'): ComputeUnit {
  const g = new GraphBuilder('t');
  const x = g.input('x', 'float32', ['batch', 3]);
  const w = g.scope('dense').param('W', [3, 2]);
  g.output(g.tanh(g.matMul(x, w)), 'y', 'float32', ['batch', 2]);
  g.output(g.shape(x, 0, 1), 'n', 'int64', [1]);
  const weights = Float32Array.from([1, 0, 0, 1, 1, 1]);
  return { name, model: g.toBytes({ weights: (d) => ({ dtype: 'float32', dims: d.dims, data: weights }) }) };
}

/** Passes every dtype Recur moves through an Identity each, so conversions both ways are exercised. */
function identityUnit(): ComputeUnit {
  const g = new GraphBuilder('ids');
  for (const dtype of ['float32', 'float16', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'] as const) {
    g.output(g.identity(g.input(`in_${dtype}`, dtype, [2])), `out_${dtype}`, dtype, [2]);
  }
  return { name: 'identities', model: g.toBytes() };
}

const X: TensorData = { dtype: 'float32', dims: [1, 3], data: Float32Array.from([1, 2, 3]) };

describe('OrtBackend', () => {
  let backend: OrtBackend;
  let logger: ReturnType<typeof memoryLogger>;
  beforeEach(() => {
    logger = memoryLogger();
    backend = new OrtBackend({ logger });
  });
  afterEach(() => backend.dispose());

  it('runs a graph built with GraphBuilder and returns TensorData', async () => {
    const session = await backend.session(denseUnit(), { threads: 1 });
    assert.deepEqual(session.inputNames, ['x']);
    assert.deepEqual(session.outputNames, ['y', 'n']);
    assert.deepEqual(session.executionProviders, ['cpu']);
    const out = await session.run({ x: X });
    assert.equal(out['y'].dtype, 'float32');
    assert.deepEqual(out['y'].dims, [1, 2]);
    const y = out['y'].data as Float32Array;
    assert.ok(Math.abs(y[0] - Math.tanh(4)) < 1e-6 && Math.abs(y[1] - Math.tanh(5)) < 1e-6, `got ${Array.from(y)}`);
    assert.deepEqual(out['n'], { dtype: 'int64', dims: [1], data: BigInt64Array.from([1n]) });
    const only = await session.run({ x: X }, { outputs: ['n'] });
    assert.deepEqual(Object.keys(only), ['n']);
  });

  it('converts every dtype to ONNX Runtime and back (float16 as raw bits, int64 as BigInt, bool as bytes)', async () => {
    const feeds: Record<string, TensorData> = {
      in_float32: { dtype: 'float32', dims: [2], data: Float32Array.from([1.5, -2]) },
      in_float16: { dtype: 'float16', dims: [2], data: Uint16Array.from([0x3c00, 0xc000]) },
      in_float64: { dtype: 'float64', dims: [2], data: Float64Array.from([Math.PI, -1e300]) },
      in_int32: { dtype: 'int32', dims: [2], data: Int32Array.from([-7, 2 ** 31 - 1]) },
      in_int64: { dtype: 'int64', dims: [2], data: BigInt64Array.from([-(2n ** 62n), 5n]) },
      in_int8: { dtype: 'int8', dims: [2], data: Int8Array.from([-128, 127]) },
      in_uint8: { dtype: 'uint8', dims: [2], data: Uint8Array.from([0, 255]) },
      in_bool: { dtype: 'bool', dims: [2], data: Uint8Array.from([1, 0]) },
    };
    const out = await (await backend.session(identityUnit())).run(feeds);
    for (const [name, t] of Object.entries(feeds)) {
      const got = out[name.replace('in_', 'out_')];
      assert.equal(got.dtype, t.dtype);
      assert.deepEqual(got.dims, [2]);
      assert.equal(got.data.constructor, t.data.constructor, name);
      assert.deepEqual(Array.from(got.data as ArrayLike<unknown>), Array.from(t.data as ArrayLike<unknown>), name);
    }
  });

  it('caches one session per unit bytes and options, and shares one creation between concurrent requests', async () => {
    const unit = denseUnit();
    const [a, b] = await Promise.all([
      backend.session(unit),
      backend.session({ name: 'same-bytes', model: unit.model.slice() }),
    ]);
    assert.equal(a, b);
    const other = await backend.session(unit, { threads: 1 });
    assert.notEqual(other, a);
    assert.notEqual(await backend.session(denseUnit('d2')), await backend.session(identityUnit()));
  });

  it('frees a shared session only when its last holder releases it', async () => {
    const unit = denseUnit();
    const a = await backend.session(unit);
    const b = await backend.session(unit);
    await a.release();
    assert.equal((await b.run({ x: X }))['y'].dims[1], 2);
    await b.release();
    await rejectsWithCode(b.run({ x: X }), 'RECUR_E_DISPOSED', 'dense');
    const fresh = await backend.session(unit);
    assert.notEqual(fresh, a);
    await fresh.run({ x: X });
  });

  it("falls back from ['cuda', 'cpu'] to CPU with a warning naming the provider and ORT's reason", async () => {
    const session = await backend.session(denseUnit(), { executionProviders: ['CUDAExecutionProvider', 'cpu'] });
    assert.deepEqual(session.executionProviders, ['cpu']);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].msg, /execution provider "cuda" is unavailable for unit "dense", falling back: .+/);
    assert.equal(warnings[0].data?.['provider'], 'cuda');
    assert.ok(String(warnings[0].data?.['reason']).length > 0);
    await session.run({ x: X });
  });

  it('asks ONNX Runtime for CUDA only when its libraries are installed, so a CPU fallback prints no native error', () => {
    // ONNX Runtime writes its own "Failed to load library" error straight to stderr: only a child process shows it.
    const r = spawnSync(
      process.execPath,
      [
        'core/cli/bin/recur.js',
        'run',
        'pipelines/demo.json',
        '--text',
        'fine',
        '--set',
        'runtime.executionProviders=["cuda","cpu"]',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /execution provider "cuda" is unavailable for unit "classifier", falling back: .*providers_cuda/,
    );
    assert.doesNotMatch(r.stderr, /Failed to load library|onnxruntime:/);
  });

  it('drops a provider this build does not know without trying it, with a warning', async () => {
    const session = await backend.session(denseUnit(), { executionProviders: ['coreml'] });
    assert.deepEqual(session.executionProviders, ['cpu']);
    assert.match(logger.lines[0].msg, /"coreml" is unavailable .*not in this onnxruntime-node build \(it has: cpu/);
  });

  it('reports every candidate in one error when no provider can create the session', async () => {
    const broken: ComputeUnit = { name: 'broken', model: Uint8Array.from([1, 2, 3, 4]) };
    const e = await rejectsWithCode(
      backend.session(broken, { executionProviders: ['cuda', 'cpu'] }),
      'RECUR_E_BACKEND_FAILED',
      'unit "broken"',
      '[cuda] ',
      ', [cpu] ',
    );
    assert.deepEqual(
      (e.details['failures'] as { provider: string }[]).map((f) => f.provider),
      ['cuda', 'cpu'],
    );
    // The failed creation is not cached: asking again tries again (and fails the same way).
    await rejectsWithCode(backend.session(broken), 'RECUR_E_BACKEND_FAILED', '[cpu] ');
  });

  it('rejects with RECUR_E_ABORTED when the signal is already aborted, and when it aborts during the run', async () => {
    const session = await backend.session(denseUnit());
    await rejectsWithCode(session.run({ x: X }, { signal: AbortSignal.abort() }), 'RECUR_E_ABORTED', 'dense');
    const controller = new AbortController();
    const running = session.run({ x: X }, { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await rejectsWithCode(running, 'RECUR_E_ABORTED', 'client went away');
    assert.equal((await session.run({ x: X }, { signal: new AbortController().signal }))['y'].dims[0], 1);
  });

  it("wraps ONNX Runtime's run errors in RECUR_E_BACKEND_FAILED with its words", async () => {
    const session = await backend.session(denseUnit());
    await rejectsWithCode(session.run({}), 'RECUR_E_BACKEND_FAILED', 'unit "dense"', "input 'x' is missing");
    await rejectsWithCode(
      session.run({ x: { dtype: 'int32', dims: [1, 3], data: Int32Array.from([1, 2, 3]) } }),
      'RECUR_E_BACKEND_FAILED',
      'Unexpected input data type',
    );
  });

  it('dispose releases every session; the disposed backend refuses new ones', async () => {
    const a = await backend.session(denseUnit());
    const b = await backend.session(identityUnit());
    await backend.dispose();
    await rejectsWithCode(a.run({ x: X }), 'RECUR_E_DISPOSED');
    await rejectsWithCode(b.run({}), 'RECUR_E_DISPOSED');
    await rejectsWithCode(backend.session(denseUnit()), 'RECUR_E_DISPOSED');
    await backend.dispose();
  });
});

describe('runOnnxFile', () => {
  it('runs a .onnx file from disk or bytes as a unit of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-onnx-'));
    try {
      const path = join(dir, 'model.onnx');
      writeFileSync(path, denseUnit().model);
      const fromFile = await runOnnxFile(path, { x: X }, { logger: memoryLogger() });
      const fromBytes = await runOnnxFile(denseUnit().model, { x: X }, { logger: memoryLogger() });
      assert.deepEqual(fromFile, fromBytes);
      await rejectsWithCode(runOnnxFile(join(dir, 'missing.onnx'), {}), 'RECUR_E_IO', 'missing.onnx');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is a RecurError for a file that is not a model', async () => {
    const e = await runOnnxFile(new Uint8Array(3), {}, { logger: memoryLogger() }).catch((err: unknown) => err);
    assert.ok(RecurError.is(e) && e.code === 'RECUR_E_BACKEND_FAILED');
  });
});
