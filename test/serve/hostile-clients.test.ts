import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { main } from '@recur/cli';
import { RecurError } from '@recur/runtime';
import type { RecurServer } from '@recur/serve';
import { CLASSIFIER, LM, makeServeFixtures, postJson, startTestServer, type ServeFixtures } from './serve-fixtures.js';

/** What a raw client got back: the status line's code, the parsed JSON body, and whether the server closed. */
interface RawAnswer {
  readonly status: number;
  readonly body: { error?: { code: string } } | undefined;
}

/**
 * A real slow client on loopback: writes `head` at once, then `drip` one character every `everyMs`,
 * and resolves with the answer when the server closes the connection (or the drip ends and the
 * server answers normally).
 */
function slowClient(port: number, head: string, drip: string, everyMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let received = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < drip.length && !socket.destroyed) socket.write(drip[sent++]);
    }, everyMs);
    const finish = () => {
      clearInterval(timer);
      socket.destroy();
      const [statusLine = '', ...rest] = received.split('\r\n');
      const text = rest.join('\r\n').split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let body: RawAnswer['body'];
      try {
        body = JSON.parse(text) as RawAnswer['body'];
      } catch {
        body = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), body });
    };
    socket.on('data', (d) => {
      received += d.toString();
      // A complete answer with a body ends the exchange even on a kept-alive connection.
      if (/\r\n\r\n[\s\S]*[}\]]$/.test(received)) finish();
    });
    socket.on('close', finish);
    socket.on('error', (err) => {
      if (received) finish();
      else reject(err);
    });
  });
}

describe('recur serve: hostile clients (slow senders, deep bodies) and listen errors', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  let server: RecurServer;
  let url: string;
  let port: number;
  const RECEIVE_MS = 1000;

  before(async () => {
    fixtures = await makeServeFixtures();
    ({ server, url } = await startTestServer({
      pipelines: [{ spec: fixtures.classifierSpec }, { spec: fixtures.lmSpec }],
      timeouts: { receiveMs: RECEIVE_MS },
      logLevel: 'warn',
    }));
    port = Number(new URL(url).port);
  });
  after(async () => {
    await server?.close();
  });

  const body = JSON.stringify({ inputs: 'a lovely film, with more words so that it takes a while to send' });
  const head = `POST /v1/pipelines/${CLASSIFIER} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

  it('answers 408 RECUR_E_SERVE_RECEIVE_TIMEOUT to headers sent one byte at a time past timeouts.receiveMs', async () => {
    // ~150 bytes of headers at one byte per 100 ms: 15 s of sending against a 1 s limit.
    const answer = await slowClient(port, '', head + body, 100);
    assert.equal(answer.status, 408);
    assert.equal(answer.body?.error?.code, 'RECUR_E_SERVE_RECEIVE_TIMEOUT');
  });

  it('answers 408 to a body sent one byte at a time past timeouts.receiveMs', async () => {
    const answer = await slowClient(port, head, body, 100);
    assert.equal(answer.status, 408);
    assert.equal(answer.body?.error?.code, 'RECUR_E_SERVE_RECEIVE_TIMEOUT');
  });

  it('still answers a client that sends at a normal pace, on the same server', async () => {
    const answer = await slowClient(port, head + body, '', 100);
    assert.equal(answer.status, 200);
    const res = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: 'fine' });
    assert.equal(res.status, 200);
  });

  it('refuses a body nested 5,000 deep with 400 RECUR_E_SERVE_BODY_TOO_DEEP on every route, before parsing it', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const [route, text] of [
      [`/v1/pipelines/${CLASSIFIER}`, `{"inputs": ${deep}}`],
      [`/v1/pipelines/${LM}`, `{"inputs": "x", "options": {"stop": ${deep}}}`],
      ['/v1/chat/completions', `{"model": "${LM}", "messages": ${deep}}`],
      ['/v1/completions', `{"model": "${LM}", "prompt": ${deep}}`],
    ] as const) {
      const res = await postJson(`${url}${route}`, text);
      assert.deepEqual([res.status, res.body.error?.code], [400, 'RECUR_E_SERVE_BODY_TOO_DEEP'], route);
    }
    const charset = await fetch(`${url}/v1/pipelines/${CLASSIFIER}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: `{"inputs": ${deep}}`,
    });
    assert.deepEqual(
      [charset.status, ((await charset.json()) as { error: { code: string } }).error.code],
      [400, 'RECUR_E_SERVE_BODY_TOO_DEEP'],
    );
    // A deep object (not only arrays), and an unclosed one, are bounded the same way.
    const objects = await postJson(
      `${url}/v1/pipelines/${CLASSIFIER}`,
      `{"inputs": "x", "options": ${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`,
    );
    assert.equal(objects.body.error?.code, 'RECUR_E_SERVE_BODY_TOO_DEEP');
    const unclosed = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, `{"inputs": ${'['.repeat(100)}`);
    assert.equal(unclosed.body.error?.code, 'RECUR_E_SERVE_BODY_TOO_DEEP');
  });

  it('lets a body under the depth limit through to the usual checks, and does not count brackets inside strings', async () => {
    const nested = await postJson(
      `${url}/v1/pipelines/${CLASSIFIER}`,
      `{"inputs": ${'['.repeat(20)}"x"${']'.repeat(20)}}`,
    );
    assert.deepEqual([nested.status, nested.body.error?.code], [400, 'RECUR_E_INPUT_INVALID']);
    const brackets = await postJson(`${url}/v1/pipelines/${CLASSIFIER}`, { inputs: `a "${'['.repeat(200)} film` });
    assert.equal(brackets.status, 200);
  });

  it('refuses a port in use with RECUR_E_SERVE_PORT_IN_USE naming the port (library), exit 1 from recur serve', async () => {
    await assert.rejects(startTestServer({ pipelines: [{ spec: fixtures.classifierSpec }], port }), (e: unknown) => {
      assert.ok(RecurError.is(e), String(e));
      assert.equal(e.code, 'RECUR_E_SERVE_PORT_IN_USE');
      assert.match(e.message, new RegExp(`port ${port} .*already in use.*--port`));
      return true;
    });
    const err: string[] = [];
    const code = await main(['serve', fixtures.classifierSpec, '--port', String(port), '--log-level', 'error'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      cwd: process.cwd(),
    });
    assert.equal(code, 1, err.join(''));
    assert.match(err.join(''), /RECUR_E_SERVE_PORT_IN_USE/);
    assert.doesNotMatch(err.join(''), /bug in Recur/);
  });
});
