import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternatingPairs, comparedRow, finishRun, loadSnapshot, type ProtocolOptions } from './lib/protocol.js';
import { formatTable, machineDescription, type BenchRow } from './lib/results.js';

const BIN = fileURLToPath(new URL('../../core/cli/dist/bin.js', import.meta.url));
const SENTENCES = 20_000;
/** What `--smoke` runs: the same three sides on a corpus small enough to see the code paths work. */
const SMOKE_SENTENCES = 400;

/**
 * `npm run bench -- queue`: the same corpus (20,000 sentences drawn from the sentiment model's
 * vocabulary) through `recur run` locally with one thread, through one `recur worker --threads 1`
 * on a local Redis, and through two such workers. Targets: one worker at least 0.9x the local run's
 * lines/s; two workers at least 1.7x one worker (on a machine with two free cores). Writes
 * bench/results/queue.json unless the machine was loaded (lib/protocol.ts). Needs redis-server
 * (`npm run test:setup`).
 */
export async function runQueueBench(options: ProtocolOptions = {}): Promise<void> {
  const before = loadSnapshot();
  const sentences = options.smoke ? SMOKE_SENTENCES : SENTENCES;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'recur-bench-queue-'));
  const spec = join(process.cwd(), 'pipelines', 'sentiment.json');
  const input = writeCorpus(dir, sentences);
  const redis = await startRedis(dir);
  const url = `redis://127.0.0.1:${redis.port}`;
  const pairs = options.pairs ?? (options.smoke ? 1 : 3);
  const lineRate = (seconds: number) => new Map([['lines/s', sentences / seconds]]);
  try {
    const local = () =>
      Promise.resolve(
        lineRate(
          timed(() => {
            recur(['run', spec, '--input', input, '--output', join(dir, 'local.jsonl'), '--set', 'runtime.threads=1']);
          }),
        ),
      );
    const onQueue = (workers: number) => () =>
      withWorkers(workers, spec, url, () =>
        lineRate(
          timed(() => {
            recur([
              'run',
              spec,
              '--input',
              input,
              '--output',
              join(dir, `workers-${workers}.jsonl`),
              '--queue',
              url,
              '--chunk',
              '500',
            ]);
          }),
        ),
      );
    // Each comparison in alternating pairs (lib/protocol.ts): the baseline is the protocol's "reference" side.
    const oneVsLocal = await alternatingPairs(pairs, { reference: local, recur: onQueue(1) }, log);
    const twoVsOne = await alternatingPairs(pairs, { reference: onQueue(1), recur: onQueue(2) }, log);
    const outputs = ['local', 'workers-1', 'workers-2'].map((name) => readFileSync(join(dir, `${name}.jsonl`), 'utf8'));
    const same = outputs.every((o) => o === outputs[0]);
    const rows: BenchRow[] = [
      comparedRow(oneVsLocal, {
        case: '1 worker (1 thread) vs local recur run (1 thread); target >= 0.9',
        unit: 'lines/s',
        higherIsBetter: true,
        referenceCase: 'lines/s',
        recurCase: 'lines/s',
      }),
      comparedRow(twoVsOne, {
        case: '2 workers (1 thread each) vs 1 worker; target >= 1.7',
        unit: 'lines/s',
        higherIsBetter: true,
        referenceCase: 'lines/s',
        recurCase: 'lines/s',
      }),
    ];
    log(formatTable(rows, 'baseline'));
    log(`outputs identical: ${same}`);
    finishRun(
      join(process.cwd(), 'bench/results/queue.json'),
      {
        name: 'queue',
        date: new Date().toISOString(),
        machine: machineDescription(),
        sentences,
        outputsIdentical: same,
        rows,
      },
      before,
      options,
      log,
    );
  } finally {
    redis.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeCorpus(dir: string, sentences: number): string {
  const tokenizer = JSON.parse(readFileSync(join(process.cwd(), 'pipelines/sentiment/tokenizer.json'), 'utf8')) as {
    model: { vocab: Record<string, number> };
  };
  const words = Object.keys(tokenizer.model.vocab)
    .filter((w) => /^[a-z]+$/.test(w))
    .slice(0, 5000);
  let state = 7;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const lines = Array.from({ length: sentences }, () =>
    Array.from({ length: 8 + (next() % 17) }, () => words[next() % words.length]).join(' '),
  );
  const path = join(dir, 'corpus.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function recur(args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`recur ${args[0]} exited with ${r.status}`);
}

function timed(work: () => void): number {
  const began = performance.now();
  work();
  return (performance.now() - began) / 1000;
}

async function withWorkers<T>(count: number, spec: string, url: string, work: () => T): Promise<T> {
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const child = spawn(process.execPath, [BIN, 'worker', spec, '--queue', url, '--threads', '1'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      workers.push(child);
      await new Promise<void>((resolve, reject) => {
        let text = '';
        child.stderr.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('taking jobs')) resolve();
        });
        child.once('exit', (code) => {
          reject(new Error(`recur worker exited with ${code}: ${text}`));
        });
      });
    }
    return work();
  } finally {
    for (const w of workers) w.kill('SIGTERM');
  }
}

async function startRedis(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
  });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      }).once('error', () => {
        resolve(false);
      });
    });
    if (up) return { child, port };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start (npm run test:setup installs it)');
}
