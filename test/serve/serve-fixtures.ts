import { rmSync } from 'node:fs';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, load } from '@recur/cli';
import { writeSafetensors } from '@recur/runtime';
import { startServer, type RecurServer, type ServeOptions } from '@recur/serve';

/** The workers import the CLI's built-in registry, as `recur serve` does. */
export const REGISTRY = { module: import.meta.resolve('@recur/cli'), export: 'createRegistry' };

export const CLASSIFIER = 'tiny-classifier';
export const LM = 'tiny-lm';

/** Folder with two tiny pipelines (untrained, seeded weights) on the fixture tokenizer. */
export interface ServeFixtures {
  readonly dir: string;
  readonly classifierSpec: string;
  readonly lmSpec: string;
}

let shared: Promise<ServeFixtures> | undefined;

/** The fixtures, made once per test run and removed when the process exits. */
export function makeServeFixtures(): Promise<ServeFixtures> {
  shared ??= writeServeFixtures().then((f) => {
    process.once('exit', () => {
      rmSync(f.dir, { recursive: true, force: true });
    });
    return f;
  });
  return shared;
}

/**
 * Writes a classifier and a language model with untrained weights made from a seed. The tests
 * check HTTP behaviour; the texts are random words of the fixture vocabulary. The language model's
 * vocabulary has no end-of-sequence token, so a generation runs until max_tokens or a stop string.
 */
async function writeServeFixtures(): Promise<ServeFixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-serve-'));
  await copyFile(
    fileURLToPath(new URL('../../fixtures/serve/tokenizer.json', import.meta.url)),
    join(dir, 'tokenizer.json'),
  );
  const common = {
    tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
    embedding: { type: 'lookup', dim: 8 },
  };
  const specs = {
    classifier: {
      name: CLASSIFIER,
      task: 'text-classification',
      ...common,
      encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8, layers: 1, bidirectional: true },
      head: { type: 'classifier', pooling: 'max', labels: ['label-a', 'label-b'] },
      weights: 'classifier.safetensors',
      runtime: { maxBatch: 16 },
    },
    lm: {
      name: LM,
      task: 'text-generation',
      ...common,
      encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 16, layers: 1 },
      head: { type: 'language-model', generate: { maxNewTokens: 8 } },
      weights: 'lm.safetensors',
      runtime: { maxBatch: 32 },
    },
  };
  const registry = createRegistry();
  for (const [file, spec] of Object.entries(specs)) {
    const path = join(dir, `${file}.json`);
    await writeFile(path, JSON.stringify(spec, null, 2));
    const fresh = await load(path, { registry, initialize: { seed: 11 } });
    await writeSafetensors(join(dir, spec.weights), fresh.initializedWeights);
    await fresh.dispose();
  }
  return {
    dir,
    classifierSpec: join(dir, 'classifier.json'),
    lmSpec: join(dir, 'lm.json'),
  };
}

/** Log lines the server wrote (pino JSON), kept in memory. */
export class LogLines {
  readonly lines: Record<string, unknown>[] = [];
  write(line: string): void {
    for (const l of line.split('\n')) if (l.trim()) this.lines.push(JSON.parse(l) as Record<string, unknown>);
  }
}

/** Starts a server on a free loopback port with the given options. */
export async function startTestServer(
  options: Omit<ServeOptions, 'registry'>,
  logs = new LogLines(),
): Promise<{ server: RecurServer; logs: LogLines; url: string }> {
  const server = await startServer(
    { host: '127.0.0.1', port: 0, logLevel: 'info', ...options, registry: REGISTRY },
    { logStream: logs },
  );
  return { server, logs, url: server.url };
}

/** An error answer of the server: OpenAI's error object with the details Recur adds. */
export interface ErrorReply {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string;
    readonly pointer?: string;
    readonly limit?: number;
    readonly suggestions?: readonly string[];
  };
}

/**
 * POSTs JSON and returns status, headers and parsed body (the text when it is not JSON). The body is
 * typed as the caller expects it (an error answer unless told otherwise); the test's asserts check it.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the reply's shape is what the caller expects (as with fetch's json()); its asserts check it
export async function postJson<Reply = ErrorReply>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Reply }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as Reply };
}

/** Reads the value of one Prometheus series from /metrics (0 when absent). */
export async function metricValue(url: string, series: string, headers: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
