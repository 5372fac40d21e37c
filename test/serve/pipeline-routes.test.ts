import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRegistry, load } from '@recur/cli';
import type { RecurServer } from '@recur/serve';
import {
  CLASSIFIER,
  LM,
  LogLines,
  makeServeFixtures,
  metricValue,
  postJson,
  startTestServer,
  type ServeFixtures,
} from './serve-fixtures.js';

describe('recur serve: pipeline routes, health, metrics, request errors', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  let server: RecurServer;
  let url: string;
  let logs: LogLines;

  before(async () => {
    fixtures = await makeServeFixtures();
    ({ server, url, logs } = await startTestServer({
      pipelines: [{ spec: fixtures.classifierSpec }, { spec: fixtures.lmSpec }],
      limits: { bodyBytes: 4096, maxInputs: 8, maxTokens: 50 },
    }));
  });
  after(async () => {
    await server?.close();
  });

  it('answers /healthz and /readyz once the pipelines are loaded', async () => {
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', pipelines: { [CLASSIFIER]: 'ready', [LM]: 'ready' } });
  });

  it('lists the served pipelines with their tasks', async () => {
    const body = (await (await fetch(`${url}/v1/pipelines`)).json()) as { pipelines: { name: string; task: string }[] };
    assert.deepEqual(body.pipelines.map((p) => [p.name, p.task]).sort(), [
      [CLASSIFIER, 'text-classification'],
      [LM, 'text-generation'],
    ]);
  });

  it('runs a classifier on one input and on several, shaped exactly as the library returns them', async () => {
    const pipeline = await load(fixtures.classifierSpec, { registry: createRegistry() });
    try {
      const one = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'What a lovely film.' });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, await pipeline.run('What a lovely film.'));
      const many = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, {
        inputs: ['a good film', 'a bad film'],
        options: { topK: null },
      });
      assert.equal(many.status, 200);
      assert.deepEqual(many.body, await pipeline.run(['a good film', 'a bad film'], { topK: null }));
    } finally {
      await pipeline.dispose();
    }
  });

  it('batches concurrent requests in the worker and counts the batch sizes', async () => {
    const before = await metricValue(url, `recur_serve_batch_size_count{pipeline="${CLASSIFIER}"}`);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: `text number ${i}` }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 200 && Array.isArray(a.body)));
    const batches = (await metricValue(url, `recur_serve_batch_size_count{pipeline="${CLASSIFIER}"}`)) - before;
    const inputs = await metricValue(url, `recur_serve_batch_size_sum{pipeline="${CLASSIFIER}"}`);
    assert.ok(batches >= 1 && batches <= 12, `batches ${batches}`);
    assert.ok(inputs >= 12);
  });

  it('runs a generation pipeline through its route with the library options', async () => {
    const res = await postJson<{ generated_text: unknown }[]>(`${url}/v1/pipelines/${LM}`, {
      inputs: 'the film',
      options: { maxNewTokens: 3, seed: 4, returnFullText: false },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1);
    assert.equal(typeof res.body[0].generated_text, 'string');
    const again = await postJson(`${url}/v1/pipelines/${LM}`, {
      inputs: 'the film',
      options: { maxNewTokens: 3, seed: 4, returnFullText: false },
    });
    assert.deepEqual(again.body, res.body, 'the same seed gives the same text');
  });

  it('refuses maxNewTokens above limits.maxTokens with 422 naming the limit', async () => {
    const res = await postJson(`${url}/v1/pipelines/${LM}`, { inputs: 'the film', options: { maxNewTokens: 51 } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'RECUR_E_SERVE_MAX_TOKENS');
    assert.equal(res.body.error.limit, 50);
  });

  it('refuses more inputs than limits.maxInputs with 422', async () => {
    const res = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: Array.from({ length: 9 }, () => 'x') });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'RECUR_E_SERVE_TOO_MANY_INPUTS');
    assert.equal(res.body.error.limit, 8);
    assert.equal(res.body.error.param, 'inputs');
  });

  it("passes the library's own input errors through with their code and status", async () => {
    const res = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 42 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'RECUR_E_INPUT_INVALID');
  });

  it('checks call options as the library does: the same codes, the option named in param', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ topK: 'two' }, 'RECUR_E_OPTION_INVALID', 'options.topK'],
      [{ topK: 0 }, 'RECUR_E_OPTION_INVALID', 'options.topK'],
      [{ topK: -1 }, 'RECUR_E_OPTION_INVALID', 'options.topK'],
      [{ topK: 1.5 }, 'RECUR_E_OPTION_INVALID', 'options.topK'],
      [{ topK: true }, 'RECUR_E_OPTION_INVALID', 'options.topK'],
      [{ tempratur: 1 }, 'RECUR_E_OPTION_UNKNOWN', 'options.tempratur'],
    ];
    for (const [options, code, param] of cases) {
      const res = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'x', options });
      assert.deepEqual(
        [res.status, res.body.error.code, res.body.error.param],
        [400, code, param],
        JSON.stringify(options),
      );
    }
    const misspelt = await postJson(`${url}/v1/pipelines/${LM}`, { inputs: 'x', options: { tempratur: 0 } });
    assert.deepEqual(
      [misspelt.status, misspelt.body.error.code, misspelt.body.error.suggestions],
      [400, 'RECUR_E_OPTION_UNKNOWN', ['temperature']],
    );
    const tooMany = await postJson(`${url}/v1/pipelines/${LM}`, {
      inputs: 'x',
      options: { maxNewTokens: 3, minNewTokens: 4 },
    });
    assert.deepEqual([tooMany.status, tooMany.body.error.code], [400, 'RECUR_E_OPTION_INVALID']);
    const held = await postJson(`${url}/v1/pipelines/${LM}`, {
      inputs: 'x',
      options: { maxNewTokens: 6, minNewTokens: 6, seed: 1 },
    });
    assert.equal(held.status, 200);
  });

  it('answers an empty or blank input as the library does: 400 RECUR_E_INPUT_EMPTY for classification, a generation for a prompt', async () => {
    for (const inputs of ['', '  \n', ['fine', ' ']]) {
      const res = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs });
      assert.deepEqual([res.status, res.body.error.code], [400, 'RECUR_E_INPUT_EMPTY'], JSON.stringify(inputs));
    }
    // Generation takes an empty prompt (it writes from the start of a text), as the library does.
    const generated = await postJson<{ generated_text: unknown }[]>(`${url}/v1/pipelines/${LM}`, {
      inputs: '',
      options: { maxNewTokens: 3, seed: 1 },
    });
    assert.equal(generated.status, 200);
    assert.equal(typeof generated.body[0].generated_text, 'string');
  });

  it('answers 404 with the nearest pipeline name', async () => {
    const res = await postJson(`${url}/v1/pipelines/tiny-clasifier`, { inputs: 'x' });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'RECUR_E_SERVE_PIPELINE_NOT_FOUND');
    assert.deepEqual(res.body.error.suggestions, [CLASSIFIER]);
    const route = await fetch(`${url}/v2/nothing`);
    assert.equal(route.status, 404);
    assert.equal(((await route.json()) as { error: { code: string } }).error.code, 'RECUR_E_SERVE_ROUTE_NOT_FOUND');
  });

  it('answers 400 for malformed JSON and for a body that breaks the schema, naming the field', async () => {
    const broken = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, '{"inputs": ');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.code, 'RECUR_E_SERVE_MALFORMED_JSON');
    const missing = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { input: 'x' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'RECUR_E_SERVE_INVALID_REQUEST');
    assert.equal(missing.body.error.param, 'inputs');
    const badOptions = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'x', options: 'fast' });
    assert.equal(badOptions.status, 400);
    assert.equal(badOptions.body.error.param, 'options');
    const proto = await postJson(
      `${url}/v1/pipelines/${CLASSIFIER}`,
      '{"inputs": "x", "options": {"__proto__": {"polluted": true}}}',
    );
    assert.equal(proto.status, 400);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('answers 413 for a body over limits.bodyBytes and 415 for a body that is not JSON', async () => {
    const big = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'x'.repeat(5000) });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'RECUR_E_SERVE_BODY_TOO_LARGE');
    assert.equal(big.body.error.limit, 4096);
    const text = await fetch(`${url}/v1/pipelines/${CLASSIFIER}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(text.status, 415);
    assert.equal(
      ((await text.json()) as { error: { code: string } }).error.code,
      'RECUR_E_SERVE_UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it("gives every response a request id, echoes a caller's id, and logs it on the request's lines", async () => {
    const own = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'trace-abc.123' } });
    assert.equal(own.headers.get('x-request-id'), 'trace-abc.123');
    const made = await postJson(`${url}/v1/pipelines/nope`, { inputs: 'x' }, { 'x-request-id': 'bad id with spaces' });
    const id = made.headers.get('x-request-id')!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const lines = logs.lines.filter((l) => l['requestId'] === id);
    assert.ok(lines.length >= 2, 'incoming, refused and completed lines carry the id');
    assert.ok(lines.some((l) => (l['res'] as { statusCode?: number } | undefined)?.statusCode === 404));
    assert.ok(logs.lines.some((l) => l['requestId'] === 'trace-abc.123'));
  });

  it('exposes Prometheus metrics: requests, latency histograms, queue length, readiness', async () => {
    const res = await fetch(`${url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain; version=0.0.4/);
    const text = await res.text();
    // The guide's metrics table names each metric the server exports, with its type, and no other.
    const served = [...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    const guide = await readFile(resolve('docs/guides/chatbot-backend.md'), 'utf8');
    const documented = [...guide.matchAll(/^\| (`(?:recur_serve|process)_[^|]*) \| (counter|gauge|histogram) \|/gm)]
      .flatMap((m) => m[1].split(', ').map((name) => `${name.replace(/`/g, '')} ${m[2]}`))
      .sort();
    assert.ok(served.length >= 14, text);
    assert.deepEqual(served, documented, 'docs/guides/chatbot-backend.md lists other metrics than /metrics serves');
    assert.match(text, /^recur_serve_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/m);
    assert.match(
      text,
      /^recur_serve_request_duration_seconds_bucket\{route="\/v1\/pipelines\/:name",le="\+Inf"\} [1-9]\d*$/m,
    );
    assert.match(text, /^recur_serve_ready 1$/m);
    assert.match(text, new RegExp(`^recur_serve_queue_length\\{pipeline="${CLASSIFIER}"\\} 0$`, 'm'));
  });
});
