import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  nodeResults,
  openBrowserPage,
  PIPELINES,
  runInPage,
  type BrowserPage,
  type PageOutcome,
} from './browser-page.js';

const sentiment = JSON.parse(readFileSync(join(PIPELINES, 'sentiment.json'), 'utf8')) as Record<string, unknown>;

/** Specs served from memory: one whose files lie outside its base URL, one whose weights are missing. */
const FILES = {
  // /specs/ is the base: the shipped files under /pipelines/ are outside it.
  '/specs/escape.json': JSON.stringify({
    ...sentiment,
    tokenizer: { type: 'tokenizer.json', path: '../pipelines/sentiment/tokenizer.json' },
    weights: '../pipelines/sentiment/weights.safetensors',
  }),
  '/pipelines/missing-weights.json': JSON.stringify({ ...sentiment, weights: 'sentiment/absent.safetensors' }),
};

function failure(outcome: PageOutcome): Extract<PageOutcome, { ok: false }> {
  if (outcome.ok) assert.fail(`expected the page's load to fail, it gave ${JSON.stringify(outcome.value)}`);
  return outcome;
}

describe('browser host: files by URL, coded errors, abort, providers and threads', function () {
  this.timeout(240_000);
  let browser: BrowserPage;
  before(async () => {
    browser = await openBrowserPage({ files: FILES });
  });
  after(async () => {
    await browser.close();
  });

  it('a reference outside the spec base URL is RECUR_E_PATH_OUTSIDE_ROOT naming the pointer and the URL', async () => {
    const requested: string[] = [];
    const onRequest = (request: { url(): string }) => requested.push(request.url());
    browser.page.on('request', onRequest);
    const out = failure(await runInPage(browser.page, '/specs/escape.json', ['x']));
    browser.page.off('request', onRequest);
    // Refused without a request: the page sends nothing (and none of its headers) outside the base.
    assert.deepEqual(
      requested.filter((u) => u.includes('/pipelines/')),
      [],
    );
    assert.deepEqual([...new Set(out.errors.length > 0 ? out.errors : [out.code])], ['RECUR_E_PATH_OUTSIDE_ROOT']);
    assert.match(out.message, /\/tokenizer\/path/);
    assert.ok(out.message.includes(`${browser.url}/pipelines/sentiment/tokenizer.json`), out.message);
    assert.ok(out.message.includes(`${browser.url}/specs`), out.message);
  });

  it('a weights URL that answers 404 is RECUR_E_WEIGHTS_MISSING naming the URL', async () => {
    const out = failure(await runInPage(browser.page, '/pipelines/missing-weights.json', ['x']));
    assert.equal(out.errors[0] ?? out.code, 'RECUR_E_WEIGHTS_MISSING');
    assert.ok(out.message.includes(`${browser.url}/pipelines/sentiment/absent.safetensors`), out.message);
  });

  it('a spec URL that answers 404 is RECUR_E_PATH_NOT_FOUND naming the URL', async () => {
    const out = failure(await runInPage(browser.page, '/pipelines/absent.json', ['x']));
    assert.equal(out.code, 'RECUR_E_PATH_NOT_FOUND');
    assert.ok(out.message.includes(`${browser.url}/pipelines/absent.json`), out.message);
  });

  it('an AbortSignal stops a generation in the page with RECUR_E_ABORTED', async () => {
    const outcome = await browser.page.evaluate(async () => {
      const bundle: string = '/playground/recur-browser.js'; // a URL of the page, not a module of this program
      const recur = (await import(bundle)) as {
        load(
          url: string,
          o: object,
        ): Promise<{ stream(i: unknown, o: object): AsyncIterable<string>; dispose(): Promise<void> }>;
      };
      const pipeline = await recur.load('/pipelines/generation.json', { wasmPaths: '/playground/ort/' });
      const controller = new AbortController();
      const pieces: string[] = [];
      try {
        for await (const piece of pipeline.stream('ROMEO:\n', {
          signal: controller.signal,
          temperature: 0,
          maxNewTokens: 500,
          stop: [],
        })) {
          pieces.push(piece);
          if (pieces.length === 3) controller.abort();
        }
        return { code: 'none', pieces: pieces.length };
      } catch (err) {
        return { code: (err as { code?: string }).code, pieces: pieces.length };
      } finally {
        await pipeline.dispose();
      }
    });
    assert.equal(outcome.code, 'RECUR_E_ABORTED');
    // Aborted where it was asked, far from the 500 tokens it would otherwise have written.
    assert.ok(outcome.pieces >= 3 && outcome.pieces < 50, `${outcome.pieces} pieces`);
  });

  it("pipelines loading at once in one page each get their own weights (Node's answers)", async () => {
    const [scores, text] = await browser.page.evaluate(async () => {
      type Runner = { run(i: unknown, o?: object): Promise<unknown>; dispose(): Promise<void> };
      const bundle: string = '/playground/recur-browser.js'; // a URL of the page, not a module of this program
      const recur = (await import(bundle)) as {
        load(url: string, o: object): Promise<Runner>;
      };
      const options = { wasmPaths: '/playground/ort/' };
      const [sentiment, generation] = await Promise.all([
        recur.load('/pipelines/sentiment.json', options),
        recur.load('/pipelines/generation.json', options),
      ]);
      const out = await Promise.all([
        sentiment.run('Great fun.'),
        generation.run('ROMEO:\n', { temperature: 0, maxNewTokens: 30 }),
      ]);
      await Promise.all([sentiment.dispose(), generation.dispose()]);
      return out;
    });
    const [[nodeScores], [nodeText]] = await Promise.all([
      nodeResults('sentiment', ['Great fun.'], {}),
      nodeResults('generation', ['ROMEO:\n'], { temperature: 0, maxNewTokens: 30 }),
    ]);
    assert.deepEqual(text, nodeText);
    const [got] = scores as { label: string; score: number }[];
    const [want] = nodeScores as { label: string; score: number }[];
    assert.equal(got.label, want.label);
    assert.ok(Math.abs(got.score - want.score) <= 1e-4, `${got.score} vs ${want.score}`);
  });

  it('WebGPU asked for where the browser has none: logged fallback to WASM, same scores', async () => {
    const input = ['A gentle, funny and moving film.'];
    const gpu = await runInPage(
      browser.page,
      '/pipelines/sentiment.json',
      input,
      {},
      { executionProviders: ['webgpu'] },
    );
    const wasm = await runInPage(browser.page, '/pipelines/sentiment.json', input);
    assert.ok(gpu.ok && wasm.ok);
    assert.ok(
      gpu.warnings.some((w) => w.includes('execution provider "webgpu" is unavailable') && w.includes('falling back')),
      JSON.stringify(gpu.warnings),
    );
    assert.deepEqual(gpu.value, wasm.value);
  });

  it('threads asked for on a page that is not cross-origin isolated: one thread, with a warning', async () => {
    const out = await runInPage(browser.page, '/pipelines/sentiment.json', ['Dull.'], {}, { threads: 2 });
    assert.ok(out.ok);
    assert.equal(out.isolated, false);
    assert.ok(
      out.warnings.some((w) => w.includes('not cross-origin isolated')),
      JSON.stringify(out.warnings),
    );
  });
});

describe('browser host: a cross-origin isolated page (COOP/COEP) runs WASM threads', function () {
  this.timeout(240_000);
  let browser: BrowserPage;
  before(async () => {
    browser = await openBrowserPage({ isolated: true });
  });
  after(async () => {
    await browser.close();
  });

  it('with 2 threads it gives the scores Node gives, within 1e-4, and warns of nothing', async () => {
    const inputs = JSON.parse(readFileSync(join(PIPELINES, 'sentiment.examples.json'), 'utf8')) as string[];
    const threaded = await runInPage(browser.page, '/pipelines/sentiment.json', inputs, { topK: 2 }, { threads: 2 });
    assert.ok(threaded.ok, JSON.stringify(threaded));
    assert.equal(threaded.isolated, true);
    assert.deepEqual(threaded.warnings, []);
    const scores = (v: unknown) => (v as { score: number }[][]).flat().map((s) => s.score);
    const inNode = scores(await nodeResults('sentiment', inputs, { topK: 2 }));
    scores(threaded.value).forEach((s, i) => {
      assert.ok(Math.abs(s - inNode[i]) <= 1e-4, `${s} vs ${inNode[i]}`);
    });
  });
});
