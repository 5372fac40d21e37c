import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readEvents, spawnServe } from './serve-child.js';
import { LM, makeServeFixtures, type ServeFixtures } from './serve-fixtures.js';

describe('recur serve: graceful shutdown on SIGTERM (child process)', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  const children: ChildProcess[] = [];
  before(async () => {
    fixtures = await makeServeFixtures();
  });
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('stops taking connections, lets an in-flight stream finish, and exits 0', async () => {
    const config = join(fixtures.dir, 'serve.json');
    await writeFile(
      config,
      JSON.stringify({
        pipelines: [{ spec: 'lm.json' }],
        limits: { maxTokens: 5000 },
        timeouts: { shutdownGraceMs: 30000, drainDelayMs: 0 },
      }),
    );
    const serve = await spawnServe(['--config', config]);
    children.push(serve.child);
    const res = await fetch(`${serve.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: LM, prompt: 'the film', max_tokens: 1000, stream: true }),
    });
    assert.equal(res.status, 200);
    const events = await readEvents(res.body!, () => serve.child.kill('SIGTERM'));
    assert.equal(events[events.length - 1], '[DONE]', 'the stream ran to its end');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: { finish_reason: string | null }[] });
    assert.equal(chunks[chunks.length - 1].choices[0].finish_reason, 'length');
    assert.equal(await serve.exit, 0);
    assert.match(serve.stderr(), /SIGTERM: finishing in-flight requests/);
    await assert.rejects(fetch(`${serve.url}/healthz`), 'the port is closed');
  });

  it('cancels in-flight work when the grace period ends, and still exits 0', async () => {
    const config = join(fixtures.dir, 'serve-short.json');
    await writeFile(
      config,
      JSON.stringify({
        pipelines: [{ spec: 'lm.json' }],
        limits: { maxTokens: 100000 },
        timeouts: { shutdownGraceMs: 200, drainDelayMs: 0 },
      }),
    );
    const serve = await spawnServe(['--config', config]);
    children.push(serve.child);
    const res = await fetch(`${serve.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: LM, prompt: 'the film', max_tokens: 100000, stream: true }),
    });
    assert.equal(res.status, 200);
    const events = await readEvents(res.body!, () => serve.child.kill('SIGTERM'));
    const last = JSON.parse(events[events.length - 1]) as { error?: { code: string } };
    assert.equal(last.error?.code, 'RECUR_E_SERVE_SHUTTING_DOWN');
    assert.equal(await serve.exit, 0);
  });
});
