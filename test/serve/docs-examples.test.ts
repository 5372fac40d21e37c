import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { RecurServer } from '@recur/serve';
import { makeServeFixtures, startTestServer } from './serve-fixtures.js';

const run = promisify(execFile);
const GUIDE = 'docs/guides/chatbot-backend.md';
const DOCS_URL = 'http://127.0.0.1:8080';

/** The `curl` commands of the guide's ```sh blocks, continuation lines joined. */
async function curlExamples(): Promise<string[]> {
  const text = await readFile(GUIDE, 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ''));
  return blocks.flatMap((b) => b.split('\n')).filter((line) => line.startsWith('curl '));
}

describe('docs/guides/chatbot-backend.md: the curl examples work as written', function () {
  this.timeout(60000);
  let server: RecurServer;

  before(async () => {
    // The guide names the shipped pipelines; the test serves its small ones under those names.
    const fixtures = await makeServeFixtures();
    ({ server } = await startTestServer({
      pipelines: [
        { spec: fixtures.classifierSpec, name: 'sentiment-en' },
        { spec: fixtures.lmSpec, name: 'shakespeare' },
      ],
      logLevel: 'warn',
    }));
  });
  after(async () => {
    await server?.close();
  });

  it('has curl examples for the pipeline route, chat (plain and streaming) and completions', async () => {
    const examples = await curlExamples();
    assert.equal(examples.length, 5);
    assert.ok(examples.every((e) => e.includes(DOCS_URL)));
  });

  it('runs each example against a server, which answers without an error', async () => {
    for (const command of await curlExamples()) {
      const { stdout } = await run('sh', ['-c', command.replace(DOCS_URL, server.url)], { timeout: 30_000 });
      if (command.includes('"stream": true')) {
        const events = stdout.split('\n\n').filter((e) => e.length > 0);
        assert.equal(events[events.length - 1], 'data: [DONE]', command);
        assert.ok(!stdout.includes('"error"'), stdout);
      } else {
        const body = JSON.parse(stdout) as Record<string, unknown>;
        assert.equal(body['error'], undefined, `${command}\n${stdout}`);
      }
    }
  });
});
