/**
 * Measures one shipped pipeline in a process of its own (so peak RSS is that pipeline's):
 *   node bench/dist/pipelines-child.js NAME [--smoke]
 * prints one JSON object of rows. Used by bench/pipelines.ts. `--smoke`: one repeat of each case and no
 * long inputs, to see the code paths work.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry } from '@recur/cli';
import { load, OrtBackend } from '@recur/runtime';
import { TimedBackend } from './lib/timed-backend.js';
import { median } from './lib/stats.js';
import { ratioSummary } from './lib/protocol.js';

interface Row {
  case: string;
  unit: string;
  value: number;
  spread?: number;
  target?: string;
  met?: boolean;
}

const name = process.argv[2];
const smoke = process.argv.includes('--smoke');
/** `n` repeats, or 1 in a smoke run. */
const times = (n: number) => (smoke ? 1 : n);
const root = process.cwd();
const specPath = join(root, 'pipelines', `${name}.json`);
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { weights: string };
const weightsBytes = statSync(join(root, 'pipelines', spec.weights)).size;
const backend = new TimedBackend(new OrtBackend());
const pipeline = await load(specPath, { registry: createRegistry(), backend });
const rows: Row[] = [];
let rssBeforeLongInputs: number | undefined;
/** Lengths in characters of the long sentiment inputs. */
const LONG_INPUTS = smoke ? [1000] : [1000, 10000, 100000];

/** Runs `fn` `repeats` times; returns median seconds and the median share of time outside session.run. */
async function measure(fn: () => Promise<unknown>, repeats: number): Promise<{ seconds: number; overhead: number }> {
  await fn();
  const times: number[] = [];
  const shares: number[] = [];
  for (let i = 0; i < repeats; i++) {
    backend.reset();
    const start = process.hrtime.bigint();
    await fn();
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    times.push(s);
    shares.push(Math.max(0, 1 - backend.runSeconds / s));
  }
  return { seconds: median(times), overhead: median(shares) };
}

const sentences = [
  'The film was a delight from start to finish.',
  'A dull, lifeless script that never finds its footing.',
  'I laughed, I cried, and I would happily see it again.',
  'Nothing here works: the plot, the acting, the music.',
  'An honest, warm and beautifully acted story.',
  'It drags on far too long and goes nowhere.',
  'The service was quick and the food was excellent.',
  'Frankly the worst purchase I have made this year.',
];

