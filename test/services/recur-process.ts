import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../core/cli/dist/bin.js', import.meta.url));

/** A `recur` command run as a child process, its stderr kept for assertions. */
export class RecurProcess {
  private text = '';
  private readonly waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  readonly exit: Promise<number | null>;

  constructor(
    readonly args: readonly string[],
    cwd: string,
    readonly child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }),
  ) {
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    const take = (d: Buffer) => {
      this.text += d.toString();
      for (const w of [...this.waiters]) {
        const m = this.text.match(w.pattern);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    child.stderr!.on('data', take);
    child.stdout!.on('data', take);
  }

  /** Everything the process wrote (stdout and stderr). */
  get output(): string {
    return this.text;
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const now = this.text.match(pattern);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      this.waiters.push({ pattern, resolve });
      void this.exit.then((code) => {
        reject(new Error(`recur ${this.args[0]} exited with ${code} before printing ${pattern}:\n${this.text}`));
      });
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}
