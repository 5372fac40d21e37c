import { strict as assert } from 'node:assert';
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from '@recur/runtime/onnxruntime';
import { createRegistry } from '@recur/cli';
import {
  load,
  memoryLogger,
  OrtBackend,
  RecurError,
  readSafetensors,
  writeSafetensors,
  type Pipeline,
  type TensorData,
} from '@recur/runtime';
import { decodeModel, selfContainedModel } from '@recur/runtime/internal';

type Scores = { label: string; score: number }[][];
const TEXTS = ['wonderful', 'a boring mess', 'the plot was too long and dull'];

/** Weights from the spec's file stay in that file: ONNX Runtime reads them there (ONNX external data). */
describe('pipelines read their weights file in place (ONNX external data)', () => {
  let dir: string;
  let spec: string;
  const backend = new OrtBackend();
  const open: Pipeline[] = [];
  const loaded = async (options: Parameters<typeof load>[1] = { registry: createRegistry(), backend }) => {
    const p = await load(spec, options);
    open.push(p);
    return p;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recur-external-'));
    await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
    await cp(resolve('pipelines/demo.json'), join(dir, 'demo.json'));
    spec = join(dir, 'demo.json');
  });
  after(async () => {
    for (const p of open) await p.dispose();
    await backend.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('compiles units that point into the weights file, and answers as with the weights in memory', async () => {
    const fromFile = await loaded();
    const unit = fromFile.units[0];
    assert.equal(unit.externalData?.path, join(dir, 'demo', 'weights.safetensors'));
    const initializers = decodeModel(unit.model).graph.initializer;
    const external = initializers.filter((t) => t.dataLocation === 1);
    assert.ok(
      external.some((t) => t.name === 'embedding.table'),
      'the embedding table is external',
    );
    assert.ok(
      external.every((t) => t.externalData!.find((e) => e.key === 'location')!.value === 'weights.safetensors'),
    );
    const store = await readSafetensors(join(dir, 'demo', 'weights.safetensors'));
    const inMemory = await loaded({ registry: createRegistry(), backend, weights: store });
    assert.equal(inMemory.units[0].externalData, undefined);
    assert.ok(unit.model.byteLength < inMemory.units[0].model.byteLength / 4, 'the model holds no weight bytes');
    const a = (await fromFile.run(TEXTS, { topK: null })) as Scores;
    const b = (await inMemory.run(TEXTS, { topK: null })) as Scores;
    assert.deepEqual(a, b);
  });

  it('a weights file rewritten between loads gives the new answers, not a cached session of the old file', async () => {
    const before = (await (await loaded()).run(TEXTS, { topK: null })) as Scores;
    const path = join(dir, 'demo', 'weights.safetensors');
    const store = await readSafetensors(path);
    const tensors: Record<string, TensorData> = {};
    for (const name of store.names()) tensors[name] = store.get(name)!;
    // Same names, shapes and offsets (so the same model bytes); only the first label's bias moves.
    const bias = tensors['head.b'];
    tensors['head.b'] = {
      dtype: 'float32',
      dims: bias.dims,
      data: Float32Array.from(bias.data as Float32Array, (v, i) => (i === 0 ? v + 5 : v)),
    };
    await writeSafetensors(path, tensors, { ...store.metadata });
    const after = (await (await loaded()).run(TEXTS, { topK: null })) as Scores;
    assert.notDeepEqual(after, before);
  });

  it('selfContainedModel inlines the weights: the model runs with no weights file beside it', async () => {
    const p = await loaded();
    const bytes = await selfContainedModel(p.units[0]);
    const model = decodeModel(bytes);
    assert.ok(model.graph.initializer.every((t) => t.dataLocation !== 1 && (t.rawData?.byteLength ?? 0) > 0));
    const session = await ort.InferenceSession.create(bytes);
    const ids = new ort.Tensor('int64', BigInt64Array.from([2n, 3n]), [2, 1]);
    const lengths = new ort.Tensor('int32', Int32Array.from([2]), [1]);
    const out = await session.run({ ids, lengths });
    assert.equal(out['logits'].dims.join(','), '1,2');
    await session.release();
  });

  it('keeps running when the weights file is truncated or overwritten in place under it (ONNX Runtime maps a private copy)', async () => {
    const copies = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('recur-weights-')).sort();
    const copiesBefore = await copies();
    const p = await load(spec, { registry: createRegistry() }); // a backend of its own: no cached session
    open.push(p);
    assert.deepEqual(await copies(), copiesBefore, 'the private copy is removed once the session exists');
    const want = await p.run(TEXTS, { topK: null });
    const path = join(dir, 'demo', 'weights.safetensors');
    const original = await readFile(path);
    await truncate(path, 0);
    await writeFile(path, new Uint8Array(100));
    // Had the session mapped this file, touching its pages now would kill the process with SIGBUS.
    assert.deepEqual(await p.run(TEXTS, { topK: null }), want);
    await writeFile(path, original);
  });

  it('a unit whose weights file changed since it was compiled is refused with RECUR_E_WEIGHTS_CHANGED', async () => {
    const p = await loaded();
    const unit = p.units[0];
    const path = join(dir, 'demo', 'weights.safetensors');
    const store = await readSafetensors(path);
    const tensors: Record<string, TensorData> = {};
    for (const name of store.names()) tensors[name] = store.get(name)!;
    await writeSafetensors(path, tensors, { ...store.metadata }); // same bytes, a new file
    const fresh = new OrtBackend();
    try {
      await assert.rejects(
        fresh.session(unit),
        (err: unknown) => RecurError.is(err) && err.code === 'RECUR_E_WEIGHTS_CHANGED' && err.message.includes(path),
      );
    } finally {
      await fresh.dispose();
    }
  });

  it('falls back to a self-contained model, with a warning, when the temporary folder cannot take the private copy', async () => {
    const want = await (await loaded()).run(TEXTS, { topK: null });
    const logger = memoryLogger();
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(dir, 'no-such-folder');
    try {
      const p = await load(spec, { registry: createRegistry(), logger }); // a backend of its own
      open.push(p);
      assert.deepEqual(await p.run(TEXTS, { topK: null }), want);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
    const warning = logger.lines.find((l) => l.level === 'warn');
    assert.ok(warning && /building the weights into the model instead/.test(warning.msg), JSON.stringify(logger.lines));
  });
});
