/**
 * npm's launchers (`npx recur`, `npm exec`, `npm run`) start a command through `sh -c`. When npm gets
 * SIGTERM it passes the signal to that shell, which dies without passing it on, and the command is
 * left running, orphaned: a `recur serve` kept answering after its `npx` was stopped. A command that
 * npm started therefore watches the process that started it, and when that process is gone it sends
 * itself SIGTERM, so that whatever handles SIGTERM (the server's graceful shutdown, the trainer's
 * checkpoint) runs as if the signal had come through. Started any other way (the installed `recur`,
 * `node .../bin.js`, a container's entry point), signals reach the command directly and nothing is
 * watched: a `nohup recur serve &` outlives its shell as the user asked.
 *
 * @returns a function that stops watching, or undefined when the command was not started by npm.
 */
export function followLauncher(env: NodeJS.ProcessEnv = process.env, everyMs = 500): (() => void) | undefined {
  if (env['npm_command'] === undefined && env['npm_lifecycle_event'] === undefined) return undefined;
  const launcher = process.ppid;
  if (launcher <= 1) return undefined;
  const timer = setInterval(() => {
    if (isAlive(launcher)) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, everyMs);
  // Watching must never be what keeps a finished command alive.
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
