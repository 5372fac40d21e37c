import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeResults, openBrowserPage, PIPELINES, runInPage, type BrowserPage } from './browser-page.js';

const examples = (name: string): string[] =>
  JSON.parse(readFileSync(join(PIPELINES, `${name}.examples.json`), 'utf8')) as string[];

function valueOf(outcome: Awaited<ReturnType<typeof runInPage>>): unknown[] {
  if (!outcome.ok) assert.fail(`the page failed: ${outcome.code ?? 'no code'}: ${outcome.message}`);
  return outcome.value as unknown[];
}

describe('browser: the shipped pipelines give the same answers in chromium (onnxruntime-web) as in Node', function () {
  this.timeout(240_000);
  let browser: BrowserPage;
  before(async () => {
    browser = await openBrowserPage();
  });
  after(async () => {
    await browser.close();
  });

  it('sentiment: the same labels, every score within 1e-4', async () => {
    const inputs = examples('sentiment');
    const options = { topK: 2 };
    const [inPage, inNode] = [
      valueOf(await runInPage(browser.page, '/pipelines/sentiment.json', inputs, options)),
      await nodeResults('sentiment', inputs, options),
    ];
    assert.equal(inPage.length, inputs.length);
    inPage.forEach((page, i) => {
      const node = inNode[i] as { label: string; score: number }[];
      const got = page as { label: string; score: number }[];
      assert.deepEqual(
        got.map((s) => s.label),
        node.map((s) => s.label),
        inputs[i],
      );
      got.forEach((s, k) => {
        assert.ok(Math.abs(s.score - node[k].score) <= 1e-4, `${inputs[i]}: ${s.label} ${s.score} vs ${node[k].score}`);
      });
    });
  });

  it('generation: greedy continuations are token-identical', async () => {
    const inputs = examples('generation');
    const options = { temperature: 0, maxNewTokens: 80 };
    const inPage = valueOf(await runInPage(browser.page, '/pipelines/generation.json', inputs, options));
    assert.deepEqual(inPage, await nodeResults('generation', inputs, options));
  });

  it('translation: beam-search (beam 5) translations are token-identical', async () => {
    const inputs = examples('translation');
    const options = { beam: 5 };
    const inPage = valueOf(await runInPage(browser.page, '/pipelines/translation.json', inputs, options));
    assert.deepEqual(inPage, await nodeResults('translation', inputs, options));
  });
});