if (name === 'sentiment') {
  const batch = Array.from({ length: 64 }, (_, i) => sentences[i % sentences.length]);
  const b64 = await measure(() => pipeline.run(batch), times(20));
  rows.push({ case: 'sentiment batch 64', unit: 'sentences/s', value: 64 / b64.seconds });
  rows.push({
    case: 'sentiment batch 64 overhead outside session.run',
    unit: 'share',
    value: b64.overhead,
    target: '< 0.20',
    met: b64.overhead < 0.2,
  });
  const one = await measure(() => pipeline.run(sentences[0]), times(50));
  rows.push({ case: 'sentiment single sentence', unit: 'ms', value: one.seconds * 1000 });
  rows.push({
    case: 'sentiment batch 1 overhead outside session.run',
    unit: 'share',
    value: one.overhead,
    target: '< 0.30',
    met: one.overhead < 0.3,
  });
  // Peak RSS of the ordinary workload, before the long inputs below grow ONNX Runtime's arena.
  rssBeforeLongInputs = process.resourceUsage().maxRSS / 1024;
  for (const n of LONG_INPUTS) {
    const long = 'great '.repeat(n / 6);
    const t = await measure(() => pipeline.run(long, { maxInputTokens: 1_000_000 }), times(3));
    rows.push({ case: `sentiment ${n}-char input (linear growth check)`, unit: 'ms', value: t.seconds * 1000 });
  }
} else if (name === 'generation') {
  const options = { maxNewTokens: smoke ? 8 : 128, temperature: 0, stop: [] as string[] };
  // One stream and 32 streams measured in alternation, the ratio taken per pair: on a shared machine
  // the load changes over a run, and measuring one side after the other would put that in the ratio.
  const pairs: { single: { seconds: number; overhead: number }; streams: { seconds: number; overhead: number } }[] = [];
  for (let i = 0; i < times(7); i++) {
    const single = await measure(() => pipeline.run('ROMEO:', options), times(3));
    const streams = await measure(
      () => Promise.all(Array.from({ length: 32 }, (_, k) => pipeline.run(`KING ${k}:`, options))),
      1,
    );
    pairs.push({ single, streams });
  }
  const tps1 = median(pairs.map((p) => options.maxNewTokens / p.single.seconds));
  const tps32 = median(pairs.map((p) => (32 * options.maxNewTokens) / p.streams.seconds));
  const ratio = ratioSummary(pairs.map((p) => (p.single.seconds * 32) / p.streams.seconds));
  const overhead1 = median(pairs.map((p) => p.single.overhead));
  const overhead32 = median(pairs.map((p) => p.streams.overhead));
  rows.push({ case: 'generation batch 1 (greedy)', unit: 'tokens/s', value: tps1 });
  rows.push({
    case: 'generation batch 1 overhead outside session.run',
    unit: 'share',
    value: overhead1,
    target: '< 0.30',
    met: overhead1 < 0.3,
  });
  rows.push({ case: 'generation 32 concurrent streams (greedy)', unit: 'tokens/s', value: tps32 });
  // No target: a fast single stream should not count against the server (issue 13); the PyTorch rows judge both.
  rows.push({
    case: `generation 32 streams vs 1 (median of ${pairs.length} alternating pairs)`,
    unit: 'x',
    value: ratio.median,
    spread: ratio.spread,
  });
  rows.push({
    case: 'generation 32 streams overhead outside session.run',
    unit: 'share',
    value: overhead32,
    target: '< 0.20',
    met: overhead32 < 0.2,
  });
} else if (name === 'translation') {
  const german = [
    'Ein Mann fährt mit dem Fahrrad die Straße entlang.',
    'Zwei Kinder spielen im Sand am Strand.',
    'Eine Frau liest ein Buch im Park.',
    'Ein Hund rennt über eine grüne Wiese.',
  ];
  const batch = Array.from({ length: 32 }, (_, i) => german[i % german.length]);
  const beam = await measure(() => pipeline.run(batch, { beam: 5 }), times(5));
  rows.push({ case: 'translation beam 5, batch 32', unit: 'sentences/s', value: 32 / beam.seconds });
  rows.push({
    case: 'translation beam 5 overhead outside session.run',
    unit: 'share',
    value: beam.overhead,
    target: '< 0.20',
    met: beam.overhead < 0.2,
  });
  const one = await measure(() => pipeline.run(german[0], { beam: 5 }), times(10));
  rows.push({ case: 'translation beam 5, one sentence', unit: 'ms', value: one.seconds * 1000 });
  rows.push({
    case: 'translation batch 1 overhead outside session.run',
    unit: 'share',
    value: one.overhead,
    target: '< 0.30',
    met: one.overhead < 0.3,
  });
}
await pipeline.dispose();
const overallPeakMiB = process.resourceUsage().maxRSS / 1024;
const peakMiB = rssBeforeLongInputs ?? overallPeakMiB;
const limit = (2 * weightsBytes) / 2 ** 20 + 200;
rows.push({
  case: `${name} peak RSS (weights ${(weightsBytes / 2 ** 20).toFixed(1)} MiB)`,
  unit: 'MiB',
  value: peakMiB,
  target: `< ${limit.toFixed(0)}`,
  met: peakMiB < limit,
});
if (rssBeforeLongInputs !== undefined)
  rows.push({
    case: `${name} peak RSS after a ${LONG_INPUTS.at(-1)!.toLocaleString('en')}-character input`,
    unit: 'MiB',
    value: overallPeakMiB,
  });
process.stdout.write(JSON.stringify(rows) + '\n');
