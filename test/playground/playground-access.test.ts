import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../services/chromium.js';
import { NAMES, SHIPPED, startRecurServe, type PlaygroundServer } from './playground-server.js';

const KEY = 'playground-test-key-0123456789';
const QUICK_EXIT = { drainDelayMs: 0, shutdownGraceMs: 0 };

/** GET with a path sent exactly as written (fetch would resolve `..` before sending it). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('playground: API keys, the files route and the playground switch', function () {
  this.timeout(180_000);
  let keyed: PlaygroundServer | undefined;
  let off: PlaygroundServer | undefined;
  let url: string;
  const auth = { authorization: `Bearer ${KEY}` };
  const files = `/v1/pipelines/${NAMES.sentiment}/files`;

  before(async () => {
    [keyed, off] = await Promise.all([
      startRecurServe({ pipelines: [{ spec: SHIPPED.sentiment }], auth: { apiKeys: [KEY] }, timeouts: QUICK_EXIT }),
      startRecurServe({ pipelines: [{ spec: SHIPPED.sentiment }], playground: false, timeouts: QUICK_EXIT }),
    ]);
    url = keyed.url;
  });
  after(async () => {
    await Promise.all([keyed?.close(), off?.close()]);
  });

  it('serves the page and its assets without a key, with their content types and a strict CSP', async () => {
    for (const [path, type] of [
      ['/', 'text/html; charset=utf-8'],
      ['/playground/playground.css', 'text/css; charset=utf-8'],
      ['/playground/playground.js', 'text/javascript; charset=utf-8'],
    ]) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      // Scripts from the server only, never inline; 'unsafe-eval' because the in-page runtime's schema
      // validator (ajv) compiles the spec's schema into functions.
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval';/);
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      const again = await fetch(`${url}${path}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      assert.equal(again.status, 304, path);
    }
    const html = await (await fetch(url)).text();
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]|\son\w+=/, 'no inline script or handler');
    assert.equal((await fetch(`${url}/playground/secret.txt`)).status, 404);
  });

  it('refuses the pipeline routes the page reads without the key (401), answers with it', async () => {
    for (const path of ['/v1/pipelines', files, `${files}/sentiment.json`, `/v1/pipelines/${NAMES.sentiment}/card`]) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.status, 401, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'RECUR_E_SERVE_UNAUTHORIZED');
      assert.equal((await fetch(`${url}${path}`, { headers: auth })).status, 200, path);
    }
  });

  it('serves exactly the spec and the files it references, at paths relative to the spec', async () => {
    const index = (await (await fetch(`${url}${files}`, { headers: auth })).json()) as Record<string, unknown>;
    assert.deepEqual(index, {
      spec: 'sentiment.json',
      files: ['sentiment.json', 'sentiment/tokenizer.json', 'sentiment/weights.safetensors'],
      card: true,
      curves: true,
    });
    const spec = await fetch(`${url}${files}/sentiment.json`, { headers: auth });
    assert.equal(spec.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(await spec.text(), await readFile(SHIPPED.sentiment, 'utf8'));
    const weights = await fetch(`${url}${files}/sentiment/weights.safetensors`, { headers: auth });
    assert.equal(weights.status, 200);
    assert.equal(weights.headers.get('content-type'), 'application/octet-stream');
    assert.equal(weights.headers.get('cache-control'), 'private, no-cache');
    const etag = weights.headers.get('etag')!;
    assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.equal(Number(weights.headers.get('content-length')), (await weights.arrayBuffer()).byteLength);
    const cached = await fetch(`${url}${files}/sentiment/weights.safetensors`, {
      headers: { ...auth, 'if-none-match': etag },
    });
    assert.equal(cached.status, 304);
  });

  it('answers 404 for any other path: files beside the spec, parent folders, encoded dots', async () => {
    for (const path of [
      `${files}/sentiment/MODEL_CARD.md`,
      `${files}/sentiment/training/metrics.jsonl`,
      `${files}/../sentiment.json`,
      `${files}/sentiment/../sentiment.json`,
      `${files}/%2e%2e/pipelines/sentiment.json`,
      `${files}/..%2fsentiment.json`,
      `${files}//etc/passwd`,
      `${files}/`,
    ]) {
      const res = await rawGet(url, path, auth);
      assert.equal(res.status, 404, path);
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'RECUR_E_SERVE_FILE_NOT_FOUND');
    }
    assert.equal((await fetch(`${url}/v1/pipelines/nope/files/sentiment.json`, { headers: auth })).status, 404);
  });

  it('turns the page, its assets and its routes off with playground: false', async () => {
    for (const path of ['/', '/playground/playground.js', files, `${files}/sentiment.json`]) {
      const res = await fetch(`${off!.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'RECUR_E_SERVE_ROUTE_NOT_FOUND');
    }
    assert.equal((await fetch(`${off!.url}/v1/pipelines`)).status, 200);
  });

  describe('in chromium', () => {
    let browser: Browser | undefined;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    it('asks for the key after a 401, keeps it in sessionStorage only, and sends it with every request', async () => {
      const page = await browser!.newPage();
      await page.goto(url);
      await page.locator('#key-section:not([hidden])').waitFor();
      assert.match((await page.textContent('#key-message')) ?? '', /needs an API key.*RECUR_E_SERVE_UNAUTHORIZED/);
      assert.equal(await page.getAttribute('#api-key', 'type'), 'password');

      await page.fill('#api-key', 'not-the-key-but-long-enough');
      await page.press('#api-key', 'Enter');
      await page.locator('#key-message:text-matches("not valid")').waitFor();

      await page.fill('#api-key', KEY);
      await page.press('#api-key', 'Enter');
      await page.locator('#key-section[hidden]').waitFor({ state: 'attached' });
      await page.locator('#card h3').first().waitFor();
      await page.fill('#run-input', 'What a wonderful surprise.');
      await page.click('#run-button');
      assert.equal(await page.locator('#run-output .labels .label').textContent(), 'positive');
      const storage = await page.evaluate<{ session: string | null; local: number }>(
        `({ session: sessionStorage.getItem('recur.playground.apiKey'), local: localStorage.length })`,
      );
      assert.deepEqual(storage, { session: KEY, local: 0 });
    });
  });
});
