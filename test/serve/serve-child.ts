import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../core/cli/dist/bin.js', import.meta.url));

/** A `recur serve` child process, resolved once it listens. */
export interface ServeChild {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  readonly exit: Promise<number | null>;
}

/** Starts `recur serve ARGS --log-level warn` (add `--port N`; 0 by default); resolves with its URL once it listens. */
export function spawnServe(args: readonly string[], port = 0): Promise<ServeChild> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', String(port), '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ child, url: m[1], stderr: () => stderr, exit });
    });
    void exit.then((code) => {
      reject(new Error(`recur serve exited with ${code} before listening:\n${stderr}`));
    });
  });
}

/** Reads an SSE response to its end; returns the data payloads. `onFirst` runs at the first bytes. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onFirst: () => void = () => undefined,
): Promise<string[]> {
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
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
}
