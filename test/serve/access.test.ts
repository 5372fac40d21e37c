import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import { startServer, type RecurServer } from '@recur/serve';
import {
  CLASSIFIER,
  REGISTRY,
  makeServeFixtures,
  postJson,
  startTestServer,
  type ServeFixtures,
} from './serve-fixtures.js';

const KEY = 'test-key-0123456789abcdef';
const ORIGIN = 'https://chat.example.com';

describe('recur serve: API keys and CORS', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  let server: RecurServer;
  let url: string;

  before(async () => {
    fixtures = await makeServeFixtures();
    ({ server, url } = await startTestServer({
      pipelines: [{ spec: fixtures.classifierSpec }],
      apiKeys: [KEY],
      cors: { origins: [ORIGIN] },
      logLevel: 'warn',
    }));
  });
  after(async () => {
    await server?.close();
  });

  it('answers 401 without a key or with a wrong one, and 200 with the key', async () => {
    const none = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'x' });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'RECUR_E_SERVE_UNAUTHORIZED');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const wrong = await postJson(
      `${url}/v1/pipelines/${CLASSIFIER}`,
      { inputs: 'x' },
      { authorization: `Bearer ${KEY}x` },
    );
    assert.equal(wrong.status, 401);
    const ok = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'x' }, { authorization: `Bearer ${KEY}` });
    assert.equal(ok.status, 200);
    assert.equal((await fetch(`${url}/metrics`)).status, 401, 'metrics need the key too');
  });

  it('keeps /healthz and /readyz open for load balancers', async () => {
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
  });

  it("works with the openai client's apiKey, and the client sees 401 as an authentication error", async () => {
    const good = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 });
    assert.deepEqual((await good.models.list()).data, []);
    const bad = new OpenAI({ apiKey: 'wrong-key-0123456789', baseURL: `${url}/v1`, maxRetries: 0 });
    await assert.rejects(
      bad.models.list(),
      (err: unknown) => err instanceof OpenAI.AuthenticationError && err.code === 'RECUR_E_SERVE_UNAUTHORIZED',
    );
  });

  it('answers CORS preflights for allowed origins without a key, and only for them', async () => {
    const preflight = await fetch(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers')!, /authorization/);
    const other = await fetch(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const refused = await fetch(`${url}/v1/pipelines/${CLASSIFIER}`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{"inputs":"x"}',
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), ORIGIN, 'a browser can read the error');
    assert.match(refused.headers.get('access-control-expose-headers')!, /x-request-id/);
  });

  it('refuses to bind a non-loopback address without API keys', async () => {
    await assert.rejects(
      startServer({ host: '0.0.0.0', port: 0, pipelines: [{ spec: fixtures.classifierSpec }], registry: REGISTRY }),
      (err: { code?: string }) => err.code === 'RECUR_E_SERVE_KEYS_REQUIRED',
    );
  });
});
