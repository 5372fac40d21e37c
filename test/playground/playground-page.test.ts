import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../services/chromium.js';
import { NAMES, SHIPPED, startRecurServe, type PlaygroundServer } from './playground-server.js';

/** `npm run docs:images` sets this to write the README's screenshot; plain test runs leave the file alone. */
const SCREENSHOT = process.env['RECUR_WRITE_DOCS_IMAGES'] === '1';
const SCREENSHOT_PATH = fileURLToPath(new URL('../../../docs/images/playground.png', import.meta.url));

describe('playground: the page served by recur serve, in chromium', function () {
  this.timeout(180_000);
  let server: PlaygroundServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;

  before(async () => {
    server = await startRecurServe({
      pipelines: [{ spec: SHIPPED.sentiment }, { spec: SHIPPED.translation }, { spec: SHIPPED.generation }],
      timeouts: { drainDelayMs: 0, shutdownGraceMs: 0 },
    });
    url = server.url;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  // The page's CSP refuses eval, so waits are selectors (page.waitForFunction evaluates a string).

  /** Opens the page (of `server`, this suite's by default) and picks a pipeline; resolves once its model card and curves are shown. */
  async function pick(name: string, server = url): Promise<void> {
    await page.goto(server);
    await page.locator(`#pipeline option[value="${name}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#pipeline', name);
    await page.locator('#card h3').first().waitFor();
    await page.locator('#curves svg').first().waitFor();
  }

  async function postJson(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    return res.json();
  }

  /** Classifies `sentence` through the page; what the page shows and what the route answers for it. */
  async function classify(
    sentence: string,
  ): Promise<{ label: string | null; score: string | null; expected: { label: string; score: number } }> {
    await page.fill('#run-input', sentence);
    await page.click('#run-button');
    await page.locator('#run-output .labels li').first().waitFor();
    const [expected] = (await postJson(`/v1/pipelines/${NAMES.sentiment}`, { inputs: sentence })) as {
      label: string;
      score: number;
    }[];
    return {
      label: await page.textContent('#run-output .labels .label'),
      score: await page.textContent('#run-output .labels .score'),
      expected,
    };
  }

  it('classifies a sentence with the sentiment pipeline: the label and score the route answers', async () => {
    await pick(NAMES.sentiment);
    assert.equal(await page.textContent('#run-heading'), 'Classify');
    const { label, score, expected } = await classify('A warm, funny and beautifully acted film.');
    assert.equal(expected.label, 'positive');
    assert.equal(label, expected.label);
    assert.equal(score, expected.score.toFixed(4));
  });

  it('translates a sentence with the translation pipeline, as the route does', async () => {
    await pick(NAMES.translation);
    assert.equal(await page.textContent('#run-button'), 'Translate');
    const sentence = 'Ein Mann fährt Fahrrad.';
    await page.fill('#run-input', sentence);
    await page.click('#run-button');
    await page.locator('#run-output .translation').waitFor();
    const [expected] = (await postJson(`/v1/pipelines/${NAMES.translation}`, { inputs: sentence })) as {
      translation_text: string;
    }[];
    assert.ok(expected.translation_text.length > 0);
    assert.equal(await page.textContent('#run-output .translation'), expected.translation_text);
  });

  it('streams a chat answer into the transcript piece by piece: the text the chat route gives for the same seed', async () => {
    await pick(NAMES.generation);
    assert.equal(await page.isHidden('#run-section'), true);
    const message = 'ROMEO: What light through yonder window breaks?';
    await page.fill('#max-tokens', '60');
    await page.fill('#temperature', '0.8');
    await page.fill('#seed', '7');
    // Counts the additions to the answer's text while it streams, before the stream ends.
    await page.evaluate(`
      window.answerUpdates = 0;
      new MutationObserver((records) => {
        for (const r of records) if (r.target.closest('li.assistant')) window.answerUpdates += r.addedNodes.length;
      }).observe(document.getElementById('transcript'), { childList: true, subtree: true });
    `);
    await page.fill('#chat-input', message);
    await page.click('#send-button');
    await page.locator('#status:text-is("Done.")').waitFor();
    const streamed = await page.textContent('#transcript li.assistant span:last-child');
    const updates = await page.evaluate<number>('window.answerUpdates');
    assert.ok(updates > 1, `the answer arrived in ${updates} DOM update(s)`);
    const expected = (await postJson('/v1/chat/completions', {
      model: NAMES.generation,
      messages: [{ role: 'user', content: message }],
      max_tokens: 60,
      temperature: 0.8,
      seed: 7,
    })) as { choices: { message: { content: string } }[] };
    assert.ok(streamed && streamed.length > 0);
    assert.equal(streamed, expected.choices[0].message.content);
    if (SCREENSHOT) {
      await mkdir(dirname(SCREENSHOT_PATH), { recursive: true });
      await page.screenshot({ path: SCREENSHOT_PATH });
    }
  });

  it('stops a generation with the Stop button', async () => {
    // A server whose model has no stop string, so that a long answer is still streaming when Stop is
    // pressed (the shipped model ends a speech at a blank line, often within a few milliseconds).
    const endless = await startRecurServe(
      { pipelines: [{ spec: SHIPPED.generation }], timeouts: { drainDelayMs: 0, shutdownGraceMs: 0 } },
      ['head.generate.stop=[]'],
    );
    try {
      await pick(NAMES.generation, endless.url);
      await page.fill('#max-tokens', '1000');
      await page.fill('#seed', '');
      await page.fill('#chat-input', 'KING:');
      await page.click('#send-button');
      await page.locator('#transcript li.assistant span:last-child').filter({ hasText: /\S/ }).waitFor();
      // The button moves while the answer grows, so a pointer click waits for it to be still; the click
      // event itself is what a user's click or Enter sends.
      await page.locator('#stop-button').dispatchEvent('click');
      await page.locator('#status:text-is("Stopped.")').waitFor();
      assert.equal(await page.isDisabled('#stop-button'), true);
      assert.equal(await page.isEnabled('#send-button'), true);
    } finally {
      await endless.close();
    }
  });

  it('is usable with the keyboard alone: Tab reaches the controls, Enter runs', async () => {
    await pick(NAMES.sentiment);
    await page.focus('body');
    const reached: string[] = [];
    for (let i = 0; i < 12 && !reached.includes('run-button'); i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate<string>('document.activeElement.id');
      reached.push(id);
      if (id === 'run-input') await page.keyboard.type('A dull, lifeless and boring film.');
    }
    for (const control of ['pipeline', 'run-input', 'run-button']) assert.ok(reached.includes(control), reached.join());
    await page.keyboard.press('Enter');
    await page.locator('#run-output .labels li').first().waitFor();
    assert.equal(await page.textContent('#run-output .labels .label'), 'negative');
    // Every control has a label a screen reader announces.
    const unlabelled = await page.evaluate<string[]>(
      `[...document.querySelectorAll('input, select, textarea')].filter((c) => c.labels.length === 0).map((c) => c.id)`,
    );
    assert.deepEqual(unlabelled, []);
  });

  it('shows the model card as text (never as HTML) and the training curves as SVG line charts', async () => {
    await pick(NAMES.sentiment);
    assert.match((await page.textContent('#card h3')) ?? '', /Model card/);
    assert.ok((await page.locator('#card table').count()) > 0, 'the card has tables');
    const titles = await page.locator('#curves svg .chart-title').allTextContents();
    assert.deepEqual(titles, ['Training loss', 'Dev accuracy']);
    const path = (await page.getAttribute('#curves svg path.line', 'd')) ?? '';
    assert.ok((path.match(/L/g) ?? []).length > 10, `the loss curve has points: ${path.slice(0, 80)}`);
    // HTML in a card stays text: no element is made from it and no handler runs.
    const rendered = await page.evaluate<{ text: string; elements: number }>(`
      import('/playground/markdown.js').then(({ renderMarkdown }) => {
        const div = document.createElement('div');
        div.append(renderMarkdown('<img src=x onerror="window.pwned = 1"> [x](javascript:alert(1)) <script>window.pwned = 2</script>'));
        return { text: div.textContent, elements: div.querySelectorAll('img, script, a').length };
      })
    `);
    assert.equal(rendered.elements, 0);
    assert.match(rendered.text, /<img src=x onerror=/);
    assert.equal(await page.evaluate('window.pwned'), undefined);
  });

  it('"Run in this page" runs the sentiment pipeline in the page (onnxruntime-web): the route\'s label and score', async () => {
    await pick(NAMES.sentiment);
    assert.equal(await page.isEnabled('#in-page'), true);
    assert.match((await page.textContent('#in-page-note')) ?? '', /onnxruntime-web/);
    const bundle = await fetch(`${url}/playground/recur-browser.js`);
    assert.equal(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
    await page.check('#in-page');
    try {
      const { label, score, expected } = await classify('Dull, slow and far too long.');
      assert.equal(label, expected.label);
      const shown = Number(score);
      assert.ok(Math.abs(shown - expected.score) < 2e-4, `in the page ${shown}, on the server ${expected.score}`);
    } finally {
      await page.uncheck('#in-page');
    }
  });

  it('"Run in this page" streams a greedy chat answer generated in the page: the server pipeline\'s text', async () => {
    await pick(NAMES.generation);
    await page.check('#in-page');
    try {
      const prompt = 'JULIET:';
      await page.fill('#max-tokens', '40');
      await page.fill('#temperature', '0');
      await page.fill('#chat-input', prompt);
      await page.click('#send-button');
      await page.locator('#status:text-is("Done.")').waitFor();
      const streamed = await page.textContent('#transcript li.assistant span:last-child');
      const [expected] = (await postJson(`/v1/pipelines/${NAMES.generation}`, {
        inputs: prompt,
        options: { maxNewTokens: 40, temperature: 0, returnFullText: false },
      })) as { generated_text: string }[];
      assert.ok(expected.generated_text.length > 0);
      assert.equal(streamed, expected.generated_text);
    } finally {
      await page.uncheck('#in-page');
    }
  });
});
