/**
 * `npm run bench -- NAME [NAME...] [--pairs N] [--out DIR] [--smoke]`: runs benchmarks against the PyTorch
 * CPU reference in ../shared/reference (installed by `bash ../shared/reference/setup.sh`, which each run
 * calls, never by tests) and writes bench/results/NAME.json. Benchmarks are not tests: they print medians
 * and ratios, and nothing here passes or fails on a duration.
 *
 * Every benchmark follows lib/protocol.ts: the load is recorded before and after, Recur and the reference
 * alternate in pairs (ratios are medians of pair ratios, with a 95% interval and their spread), and a run on a loaded
 * machine does not overwrite bench/results (it says so and keeps the old file).
 *   --pairs N   alternating pairs (default per benchmark: encoder 81, pipelines 41, browser 5, train and queue 3)
 *   --out DIR   write DIR/NAME.json whatever the load, instead of bench/results
 *   --smoke     tiny sizes and one or two pairs, to see the code paths work; writes nothing unless --out
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProtocolOptions } from './lib/protocol.js';

const BENCHES: Record<string, { summary: string; run: (options: ProtocolOptions) => Promise<void> }> = {
  encoder: {
    summary: 'RNN/LSTM/GRU forward and step latency vs PyTorch',
    run: async (o) => (await import('./encoder.js')).runEncoderBench(o),
  },
  train: { summary: 'training tokens/s vs PyTorch', run: async (o) => (await import('./train.js')).runTrainBench(o) },
  pipelines: {
    summary: 'shipped pipelines vs PyTorch; throughput, latency, overhead outside session.run, RSS',
    run: async (o) => (await import('./pipelines.js')).runPipelinesBench(o),
  },
  serve: { summary: 'HTTP server load and soak', run: async (o) => (await import('./serve.js')).runServeBench(o) },
  browser: {
    summary: 'shipped pipelines in chromium (onnxruntime-web WASM, 1 and all threads) vs Node',
    run: async (o) => (await import('./browser.js')).runBrowserBench(o),
  },
  queue: {
    summary: 'recur run --queue: 1 worker vs local, 2 workers vs 1 (needs redis-server)',
    run: async (o) => (await import('./queue.js')).runQueueBench(o),
  },
};

const usage = `usage: npm run bench -- NAME... [--pairs N] [--out DIR] [--smoke]\n${Object.entries(BENCHES)
  .map(([n, b]) => `  ${n.padEnd(10)} ${b.summary}`)
  .join('\n')}\n`;
let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    strict: true,
    options: { pairs: { type: 'string' }, out: { type: 'string' }, smoke: { type: 'boolean' } },
  });
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const names = parsed.positionals;
const pairs = parsed.values.pairs === undefined ? undefined : Number(parsed.values.pairs);
const unknown = names.filter((n) => !(n in BENCHES));
if (names.length === 0 || unknown.length > 0 || (pairs !== undefined && !(Number.isInteger(pairs) && pairs >= 1))) {
  if (unknown.length) process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\n`);
  if (pairs !== undefined && !(Number.isInteger(pairs) && pairs >= 1))
    process.stderr.write(`--pairs must be a whole number >= 1, got ${parsed.values.pairs}\n`);
  process.stderr.write(usage);
  process.exitCode = 2;
} else {
  for (const name of names) {
    await BENCHES[name].run({
      ...(pairs !== undefined ? { pairs } : {}),
      ...(parsed.values.out !== undefined ? { out: join(resolve(parsed.values.out), `${name}.json`) } : {}),
      ...(parsed.values.smoke ? { smoke: true } : {}),
    });
  }
}
