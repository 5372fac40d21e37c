import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/run-cli.js';

const PIPELINES = fileURLToPath(new URL('../../../pipelines/', import.meta.url));

/** A temporary folder with a copy of the shipped demo pipeline (its weights are untrained but fixed). */
export async function demoFolder(): Promise<{ dir: string; spec: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-queue-'));
  await cp(join(PIPELINES, 'demo'), join(dir, 'demo'), { recursive: true });
  await cp(join(PIPELINES, 'demo.json'), join(dir, 'demo.json'));
  return { dir, spec: join(dir, 'demo.json') };
}

/**
 * Writes `lines` inputs of `words` words each, drawn with a fixed LCG from the demo tokenizer's
 * vocabulary. Long lines make each chunk take a few hundred milliseconds, long enough for a test to
 * kill a worker in the middle of one.
 */
export async function writeInputs(
  dir: string,
  name: string,
  lines: number,
  words: number,
  jsonl = false,
): Promise<string> {
  const tokenizer = JSON.parse(await readFile(join(dir, 'demo', 'tokenizer.json'), 'utf8')) as {
    model: { vocab: Record<string, number> };
  };
  const vocab = Object.keys(tokenizer.model.vocab).filter((w) => /^[a-z]+$/.test(w));
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const text = Array.from({ length: words }, () => vocab[next() % vocab.length]).join(' ');
    out.push(jsonl ? JSON.stringify({ text }) : text);
  }
  const path = join(dir, name);
  await writeFile(path, out.join('\n') + '\n');
  return path;
}

/** The output of a local `recur run` on the same input: what a queued run must reproduce byte for byte. */
export async function localRun(spec: string, input: string, output: string): Promise<string> {
  const r = await runCli(['run', spec, '--input', input, '--output', output]);
  if (r.code !== 0) throw new Error(`local recur run failed: ${r.stderr}`);
  return readFile(output, 'utf8');
}
