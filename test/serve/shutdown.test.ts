import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LM, makeServeFixtures, type ServeFixtures } from './serve-fixtures.js';

const BIN = fileURLToPath(new URL('../../../core/cli/dist/bin.js', import.meta.url));

/** `recur serve` as a child process; resolves with its URL once it listens. */
function spawnServe(args: readonly string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1]!, stderr: () => stderr, exit });
    });
    void exit.then((code) => reject(new Error(`recur serve exited with ${code} before listening:\n${stderr}`)));
  });
}

/** Reads an SSE response to its end; returns the data payloads. */
async function readEvents(body: ReadableStream<Uint8Array>, onFirst: () => void): Promise<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first = true;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (first) {
      first = false;
      onFirst();
    }
  }
  return text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
}

describe('recur serve: graceful shutdown on SIGTERM (child process)', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  const children: ChildProcess[] = [];
  before(async () => {
    fixtures = await makeServeFixtures();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('stops taking connections, lets an in-flight stream finish, and exits 0', async () => {
    const config = join(fixtures.dir, 'serve.json');
    await writeFile(config, JSON.stringify({ pipelines: [{ spec: 'lm.json' }], limits: { maxTokens: 5000 }, timeouts: { shutdownGraceMs: 30000 } }));
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
    assert.equal(chunks[chunks.length - 1]!.choices[0]!.finish_reason, 'length');
    assert.equal(await serve.exit, 0);
    assert.match(serve.stderr(), /SIGTERM: finishing in-flight requests/);
    await assert.rejects(fetch(`${serve.url}/healthz`), 'the port is closed');
  });

  it('cancels in-flight work when the grace period ends, and still exits 0', async () => {
    const config = join(fixtures.dir, 'serve-short.json');
    await writeFile(config, JSON.stringify({ pipelines: [{ spec: 'lm.json' }], limits: { maxTokens: 100000 }, timeouts: { shutdownGraceMs: 200 } }));
    const serve = await spawnServe(['--config', config]);
    children.push(serve.child);
    const res = await fetch(`${serve.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: LM, prompt: 'the film', max_tokens: 100000, stream: true }),
    });
    assert.equal(res.status, 200);
    const events = await readEvents(res.body!, () => serve.child.kill('SIGTERM'));
    const last = JSON.parse(events[events.length - 1]!) as { error?: { code: string } };
    assert.equal(last.error?.code, 'RECUR_E_SERVE_SHUTTING_DOWN');
    assert.equal(await serve.exit, 0);
  });
});
