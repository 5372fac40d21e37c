import { strict as assert } from 'node:assert';
import { CLASSIFIER, makeServeFixtures, postJson, startTestServer } from './serve-fixtures.js';

describe('recur serve: balancer-friendly drain', function () {
  this.timeout(60000);

  it('turns /readyz 503 first, keeps serving for timeouts.drainDelayMs, then stops accepting', async () => {
    const fixtures = await makeServeFixtures();
    const { server, url } = await startTestServer({
      pipelines: [{ spec: fixtures.classifierSpec }],
      timeouts: { drainDelayMs: 1500 },
    });
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const drained = server.drain();

    const readiness = await fetch(`${url}/readyz`);
    assert.equal(readiness.status, 503);
    assert.equal(((await readiness.json()) as { status: string }).status, 'draining');
    const during = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, {
      inputs: 'still served while the balancer catches up',
    });
    assert.equal(during.status, 200, 'requests are still served during the delay');
    assert.equal(during.headers.get('connection'), 'close', 'keep-alive clients are told to reconnect elsewhere');
    assert.equal((await fetch(`${url}/healthz`)).status, 200, 'liveness stays up while draining');

    await drained;
    await assert.rejects(fetch(`${url}/healthz`), 'the port is closed once the drain is over');
  });

  it('close() during the delay ends the drain at once', async () => {
    const fixtures = await makeServeFixtures();
    const { server, url } = await startTestServer({
      pipelines: [{ spec: fixtures.classifierSpec }],
      timeouts: { drainDelayMs: 3_600_000 },
    });
    const drained = server.drain();
    assert.equal((await fetch(`${url}/readyz`)).status, 503);
    await server.close();
    await drained;
    await assert.rejects(fetch(`${url}/healthz`));
  });
});
