import { rmSync } from 'node:fs';

/** Temporary files to remove if the process is interrupted before it renames or removes them. */
const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const path of pending) rmSync(path, { force: true });
  pending.clear();
  uninstall();
  // Nobody else handles the signal (as `recur train` and `recur serve` do): end as the signal would.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Removes `path` (a `*.partial` or `*.tmp` file being written) if SIGINT or SIGTERM arrives before
 * the returned function is called, so an interrupted command leaves no temporary files behind; the
 * process then ends with the signal's usual status. Call the returned function once the file has
 * been renamed or removed. Handlers are installed only while some file is pending.
 */
export function removeOnSignal(path: string): () => void {
  if (pending.size === 0) install();
  pending.add(path);
  return () => {
    if (pending.delete(path) && pending.size === 0) uninstall();
  };
}
