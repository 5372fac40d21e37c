import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServe, type ServeChild } from '../serve/serve-child.js';

/** The shipped pipelines' spec files. */
export const SHIPPED = {
  sentiment: fileURLToPath(new URL('../../../pipelines/sentiment.json', import.meta.url)),
  translation: fileURLToPath(new URL('../../../pipelines/translation.json', import.meta.url)),
  generation: fileURLToPath(new URL('../../../pipelines/generation.json', import.meta.url)),
};

/** Names the shipped specs give their pipelines. */
export const NAMES = { sentiment: 'sentiment-en', translation: 'de-en', generation: 'shakespeare' };

/** A running `recur serve --config FILE` and the folder of its configuration. */
export interface PlaygroundServer {
  readonly serve: ServeChild;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `recur serve` as a child process with `config` written to a configuration file. */
export async function startRecurServe(
  config: Record<string, unknown>,
  sets: readonly string[] = [],
): Promise<PlaygroundServer> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-playground-'));
  const file = join(dir, 'serve.json');
  await writeFile(file, JSON.stringify(config));
  const serve = await spawnServe(['--config', file, ...sets.flatMap((s) => ['--set', s])]);
  return {
    serve,
    url: serve.url,
    async close() {
      serve.child.kill('SIGTERM');
      await serve.exit;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
