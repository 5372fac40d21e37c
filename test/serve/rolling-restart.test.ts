import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../services/free-port.js';
import { NginxService } from '../services/nginx-service.js';
import { readEvents, spawnServe, type ServeChild } from './serve-child.js';
import { CLASSIFIER, LM, makeServeFixtures } from './serve-fixtures.js';

/** The message of an error's cause (fetch puts the socket error there), or ''. */
function causeText(cause: unknown): string {
  if (cause === undefined) return '';
  return cause instanceof Error ? cause.message : JSON.stringify(cause);
}

/** What became of one request sent through the balancer. */
type Outcome =
  | { kind: 'plain'; ok: boolean; detail: string }
  | { kind: 'stream'; end: 'done' | 'error-event' | 'cut'; detail: string };

/** One request of the mixed stream: classification, generation, or a streamed completion. */
async function oneRequest(base: string, i: number): Promise<Outcome> {
  const kind = i % 3;
  if (kind < 2) {
    const [path, body] =
      kind === 0
        ? [`/v1/pipelines/${CLASSIFIER}`, { inputs: [`a film number ${i}`, 'the plot'] }]
        : ['/v1/completions', { model: LM, prompt: 'the film', max_tokens: 8, seed: i }];
    try {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { kind: 'plain', ok: res.status === 200, detail: `${path} ${res.status} ${text.slice(0, 200)}` };
    } catch (err) {
      return {
        kind: 'plain',
        ok: false,
        detail: `${path} ${(err as Error).message} ${causeText((err as { cause?: unknown }).cause)}`,
      };
    }
  }
  try {
    const res = await fetch(`${base}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: LM, prompt: 'the film', max_tokens: 300, stream: true, seed: i }),
    });
    if (res.status !== 200) return { kind: 'stream', end: 'cut', detail: `status ${res.status} ${await res.text()}` };
    const events = await readEvents(res.body!);
    const last = events[events.length - 1];
    if (last === '[DONE]') return { kind: 'stream', end: 'done', detail: '' };
    const error = last ? (JSON.parse(last) as { error?: { code?: string } }).error : undefined;
    // The documented end of a stream that a shutdown cancelled.
    if (error?.code === 'RECUR_E_SERVE_SHUTTING_DOWN')
      return { kind: 'stream', end: 'error-event', detail: error.code };
    return { kind: 'stream', end: 'cut', detail: `last event: ${last}` };
  } catch (err) {
    return { kind: 'stream', end: 'cut', detail: (err as Error).message };
  }
}

describe('recur serve: rolling restart of three replicas behind a real nginx', function () {
  this.timeout(150000);
  const replicas: ServeChild[] = [];
  let nginx: NginxService | undefined;

  after(async () => {
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await nginx?.stop();
  });

  it('loses no non-streaming request; streams finish or end with the documented error event', async () => {
    const fixtures = await makeServeFixtures();
    const config = join(fixtures.dir, 'replica.json');
    await writeFile(
      config,
      JSON.stringify({
        pipelines: [{ spec: 'classifier.json' }, { spec: 'lm.json' }],
        limits: { maxTokens: 1000 },
        timeouts: { drainDelayMs: 1500, shutdownGraceMs: 10000 },
      }),
    );
    const ports = [await freePort(), await freePort(), await freePort()];
    replicas.push(...(await Promise.all(ports.map((port) => spawnServe(['--config', config], port)))));
    nginx = await NginxService.start(ports);
    const base = nginx.url;

    // A bounded stream of requests from four clients, running until the restarts are over.
    const outcomes: Outcome[] = [];
    let stop = false;
    let sent = 0;
    const client = async () => {
      while (!stop && sent < 5000) outcomes.push(await oneRequest(base, sent++));
    };
    const clients = Array.from({ length: 4 }, client);

    for (const [i, port] of ports.entries()) {
      await new Promise((r) => setTimeout(r, 500));
      const old = replicas[i];
      old.child.kill('SIGTERM');
      assert.equal(await old.exit, 0, `replica ${i} exits 0 after its drain:\n${old.stderr()}`);
      replicas[i] = await spawnServe(['--config', config], port);
      assert.equal((await fetch(`${replicas[i].url}/readyz`)).status, 200);
    }
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(clients);

    const plain = outcomes.filter((o): o is Extract<Outcome, { kind: 'plain' }> => o.kind === 'plain');
    const streams = outcomes.filter((o): o is Extract<Outcome, { kind: 'stream' }> => o.kind === 'stream');
    const failed = plain.filter((o) => !o.ok);
    const cut = streams.filter((o) => o.end === 'cut');
    assert.ok(
      plain.length >= 20 && streams.length >= 5,
      `enough traffic went through (${plain.length} plain, ${streams.length} streams)`,
    );
    assert.deepEqual(
      failed.map((o) => o.detail),
      [],
      'no failed non-streaming request',
    );
    assert.deepEqual(
      cut.map((o) => o.detail),
      [],
      'no stream was cut',
    );
  });
});
