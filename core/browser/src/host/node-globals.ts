/**
 * Node globals the runtime uses, injected into the bundle (a page has neither): the few `process`
 * fields read at load time (the environment for log levels and ONNX Runtime's telemetry switch, the
 * working folder for specs given as objects: the page's own URL folder), and `setImmediate`.
 */
const here = (globalThis as { location?: { href: string } }).location?.href ?? '/';

export const process = {
  env: {} as Record<string, string | undefined>,
  platform: 'browser',
  arch: 'wasm',
  cwd: (): string => here.split(/[?#]/)[0].replace(/[^/]*$/, ''),
  stderr: {
    write(text: string): boolean {
      console.warn(text.trimEnd());
      return true;
    },
  },
};

/**
 * Node's `setImmediate`, which the runtime uses to let the calls of one turn join a batch before it
 * runs: a macrotask through a MessageChannel (browsers clamp chained `setTimeout(0)`s to 4 ms, which
 * would slow generation's token loop).
 */
const channel = new MessageChannel();
const queued = new Map<number, () => void>();
let nextId = 0;
(channel.port1 as unknown as { onmessage: (event: { data: number }) => void }).onmessage = (event) => {
  const callback = queued.get(event.data);
  queued.delete(event.data);
  callback?.();
};

export function setImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]): number {
  const id = nextId++;
  queued.set(id, () => {
    callback(...args);
  });
  channel.port2.postMessage(id);
  return id;
}

export function clearImmediate(id: number): void {
  queued.delete(id);
}
