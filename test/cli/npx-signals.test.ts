import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { followLauncher } from '@recur/cli';

const DEMO = resolve('pipelines/demo.json');

/** Resolves with the first match of `pattern` in the child's stderr (rejects if it exits first). */
function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((done, fail) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) done(m);
    });
    child.once('exit', (code) => {
      fail(new Error(`exited (${code}) before ${pattern}: ${text}`));
    });
  });
}

/** Polls `url` until the connection is refused (the server is gone); false if it still answers at the deadline. */
async function gone(url: string, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try {
      await fetch(`${url}/healthz`);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('signals through npx: the launcher passes SIGTERM on', function () {
  this.timeout(60000);
  let child: ChildProcess | undefined;
  after(() => {
    // The child leads its own process group: end whatever is left of it (npx, sh, node).
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('a server started with `npx recur serve` shuts down gracefully when npx gets SIGTERM', async () => {
    child = spawn('npx', ['recur', 'serve', DEMO, '--port', '0', '--log-level', 'error'], {
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const [, url] = await waitForStderr(child, /listening on (http:\/\/\S+)/);
    const shutdown = waitForStderr(child, /SIGTERM: finishing in-flight requests/);
    process.kill(child.pid!, 'SIGTERM'); // npx only, as a process manager would
    await shutdown.catch(() => undefined);
    assert.ok(await gone(url, 30000), `the server at ${url} still answers after npx got SIGTERM`);
  });

  it('watches nothing when npm did not start the command (signals reach it directly)', () => {
    assert.equal(followLauncher({}), undefined);
    const stop = followLauncher({ npm_command: 'exec' });
    assert.equal(typeof stop, 'function');
    stop!();
  });
});
