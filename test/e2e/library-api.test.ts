import { strict as assert } from 'node:assert';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRegistry, load } from '@recur/cli';
import { writeSafetensors } from '@recur/runtime';
import { loadedPipeline } from './loaded-pipeline.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

const DEMO = resolve('pipelines/demo.json');

describe('library API: load, run, dispose', () => {
  const pipeline = loadedPipeline(DEMO);

  it('runs one input and many, shaped as transformers.js text-classification', async () => {
    const one = (await pipeline().run('wonderful')) as { label: string; score: number }[];
    assert.equal(one.length, 1);
    const many = (await pipeline().run(['wonderful', 'awful'])) as { label: string; score: number }[];
    assert.equal(many.length, 2);
    assert.equal(typeof many[0].label, 'string');
    assert.equal(many[0].label, one[0].label);
    assert.ok(Math.abs(many[0].score - one[0].score) < 1e-5);
    const all = (await pipeline().run(['wonderful'], { topK: null })) as { label: string; score: number }[][];
    assert.equal(all[0].length, 2);
  });

  it('gives the same answers to concurrent calls as to sequential ones (coalesced batches)', async () => {
    const texts = ['a', 'boring mess', 'lovely lovely music', ' x ', 'the plot was too long and dull'];
    const sequential = [];
    for (const t of texts) sequential.push(await pipeline().run(t));
    const concurrent = await Promise.all(texts.map((t) => pipeline().run(t)));
    for (const [i, s] of sequential.entries()) {
      const a = (s as { label: string; score: number }[])[0];
      const b = (concurrent[i] as { label: string; score: number }[])[0];
      assert.equal(a.label, b.label);
      assert.ok(Math.abs(a.score - b.score) < 1e-5);
    }
  });

  it('never crashes on hostile strings', async () => {
    const inputs = ['\uD800', 'a\u0000b\u0007', '\u200B\u200E\u202Eabc', '👩‍👩‍👧‍👦🏳️‍🌈', 'x'.repeat(100_000)];
    const out = (await pipeline().run(inputs)) as { label: string }[];
    assert.equal(out.length, inputs.length);
    for (const blank of ['', '   ', '\n\t']) await rejectsWithCode(pipeline().run(blank), 'RECUR_E_INPUT_EMPTY');
  });

  it('refuses an over-long input when truncation is off, with a coded error', async () => {
    await rejectsWithCode(
      pipeline().run('good '.repeat(20), { truncation: 'off', maxInputTokens: 5 }),
      'RECUR_E_INPUT_TOO_LONG',
    );
  });

  it('rejects non-string inputs with RECUR_E_INPUT_INVALID', async () => {
    await rejectsWithCode(pipeline().run(42), 'RECUR_E_INPUT_INVALID');
    await rejectsWithCode(pipeline().run(['ok', { text: 1 }]), 'RECUR_E_INPUT_INVALID');
  });

  it('honours an aborted signal', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await rejectsWithCode(pipeline().run('x', { signal: ctl.signal }), 'RECUR_E_ABORTED');
  });

  it('refuses calls after dispose', async () => {
    const p = await load(DEMO, { registry: createRegistry() });
    await p.dispose();
    await p.dispose();
    await rejectsWithCode(p.run('x'), 'RECUR_E_DISPOSED');
  });
});

describe('library API: weights and plugins', () => {
  async function copyDemo(spec: Record<string, unknown>): Promise<string> {
    // Inside the repository, so that a plugin module there resolves @recur/runtime as an installed one would.
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-e2e-'));
    await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
    await cp(resolve('docs/examples/mgu-cell'), join(dir, 'mgu-cell'), { recursive: true });
    const base = JSON.parse(await readFile(DEMO, 'utf8')) as Record<string, unknown>;
    delete base['$schema'];
    await writeFile(join(dir, 'spec.json'), JSON.stringify({ ...base, ...spec }));
    return join(dir, 'spec.json');
  }

  it('refuses weights trained for another shape, naming the tensor', async () => {
    const spec = await copyDemo({
      encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8, bidirectional: true },
    });
    await rejectsWithCode(load(spec, { registry: createRegistry() }), 'RECUR_E_WEIGHTS_MISMATCH', /encoder\./);
  });

  it('refuses weights with tensors the spec does not use', async () => {
    const spec = await copyDemo({ weights: 'extra.safetensors' });
    const p = await load(spec, { registry: createRegistry(), initialize: { seed: 1 } });
    const tensors = Object.fromEntries(p.initializedWeights);
    await p.dispose();
    tensors['stray.tensor'] = { dtype: 'float32', dims: [1], data: new Float32Array(1) };
    await writeSafetensors(join(spec, '..', 'extra.safetensors'), tensors);
    await rejectsWithCode(load(spec, { registry: createRegistry() }), 'RECUR_E_WEIGHTS_MISMATCH', /stray\.tensor/);
  });

  it('imports a plugin the spec lists only when the caller allows it', async () => {
    const spec = await copyDemo({
      plugins: ['./mgu-cell/index.js'],
      encoder: { type: 'recurrent', cell: { type: 'mgu' }, hidden: 8 },
      weights: 'mgu.safetensors',
    });
    await rejectsWithCode(
      load(spec, { registry: createRegistry(), initialize: { seed: 1 } }),
      'RECUR_E_PLUGIN_NOT_ALLOWED',
    );
    const p = await load(spec, {
      registry: createRegistry(),
      allowPlugins: ['./mgu-cell/index.js'],
      initialize: { seed: 1 },
    });
    const out = (await p.run('wonderful')) as { label: string }[];
    assert.equal(out.length, 1);
    await p.dispose();
    // The plugin stayed scoped to that pipeline.
    assert.equal(createRegistry().find('cell', 'mgu'), undefined);
  });
});
