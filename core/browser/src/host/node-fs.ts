/**
 * The browser's `node:fs` and `node:fs/promises`, for runtime modules that still import them (the
 * pipeline's own files are read through the `FetchFileHost` given to `load`): the few read-only
 * calls they make (open and read a regular file, realpath, stat), answered by the `FetchFileHost`
 * of the pipeline being loaded whose spec base URL holds the URL. A URL under no loading spec's base
 * is never requested: it is missing (ENOENT). A 404 is a missing file too, so the runtime's own
 * checks give the same coded errors as on Node. Writing is not possible in the browser and throws.
 */
import type { FetchFileHost, Fetched } from './fetch-host.js';

const hosts: { base: string; host: FetchFileHost }[] = [];

/** Serves URLs under `base` (a spec's folder URL, ending in `/`) from `host` while its pipeline loads. */
export function attachHost(base: string, host: FetchFileHost): () => void {
  const entry = { base, host };
  hosts.push(entry);
  return () => {
    hosts.splice(hosts.indexOf(entry), 1);
  };
}

function hostFor(url: string): FetchFileHost | undefined {
  let best: { base: string; host: FetchFileHost } | undefined;
  for (const entry of hosts)
    if (url.startsWith(entry.base) && entry.base.length > (best?.base.length ?? -1)) best = entry;
  return best?.host;
}

function fetchedNow(url: string): Fetched | undefined {
  return hostFor(url)?.fetchedNow(url);
}

class BrowserStats {
  readonly ino = 0;
  constructor(
    readonly size: number,
    readonly mtimeMs: number,
  ) {}
  isFile(): boolean {
    return true;
  }
  isDirectory(): boolean {
    return false;
  }
  isFIFO(): boolean {
    return false;
  }
  isCharacterDevice(): boolean {
    return false;
  }
  isBlockDevice(): boolean {
    return false;
  }
  isSocket(): boolean {
    return false;
  }
  isSymbolicLink(): boolean {
    return false;
  }
}

function enoent(url: string, http: number): Error {
  return Object.assign(new Error(`${url}: no such file (HTTP ${http})`), { code: 'ENOENT' });
}

function unsupported(what: string): never {
  throw Object.assign(new Error(`${what} is not available in the browser`), { code: 'ENOTSUP' });
}

async function body(url: string): Promise<Extract<Fetched, { status: 'ok' }>> {
  const host = hostFor(url);
  if (host === undefined) throw Object.assign(new Error(`${url}: outside the spec's base URL`), { code: 'ENOENT' });
  const fetched = await host.fetch(url);
  if (fetched.status === 'missing') throw enoent(url, fetched.http);
  return fetched;
}

/** A read-only handle over a fetched body, shaped like Node's FileHandle for the calls Recur makes. */
class FetchedHandle {
  constructor(private readonly fetched: Extract<Fetched, { status: 'ok' }>) {}

  stat(): Promise<BrowserStats> {
    return Promise.resolve(new BrowserStats(this.fetched.bytes.byteLength, this.fetched.modified));
  }

  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number; buffer: Uint8Array }> {
    return Promise.resolve({ bytesRead: copyInto(this.fetched.bytes, buffer, offset, length, position), buffer });
  }

  readFile(): Promise<Uint8Array> {
    return Promise.resolve(this.fetched.bytes);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function copyInto(from: Uint8Array, to: Uint8Array, offset: number, length: number, position: number): number {
  const n = Math.max(0, Math.min(length, from.byteLength - position));
  to.set(from.subarray(position, position + n), offset);
  return n;
}

export async function open(url: string): Promise<FetchedHandle> {
  return new FetchedHandle(await body(url));
}

export async function readFile(url: string): Promise<Uint8Array> {
  return (await body(url)).bytes;
}

export async function stat(url: string): Promise<BrowserStats> {
  const fetched = await body(url);
  return new BrowserStats(fetched.bytes.byteLength, fetched.modified);
}

export const lstat = stat;

/** A URL is its own real path: HTTP has no symbolic links. */
export async function realpath(url: string): Promise<string> {
  await body(url);
  return url;
}

export function readlink(url: string): Promise<string> {
  return Promise.reject(Object.assign(new Error(`${url} is not a symbolic link`), { code: 'EINVAL' }));
}

// Synchronous reads serve the bodies already fetched (a weights file's tensors after its header).
const descriptors: Uint8Array[] = [];

export function openSync(url: string): number {
  const fetched = fetchedNow(url);
  if (fetched?.status !== 'ok') unsupported(`reading ${url} synchronously before it was fetched`);
  descriptors.push(fetched.bytes);
  return descriptors.length - 1;
}

export function readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
  return copyInto(descriptors[fd], buffer, offset, length, position);
}

export function closeSync(fd: number): void {
  descriptors[fd] = new Uint8Array(0);
}

export function existsSync(url: string): boolean {
  return fetchedNow(url)?.status === 'ok';
}

export const constants = { O_RDONLY: 0, O_NONBLOCK: 0, COPYFILE_FICLONE: 0 };

export function mkdtemp(): never {
  return unsupported('a temporary folder');
}
export const copyFile = mkdtemp;
export const rm = mkdtemp;
export const rename = mkdtemp;
export const unlink = mkdtemp;
export const readdir = mkdtemp;

export const promises = {
  open,
  readFile,
  stat,
  lstat,
  realpath,
  readlink,
  mkdtemp,
  copyFile,
  rm,
  rename,
  unlink,
  readdir,
};
export default { ...promises, promises, openSync, readSync, closeSync, existsSync, constants };
