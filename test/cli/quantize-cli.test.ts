import { strict as assert } from 'node:assert';
import { cp, mkdtemp, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRegistry } from '@recur/cli';
import { load, readSafetensors, writeSafetensors } from '@recur/runtime';
import { decodeModel, dequantizeWeightStore } from '@recur/runtime/internal';
import { runCli } from './run-cli.js';

describe('recur quantize', () => {
  it('halves the weights, and the pipeline gives nearly the same scores from the float16 file', async () => {
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-quant-'));
    await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
    await cp(resolve('pipelines/demo.json'), join(dir, 'demo.json'));
    const r = await runCli([
      'quantize',
      join(dir, 'demo/weights.safetensors'),
      '-o',
      join(dir, 'demo/w16.safetensors'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: \d+ tensors float32 -> float16; [\d.]+ MiB -> [\d.]+ MiB/);
    // Quantizing the float16 file again converts nothing, and says so.
    const again = await runCli([
      'quantize',
      join(dir, 'demo/w16.safetensors'),
      '-o',
      join(dir, 'demo/w16-again.safetensors'),
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /the weights are already float16 \(all \d+ tensors\): nothing converted/);
    const store = await readSafetensors(join(dir, 'demo/w16.safetensors'));
    assert.ok(store.names().every((n) => store.get(n)!.dtype === 'float16'));
    const [a, b] = await Promise.all([
      stat(join(dir, 'demo/weights.safetensors')),
      stat(join(dir, 'demo/w16.safetensors')),
    ]);
    assert.ok(b.size < a.size * 0.55, `${b.size} vs ${a.size}`);
    const spec = join(dir, 'demo.json');
    const full = JSON.parse((await runCli(['run', spec, '--text', 'wonderful music', '--top-k', 'all'])).stdout) as {
      label: string;
      score: number;
    }[];
    const half = JSON.parse(
      (
        await runCli([
          'run',
          spec,
          '--text',
          'wonderful music',
          '--top-k',
          'all',
          '--set',
          'weights=demo/w16.safetensors',
        ])
      ).stdout,
    ) as { label: string; score: number }[];
    assert.equal(half[0].label, full[0].label);
    assert.ok(Math.abs(half[0].score - full[0].score) < 1e-3);
  });

  it('--dtype int8 writes int8 weights with per-row scales that load back and score within 0.01 of float32', async () => {
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-quant8-'));
    await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
    await cp(resolve('pipelines/demo.json'), join(dir, 'demo.json'));
    const r = await runCli([
      'quantize',
      '--dtype',
      'int8',
      join(dir, 'demo/weights.safetensors'),
      '-o',
      join(dir, 'demo/w8.safetensors'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const store = await readSafetensors(join(dir, 'demo/w8.safetensors'));
    // The documented layout: NAME int8, NAME_scale float32 [rows, 1]; vectors stay float32.
    assert.equal(store.get('embedding.table')!.dtype, 'int8');
    assert.deepEqual(store.get('embedding.table_scale')!.dims, [164, 1]);
    assert.equal(store.get('encoder.layers.0.forward.W_scale')!.dtype, 'float32');
    assert.equal(store.get('head.b')!.dtype, 'float32');
    assert.match(store.metadata['recur.int8_layout'], /NAME_scale/);
    const [a, b] = await Promise.all([
      stat(join(dir, 'demo/weights.safetensors')),
      stat(join(dir, 'demo/w8.safetensors')),
    ]);
    assert.ok(b.size < a.size * 0.35, `${b.size} vs ${a.size}`);

    const spec = join(dir, 'demo.json');
    const texts = ['wonderful music', 'a boring mess', 'the plot was too long'];
    const full = await load(spec, { registry: createRegistry() });
    const int8 = await load(spec, { registry: createRegistry(), overrides: ['weights=demo/w8.safetensors'] });
    try {
      // The lookup table stays int8 inside the compiled graph (a dequantising Gather).
      const initializers = decodeModel(int8.units[0].model).graph.initializer;
      assert.ok(initializers.some((t) => t.name === 'embedding.table::int8' && t.dataType === 3));
      const x = (await full.run(texts, { topK: null })) as { label: string; score: number }[][];
      const y = (await int8.run(texts, { topK: null })) as { label: string; score: number }[][];
      for (let i = 0; i < texts.length; i++)
        for (let k = 0; k < 2; k++) {
          assert.equal(y[i][k].label, x[i][k].label);
          assert.ok(
            Math.abs(y[i][k].score - x[i][k].score) < 0.01,
            `${texts[i]}: ${y[i][k].score} vs ${x[i][k].score}`,
          );
        }
    } finally {
      await full.dispose();
      await int8.dispose();
    }
    const again = await runCli([
      'quantize',
      '--dtype',
      'int8',
      join(dir, 'demo/w8.safetensors'),
      '-o',
      join(dir, 'demo/w8b.safetensors'),
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already int8/);
  });

  it('the shipped sentiment model (int8, integer LSTM kernels): the labels and scores within 0.02 of its dequantised weights run in float32', async () => {
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-quant8s-'));
    await cp(resolve('pipelines/sentiment'), join(dir, 'sentiment'), {
      recursive: true,
      filter: (p) => !p.includes('training'),
    });
    await cp(resolve('pipelines/sentiment.json'), join(dir, 'sentiment.json'));
    const shipped = await readSafetensors(join(dir, 'sentiment/weights.safetensors'));
    assert.ok(shipped.names().some((n) => shipped.get(n)?.dtype === 'int8'));
    const dequantised = dequantizeWeightStore(shipped);
    await writeSafetensors(
      join(dir, 'sentiment/w32.safetensors'),
      new Map(dequantised.names().map((n) => [n, dequantised.get(n)!])),
      shipped.metadata,
    );

    // float16 conversion of an int8 file keeps the int8 weights and their float32 scales.
    const r = await runCli([
      'quantize',
      join(dir, 'sentiment/weights.safetensors'),
      '-o',
      join(dir, 'sentiment/w16.safetensors'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /nothing converted.*int8 weights with their float32 scales|int8 weights with their float32 scales.*nothing converted/,
    );
    const again = await readSafetensors(join(dir, 'sentiment/w16.safetensors'));
    for (const n of shipped.names()) assert.equal(again.get(n)?.dtype, shipped.get(n)?.dtype, n);

    const texts = [
      'A lovely, moving film.',
      'Dull and far too long.',
      'The acting is fine but the script is a mess.',
      'I would see it again.',
    ];
    const spec = join(dir, 'sentiment.json');
    const float = await load(spec, { registry: createRegistry(), overrides: ['weights=sentiment/w32.safetensors'] });
    const int8 = await load(spec, { registry: createRegistry() });
    try {
      const x = (await float.run(texts, { topK: null })) as { label: string; score: number }[][];
      const y = (await int8.run(texts, { topK: null })) as { label: string; score: number }[][];
      for (let i = 0; i < texts.length; i++) {
        assert.equal(y[i][0].label, x[i][0].label, texts[i]);
        assert.ok(Math.abs(y[i][0].score - x[i][0].score) < 0.02, `${texts[i]}: ${y[i][0].score} vs ${x[i][0].score}`);
      }
    } finally {
      await float.dispose();
      await int8.dispose();
    }
  });

  it('--dtype int8 refuses a file whose tensor names collide with the scale names it needs', async () => {
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-quant8c-'));
    const m = { dtype: 'float32' as const, dims: [2, 2], data: Float32Array.from([1, 2, 3, 4]) };
    await writeSafetensors(join(dir, 'w.safetensors'), { w: m, w_scale: m });
    const r = await runCli([
      'quantize',
      '--dtype',
      'int8',
      join(dir, 'w.safetensors'),
      '-o',
      join(dir, 'q.safetensors'),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /RECUR_E_WEIGHTS_INVALID/);
    assert.match(r.stderr, /tensor w_scale already exists, and the int8 layout needs that name for the scales of w/);
  });

  it('refuses another --dtype', async () => {
    const r = await runCli([
      'quantize',
      '--dtype',
      'int4',
      resolve('pipelines/demo/weights.safetensors'),
      '-o',
      'x.safetensors',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /float16 or int8/);
  });

  it('needs -o', async () => {
    assert.equal((await runCli(['quantize', resolve('pipelines/demo/weights.safetensors')])).code, 2);
  });
});
