/**
 * Recur's side of one pair of the pipelines benchmark's PyTorch rows, in a process of its own:
 *   node bench/dist/pipelines-compare-child.js sentiment|generation [--smoke] [--repeats N]
 * prints one JSON object of values by key (see COMPARED in pipelines.ts), measured as the reference
 * scripts measure theirs:
 *   - sentiment: sentences/s at batch 64 of sentences of 10-30 words (the reference's lengths, mean 20),
 *     and ms for one 20-word sentence; Recur's figures include tokenising, the reference's do not;
 *   - generation: sampled tokens/s (the spec's temperature and top-k, no stop strings) for one stream and
 *     for 32 streams at once (continuous batching), median of a few runs after a warm-up.
 */
import { join } from 'node:path';
import { createRegistry } from '@recur/cli';
import { load } from '@recur/runtime';
import { median, medianSeconds } from './lib/stats.js';

const name = process.argv[2];
const smoke = process.argv.includes('--smoke');
/** Timed repeats per measurement (`--repeats N`, as the reference script takes it). */
const repeatsAt = process.argv.indexOf('--repeats');
const givenRepeats = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : undefined;
const pipeline = await load(join(process.cwd(), 'pipelines', `${name}.json`), { registry: createRegistry() });
const values: Record<string, number> = {};

/** Median seconds of `repeats` calls after one untimed call. */
const seconds = (fn: () => Promise<unknown>, repeats: number) => medianSeconds(fn, { warmup: 1, repeats });

const WORDS = (
  'the film was a delight from start to finish and i would happily see it again but the plot drags on far too long ' +
  'while the acting is warm honest and beautifully done even if the music never finds its footing in this story'
).split(' ');

/** A sentence of `n` plain words (one token each for a word-level tokenizer), varied by `k`. */
function sentence(n: number, k: number): string {
  return Array.from({ length: n }, (_, i) => WORDS[(k * 7 + i * 3) % WORDS.length]).join(' ');
}

if (name === 'sentiment') {
  const repeats = givenRepeats ?? (smoke ? 2 : 20);
  // Lengths 10..30 cycling, as the reference draws them uniformly in [length/2, 3*length/2] around 20.
  const batch = Array.from({ length: 64 }, (_, k) => sentence(10 + ((k * 13) % 21), k));
  values['batch64'] = 64 / (await seconds(() => pipeline.run(batch), repeats));
  const one = sentence(20, 1);
  values['one'] = 1000 * (await seconds(() => pipeline.run(one), repeats));
} else if (name === 'generation') {
  const tokens = smoke ? 8 : 200;
  const repeats = givenRepeats ?? (smoke ? 1 : 3);
  let generated = 0;
  const options = {
    maxNewTokens: tokens,
    stop: [] as string[],
    onEnd: (end: { generatedTokens: number }) => {
      generated += end.generatedTokens;
    },
  };
  const prompt = (k: number) => String.fromCharCode(65 + (k % 26));
  // Tokens/s counts the tokens actually generated (a sampled end-of-sequence token would end a stream early).
  const rate = async (streams: number) => {
    const times: number[] = [];
    const counts: number[] = [];
    await Promise.all(Array.from({ length: streams }, (_, k) => pipeline.run(prompt(k), { ...options, seed: k })));
    for (let i = 0; i < repeats; i++) {
      generated = 0;
      const start = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: streams }, (_, k) => pipeline.run(prompt(k), { ...options, seed: 100 * i + k })),
      );
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      counts.push(generated);
    }
    return median(counts.map((c, i) => c / times[i]));
  };
  values['streams1'] = await rate(1);
  values['streams32'] = await rate(32);
} else {
  throw new Error(`no PyTorch comparison for pipeline ${name}`);
}
await pipeline.dispose();
process.stdout.write(JSON.stringify(values) + '\n');
