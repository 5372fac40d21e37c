import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { RecurProcess } from '../services/recur-process.js';
import { RedisService } from '../services/redis-service.js';

/** A toy sentiment task and a tiny GRU classifier whose word tokenizer is trained before the sweep. */
async function toySweepFolder(): Promise<{ dir: string; spec: string; data: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-sweep-'));
  const good = [
    'a lovely film',
    'great acting and fun',
    'wonderful music',
    'i loved it',
    'charming and funny',
    'the best film',
  ];
  const bad = ['a boring mess', 'awful acting', 'dull and slow', 'i hated it', 'the worst plot', 'terrible music'];
  const rows = ['sentence\tlabel'];
  for (let i = 0; i < 8; i++) rows.push(...good.map((t) => `${t}\t1`), ...bad.map((t) => `${t}\t0`));
  const data = join(dir, 'train.tsv');
  await writeFile(data, rows.join('\n') + '\n');
  const spec = join(dir, 'spec.json');
  await writeFile(
    spec,
    JSON.stringify({
      name: 'toy-sweep',
      task: 'text-classification',
      tokenizer: { type: 'tokenizer.json', path: 'model/tokenizer.json' },
      embedding: { type: 'lookup', dim: 8 },
      encoder: { type: 'recurrent', cell: { type: 'gru' }, hidden: 8, bidirectional: true },
      head: { type: 'classifier', labels: ['negative', 'positive'], pooling: 'mean' },
      weights: 'model/weights.safetensors',
      train: {
        epochs: 2,
        batchSize: 8,
        seed: 3,
        optimizer: { type: 'adam', lr: 0.02 },
        tokenizer: { kind: 'word', lowercase: true },
      },
    }),
  );
  // The trials share the spec's tokenizer: train it once, so that no two trials write it at once.
  const first = await runCli(['train', spec, '--data', data, '--max-steps', '1', '--threads', '1']);
  assert.equal(first.code, 0, first.stderr);
  return { dir, spec, data };
}

interface Row {
  index: number;
  metric: string;
  value: number;
  parameters: number;
  resumed: boolean;
  setting: { path: string; value: string }[];
}

describe('recur sweep', function () {
  this.timeout(120000);

  it('locally: one training per grid setting, a ranked leaderboard and a winning spec that runs', async () => {
    const { dir, spec, data } = await toySweepFolder();
    try {
      const r = await runCli(
        [
          'sweep',
          spec,
          '--data',
          data,
          '--dev',
          data,
          '--grid',
          'encoder.hidden=2,8',
          '--grid',
          'train.optimizer.lr=0.001,0.03',
          '--epochs',
          '3',
          '--threads',
          '1',
          '--out',
          'sweep',
          '--json',
        ],
        dir,
      );
      assert.equal(r.code, 0, r.stderr);
      const { leaderboard, bestSpec } = JSON.parse(r.stdout) as { leaderboard: Row[]; bestSpec: string };
      assert.equal(leaderboard.length, 4);
      assert.deepEqual(leaderboard.map((t) => t.index).sort(), [0, 1, 2, 3]);
      for (let i = 1; i < 4; i++)
        assert.ok(leaderboard[i - 1].value >= leaderboard[i].value, 'best dev accuracy first');
      assert.deepEqual(new Set(leaderboard.map((t) => t.parameters)).size, 2, 'hidden 2 and 8 have different sizes');
      const run = await runCli(['run', bestSpec, '--text', 'a lovely film']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        await readFile(join(dir, 'sweep', 'leaderboard.md'), 'utf8'),
        /\| 1 \| \d \| encoder\.hidden=\d train\.optimizer\.lr=/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a malformed --grid is a coded usage error', async () => {
    const r = await runCli(['sweep', 'spec.json', '--data', 'x.tsv', '--grid', 'encoder.hidden', '--out', 'o']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /RECUR_E_SWEEP_GRID_INVALID/);
  });

  it('with --queue: four trials across two workers, one killed mid-trial, finish with four results', async () => {
    const redis = await RedisService.start();
    const { dir, spec, data } = await toySweepFolder();
    const processes: RecurProcess[] = [];
    try {
      const worker = () => {
        const p = new RecurProcess(['worker', spec, '--queue', redis.url, '--lock-ms', '1500', '--threads', '1'], dir);
        processes.push(p);
        return p;
      };
      const a = worker();
      const b = worker();
      await Promise.all([a.waitFor(/taking jobs/), b.waitFor(/taking jobs/)]);
      const sweep = new RecurProcess(
        [
          'sweep',
          spec,
          '--data',
          data,
          '--dev',
          data,
          '--grid',
          'encoder.hidden=4,8',
          '--grid',
          'train.optimizer.lr=0.01,0.02',
          '--epochs',
          '40',
          '--queue',
          redis.url,
          '--out',
          'sweep',
          '--json',
        ],
        dir,
      );
      processes.push(sweep);
      const [, trial] = await a.waitFor(/trial (\d+) started/);
      // Kill worker A once its trial has left a checkpoint (after its first epoch).
      for (;;) {
        const folder = (await readdir(join(dir, 'sweep')).catch(() => [] as string[])).find((f) =>
          f.startsWith(`trial-${trial}-`),
        );
        if (folder && existsSync(join(dir, 'sweep', folder, 'training', 'checkpoint.safetensors'))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      a.kill('SIGKILL');
      assert.equal(await sweep.exit, 0, sweep.output);
      assert.doesNotMatch(a.output, new RegExp(`trial ${trial} done`), 'worker A died inside its trial');
      assert.match(b.output, new RegExp(`trial ${trial} resumed from its checkpoint`), 'worker B continued it');
      const { leaderboard } = JSON.parse(sweep.output.split('\n').find((l) => l.startsWith('{"leaderboard"'))!) as {
        leaderboard: Row[];
      };
      assert.equal(leaderboard.length, 4);
      assert.deepEqual(leaderboard.map((t) => t.index).sort(), [0, 1, 2, 3]);
      assert.ok(leaderboard.every((t) => t.metric === 'accuracy' && t.value >= 0 && t.value <= 1));
      assert.equal(leaderboard.find((t) => t.index === Number(trial))!.resumed, true);
    } finally {
      for (const p of processes) {
        p.kill('SIGKILL');
        await p.exit;
      }
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
