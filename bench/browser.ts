import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { createRegistry, load } from '@recur/cli';
import { memoryLogger } from '@recur/runtime';
import { treeCpuSeconds } from './lib/process-tree-cpu.js';
import { alternatingPairs, comparedRow, finishRun, loadSnapshot, type ProtocolOptions } from './lib/protocol.js';
import { formatTable, machineDescription, type BenchRow } from './lib/results.js';
import { startStaticServer } from './lib/static-server.js';

/** Sizes of one measurement: sentences classified (as one batch), tokens generated (greedy). */
const SIZES = { sentences: 256, tokens: 200 };
const SMOKE_SIZES = { sentences: 16, tokens: 20 };

interface Work {
  readonly sentences: readonly string[];
  readonly prompt: string;
  readonly tokens: number;
}

type Rates = ReadonlyMap<string, number>;

/**
 * `npm run bench -- browser`: the shipped sentiment and generation pipelines in headless chromium
 * (the @recur/browser bundle, onnxruntime-web WASM) against the same pipelines in Node
 * (onnxruntime-node) with the same thread count: one thread on a plain page, and all the machine's
 * threads on a cross-origin isolated page (COOP/COEP), which is what WASM threads need. Reports
 * sentences/s (one batch) and generation tokens/s (greedy, one prompt: the character model writes one
 * token per character), Node as the protocol's reference side, in alternating pairs (lib/protocol.ts).
 * Writes bench/results/browser.json unless the machine was loaded. Needs chromium (`npm run test:setup`).
 */
export async function runBrowserBench(options: ProtocolOptions = {}): Promise<void> {
  const before = loadSnapshot();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sizes = options.smoke ? SMOKE_SIZES : SIZES;
  const pairs = options.pairs ?? (options.smoke ? 1 : 5);
  const examples = JSON.parse(readFileSync('pipelines/sentiment.examples.json', 'utf8')) as string[];
  const work: Work = {
    sentences: Array.from({ length: sizes.sentences }, (_, i) => examples[i % examples.length]),
    prompt: 'ROMEO:\n',
    tokens: sizes.tokens,
  };
  const all = availableParallelism();
  const rows: BenchRow[] = [];
  for (const threads of [1, all]) {
    const node = await nodeSide(threads, work);
    const browser = await browserSide(threads, work);
    try {
      const measured = await alternatingPairs(pairs, { reference: node.measure, recur: browser.measure }, log);
      for (const unit of ['sentences/s', 'tokens/s']) {
        rows.push(
          comparedRow(measured, {
            case: `${unit === 'sentences/s' ? 'sentiment' : 'generation'}, ${threads} thread${threads > 1 ? 's' : ''}: browser (WASM${threads > 1 ? ', cross-origin isolated' : ''}) vs Node`,
            unit,
            higherIsBetter: true,
            referenceCase: unit,
            recurCase: unit,
          }),
        );
      }
    } finally {
      // The renderers' CPU since the last sample counts as this run's, not as other processes'.
      treeCpuSeconds();
      await browser.close();
      await node.close();
    }
  }
  log(formatTable(rows, 'Node'));
  finishRun(
    join(process.cwd(), 'bench/results/browser.json'),
    { name: 'browser', date: new Date().toISOString(), machine: machineDescription(), ...sizes, rows },
    before,
    options,
    log,
  );
}

/** The pipelines in this process (onnxruntime-node) with `threads` intra-op threads. */
async function nodeSide(
  threads: number,
  work: Work,
): Promise<{ measure: () => Promise<Rates>; close(): Promise<void> }> {
  const overrides = [`runtime.threads=${threads}`];
  const logger = memoryLogger();
  const sentiment = await load('pipelines/sentiment.json', { registry: createRegistry(), overrides, logger });
  const generation = await load('pipelines/generation.json', { registry: createRegistry(), overrides, logger });
  return {
    measure: async () => {
      let t = performance.now();
      await sentiment.run([...work.sentences]);
      const classify = (performance.now() - t) / 1000;
      t = performance.now();
      const out = (await generation.run(work.prompt, generateOptions(work))) as { generated_text: string }[];
      const generate = (performance.now() - t) / 1000;
      return rates(work.sentences.length / classify, out[0].generated_text.length / generate);
    },
    close: async () => {
      await sentiment.dispose();
      await generation.dispose();
    },
  };
}

function generateOptions(work: Work): Record<string, unknown> {
  return { temperature: 0, maxNewTokens: work.tokens, minNewTokens: work.tokens, stop: [], returnFullText: false };
}

function rates(sentences: number, tokens: number): Rates {
  return new Map([
    ['sentences/s', sentences],
    ['tokens/s', tokens],
  ]);
}

/** The same pipelines in headless chromium: a plain page for one thread, an isolated one for more. */
async function browserSide(
  threads: number,
  work: Work,
): Promise<{ measure: () => Promise<Rates>; close(): Promise<void> }> {
  const ortDist = dirname(
    createRequire(join(process.cwd(), 'core/browser/package.json')).resolve('onnxruntime-web/wasm'),
  );
  const server = await startStaticServer({
    mounts: {
      '/pipelines/': join(process.cwd(), 'pipelines'),
      '/playground/ort/': ortDist,
      '/playground/': join(process.cwd(), 'core/browser/dist'),
    },
    files: { '/': '<!doctype html><html lang="en"><title>Recur bench</title></html>' },
    isolated: threads > 1,
  });
  // The tests' launcher (system chromium, headless); its compiled module lives in test/dist.
  const { launchChromium } = (await import(new URL('../../test/dist/services/chromium.js', import.meta.url).href)) as {
    launchChromium: () => Promise<import('playwright-core').Browser>;
  };
  const chromium = await launchChromium();
  const page: Page = await chromium.newPage();
  await page.goto(`${server.url}/`);
  await page.evaluate(async (threads) => {
    const bundle: string = '/playground/recur-browser.js'; // a URL of the page, not a module of this program
    const recur = (await import(bundle)) as {
      load(url: string, o: object): Promise<unknown>;
    };
    const options = { wasmPaths: '/playground/ort/', threads };
    (globalThis as Record<string, unknown>)['benchPipelines'] = {
      sentiment: await recur.load('/pipelines/sentiment.json', options),
      generation: await recur.load('/pipelines/generation.json', options),
    };
  }, threads);
  return {
    measure: async () => {
      const [sentences, tokens] = await page.evaluate(
        async ({ work, generate }) => {
          type Runner = { run(i: unknown, o?: object): Promise<unknown> };
          const p = (globalThis as Record<string, unknown>)['benchPipelines'] as Record<string, Runner>;
          let t = performance.now();
          await p['sentiment'].run([...work.sentences]);
          const classify = (performance.now() - t) / 1000;
          t = performance.now();
          const out = (await p['generation'].run(work.prompt, generate)) as { generated_text: string }[];
          return [work.sentences.length / classify, out[0].generated_text.length / ((performance.now() - t) / 1000)];
        },
        { work, generate: generateOptions(work) },
      );
      return rates(sentences, tokens);
    },
    close: async () => {
      await chromium.close();
      await server.close();
    },
  };
}
