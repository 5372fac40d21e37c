import { strict as assert } from 'node:assert';
import type { RecurServer } from '@recur/serve';
import { LM, makeServeFixtures, metricValue, postJson, startTestServer, type ServeFixtures } from './serve-fixtures.js';

/** Starts a long streaming generation and returns once its first chunk arrived. */
async function startLongStream(url: string): Promise<{ abort: () => void; firstChunk: string }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: LM, prompt: 'the film', max_tokens: 100000, stream: true }),
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  return {
    abort: () => {
      controller.abort();
    },
    firstChunk: new TextDecoder().decode(value),
  };
}

const waitUntil = async (check: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting until ${what}`);
};

describe('recur serve: queue bounds, cancellation on disconnect, request timeout', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  before(async () => {
    fixtures = await makeServeFixtures();
  });

  describe('with one place and a queue of one', () => {
    let server: RecurServer;
    let url: string;
    before(async () => {
      ({ server, url } = await startTestServer({
        pipelines: [{ spec: fixtures.lmSpec }],
        limits: { maxConcurrent: 1, maxQueue: 1, maxTokens: 100000 },
        logLevel: 'warn',
      }));
    });
    after(async () => {
      await server?.close();
    });

    it('queues one request, refuses the next with 429 and retry-after, and stops generating when the client disconnects', async () => {
      const inFlight = `recur_serve_in_flight{pipeline="${LM}"}`;
      const stream = await startLongStream(url);
      assert.match(stream.firstChunk, /^data: /);
      assert.equal(await metricValue(url, inFlight), 1);

      const queued = postJson<{ choices: { finish_reason: string }[] }>(`${url}/v1/completions`, {
        model: LM,
        prompt: 'a film',
        max_tokens: 2,
      });
      await waitUntil(
        async () => (await metricValue(url, `recur_serve_queue_length{pipeline="${LM}"}`)) === 1,
        'the second request waits',
      );
      const refused = await postJson(`${url}/v1/completions`, { model: LM, prompt: 'a film', max_tokens: 2 });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'RECUR_E_SERVE_BUSY');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal(await metricValue(url, `recur_serve_rejected_total{pipeline="${LM}"}`), 1);

      stream.abort();
      // The queued request gets the one place only once the worker confirms the generation stopped.
      const served = await queued;
      assert.equal(served.status, 200);
      assert.equal(served.body.choices[0].finish_reason, 'length');
      assert.equal(await metricValue(url, `recur_serve_cancelled_total{pipeline="${LM}",reason="disconnect"}`), 1);
      await waitUntil(async () => (await metricValue(url, inFlight)) === 0, 'nothing runs');
      const tokens = await metricValue(url, `recur_serve_tokens_generated_total{model="${LM}"}`);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(
        await metricValue(url, `recur_serve_tokens_generated_total{model="${LM}"}`),
        tokens,
        'no token is generated after the cancel',
      );
    });
  });

  describe('with a short request timeout', () => {
    let server: RecurServer;
    let url: string;
    before(async () => {
      ({ server, url } = await startTestServer({
        pipelines: [{ spec: fixtures.lmSpec }],
        limits: { maxTokens: 100000 },
        timeouts: { requestMs: 300 },
        logLevel: 'warn',
      }));
    });
    after(async () => {
      await server?.close();
    });

    it('cancels work that runs past timeouts.requestMs and answers 504', async () => {
      const res = await postJson(`${url}/v1/completions`, { model: LM, prompt: 'the film', max_tokens: 100000 });
      assert.equal(res.status, 504);
      assert.equal(res.body.error.code, 'RECUR_E_SERVE_TIMEOUT');
      assert.equal(await metricValue(url, `recur_serve_cancelled_total{pipeline="${LM}",reason="timeout"}`), 1);
      await waitUntil(
        async () => (await metricValue(url, `recur_serve_in_flight{pipeline="${LM}"}`)) === 0,
        'the worker stopped',
      );
    });
  });
});
