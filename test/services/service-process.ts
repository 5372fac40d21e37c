import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** A service binary run as a child process, its output appended to a log file in its folder. */
export class ServiceProcess {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        resolve(code ?? (signal ? -1 : null));
      }),
    );
  }

  static start(name: string, binary: string, args: readonly string[], logFile: string): ServiceProcess {
    const log = openSync(logFile, 'a');
    try {
      const child = spawn(binary, [...args], { stdio: ['ignore', log, log] });
      return new ServiceProcess(child, name);
    } finally {
      closeSync(log);
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code once the process has exited. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
