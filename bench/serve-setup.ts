/**
 * The server under test for `npm run bench -- serve`: `recur serve` as a child process (so that the
 * load generator does not share its event loop), on loopback, with a classifier and a language model.
 * The shipped pipelines are used when they are there (pipelines/sentiment.json, pipelines/generation.json
 * with their weights); otherwise the demo classifier and an untrained language model of realistic
 * size made here (the server's work per token does not depend on what the weights learned).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, load } from '@recur/cli';
import { writeSafetensors } from '@recur/runtime';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'core/cli/dist/bin.js');

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  /** Route names of the two pipelines, and where they came from. */
  readonly classifier: string;
  readonly lm: string;
  readonly models: { readonly classifier: string; readonly lm: string };
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A shipped pipeline whose weights exist, or undefined. */
async function shipped(file: string): Promise<{ spec: string; name: string } | undefined> {
  const spec = join(ROOT, 'pipelines', file);
  if (!existsSync(spec)) return undefined;
  const json = JSON.parse(await readFile(spec, 'utf8')) as { name: string; weights?: string };
  return json.weights && existsSync(join(ROOT, 'pipelines', json.weights)) ? { spec, name: json.name } : undefined;
}

/** A 2 x 256 LSTM language model over the demo tokenizer, untrained, seeded. */
async function untrainedLanguageModel(dir: string): Promise<{ spec: string; name: string }> {
  await copyFile(join(ROOT, 'pipelines/demo/tokenizer.json'), join(dir, 'tokenizer.json'));
  const spec = join(dir, 'bench-lm.json');
  await writeFile(
    spec,
    JSON.stringify({
      name: 'bench-lm',
      task: 'text-generation',
      tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
      embedding: { type: 'lookup', dim: 64 },
      encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 256, layers: 2 },
      head: { type: 'language-model', generate: { maxNewTokens: 64, temperature: 0.8 } },
      weights: 'bench-lm.safetensors',
      runtime: { maxBatch: 32, threads: 1 },
    }),
  );
  const fresh = await load(spec, { registry: createRegistry(), initialize: { seed: 5 } });
  await writeSafetensors(join(dir, 'bench-lm.safetensors'), fresh.initializedWeights);
  await fresh.dispose();
  return { spec, name: 'bench-lm' };
}

export async function startBenchServer(
  log: (line: string) => void,
): Promise<BenchServer & { cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-serve-bench-'));
  const classifier = (await shipped('sentiment.json')) ?? {
    spec: join(ROOT, 'pipelines/demo.json'),
    name: 'demo-classifier',
  };
  const lm = (await shipped('generation.json')) ?? (await untrainedLanguageModel(dir));
  const config = join(dir, 'serve.json');
  await writeFile(
    config,
    JSON.stringify({
      pipelines: [{ spec: classifier.spec }, { spec: lm.spec }],
      limits: { maxTokens: 512, maxConcurrent: 64, maxQueue: 1024 },
      // Request logging goes to /dev/null here; warn keeps pino's cost out of the figures.
      logLevel: 'warn',
    }),
  );
  log(`starting recur serve with ${classifier.spec} and ${lm.spec}`);
  const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await listeningUrl(child);
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return {
    url,
    pid: child.pid!,
    classifier: classifier.name,
    lm: lm.name,
    models: {
      classifier: classifier.spec.replace(ROOT, ''),
      lm: lm.spec.startsWith(dir) ? 'untrained 2x256 LSTM language model (bench-lm)' : lm.spec.replace(ROOT, ''),
    },
    stop: () => {
      child.kill('SIGTERM');
      return exit;
    },
    cleanup: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`recur serve did not start within 120 s:\n${stderr}`));
    }, 120_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`recur serve exited with ${code}:\n${stderr}`));
    });
  });
}

/** Resident memory of a process, from /proc (Linux), in bytes. */
export async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** One series of the server's /metrics (0 when absent). */
export async function scrape(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
