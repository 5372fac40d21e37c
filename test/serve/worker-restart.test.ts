import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RecurServer } from '@recur/serve';
import { CRASH_TEXT } from './crash-registry.js';
import { LogLines, makeServeFixtures, postJson } from './serve-fixtures.js';

describe('recur serve: a worker thread that dies', function () {
  this.timeout(60000);
  let server: RecurServer;
  let url: string;

  before(async () => {
    const fixtures = await makeServeFixtures();
    // The fixture classifier, its tokenizer swapped for one that can end its worker thread.
    const spec = JSON.parse(await readFile(fixtures.classifierSpec, 'utf8')) as Record<string, unknown>;
    const crashy = join(fixtures.dir, 'crashy.json');
    await writeFile(
      crashy,
      JSON.stringify({ ...spec, name: 'crashy', tokenizer: { type: 'crashing-tokenizer', path: 'tokenizer.json' } }),
    );
    server = await startServer(
      {
        host: '127.0.0.1',
        port: 0,
        logLevel: 'warn',
        pipelines: [{ spec: crashy }],
        registry: { module: import.meta.resolve('./crash-registry.js'), export: 'createCrashRegistry' },
      },
      { logStream: new LogLines() },
    );
    url = server.url;
  });
  after(async () => {
    await server?.close();
  });

  it('fails the request in it with a coded 500, reports not ready, restarts the worker and serves again', async () => {
    const before = await postJson(`${url}/v1/pipelines/crashy`, { inputs: 'a good film' });
    assert.equal(before.status, 200, JSON.stringify(before.body));

    const crashed = await postJson(`${url}/v1/pipelines/crashy`, { inputs: CRASH_TEXT });
    assert.equal(crashed.status, 500);
    assert.equal(crashed.body.error.code, 'RECUR_E_SERVE_WORKER_FAILED');

    const notReady = await fetch(`${url}/readyz`);
    assert.equal(notReady.status, 503, 'not ready while the only worker restarts');
    const refused = await postJson(`${url}/v1/pipelines/crashy`, { inputs: 'a good film' });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));

    let ready = false;
    for (let i = 0; i < 200 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = (await fetch(`${url}/readyz`)).status === 200;
    }
    assert.ok(ready, 'ready again after the restart');
    const after = await postJson(`${url}/v1/pipelines/crashy`, { inputs: 'a good film' });
    assert.equal(after.status, 200, JSON.stringify(after.body));
    assert.deepEqual(after.body, before.body, 'the restarted worker answers as the first did');

    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /recur_serve_worker_restarts_total\{pipeline="crashy"\} 1\b/);
  });
});
