import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, load } from '@recur/cli';
import { memoryLogger } from '@recur/runtime';
import { openBrowserPage, PIPELINES, type BrowserPage } from './browser-page.js';

const EXAMPLE = join(PIPELINES, '..', 'docs', 'examples', 'browser-page', 'index.html');

describe('docs/guides/browser.md: the example page (docs/examples/browser-page) runs in chromium', function () {
  this.timeout(240_000);
  let browser: BrowserPage;
  before(async () => {
    browser = await openBrowserPage({ files: { '/example.html': readFileSync(EXAMPLE, 'utf8') } });
  });
  after(async () => {
    await browser.close();
  });

  it("shows the sentiment and streams Node's greedy continuation", async () => {
    await browser.page.goto(`${browser.url}/example.html`);
    await browser.page.waitForSelector('#poem[data-done="true"]', { timeout: 200_000 });
    assert.match(await browser.page.locator('#sentiment').innerText(), /^positive 0\.\d{3}$/);
    const generation = await load(join(PIPELINES, 'generation.json'), {
      registry: createRegistry(),
      logger: memoryLogger(),
    });
    try {
      let expected = '';
      for await (const piece of generation.stream('ROMEO:\n', { temperature: 0, maxNewTokens: 60 })) expected += piece;
      assert.ok(expected.length > 0);
      assert.equal(await browser.page.locator('#poem').textContent(), expected);
    } finally {
      await generation.dispose();
    }
  });
});
