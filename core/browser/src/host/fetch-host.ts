import { RuntimeErrors as E, type FileHost, type FileReadOptions, type FileStatus } from '@recur/runtime';
import { dirname, isAbsolute, relative, resolve } from './node-path.js';

/** What a fetched URL holds; `missing` for 404 and 410. */
export type Fetched =
  | { readonly status: 'ok'; readonly bytes: Uint8Array; readonly modified: number }
  | { readonly status: 'missing'; readonly http: number };

/**
 * The browser's file host: a pipeline's files (spec, tokenizers, weights) are fetched by absolute URL,
 * relative references resolve against the spec's URL, and containment compares URL paths by segment
 * (no reference may leave the spec's base URL; another origin is always outside it). Each URL is
 * fetched once per host (bodies are kept until `forget`), with the page's headers. A 404 or 410 is a
 * missing file: `read` throws the caller's `missing` error naming the URL, so the runtime reports
 * RECUR_E_PATH_NOT_FOUND or RECUR_E_WEIGHTS_MISSING as it does on Node. HTTP has no links, folders
 * or FIFOs: every URL that answers is a regular file.
 */
export class FetchFileHost implements FileHost {
  private readonly bodies = new Map<string, Promise<Fetched>>();
  private readonly settled = new Map<string, Fetched>();

  constructor(
    /** Sent with every request (an `Authorization` header, say). */
    private readonly headers: Readonly<Record<string, string>> = {},
    /** The page's URL: what a relative spec URL resolves against. */
    private readonly page: string = (globalThis as { location?: { href: string } }).location?.href ?? '/',
    /**
     * The spec's base URL (ending in `/`): URLs outside it are never requested (they are refused by
     * containment anyway), so the page sends no request, and none of its headers, elsewhere.
     */
    private readonly root?: string,
  ) {}

  base(): string {
    return dirname(`${this.page.replace(/[?#].*$/, '')}x`);
  }

  dirname(location: string): string {
    return dirname(location);
  }

  resolve(folder: string, ref: string): string {
    return resolve(folder, ref);
  }

  async locate(location: string): Promise<FileStatus> {
    try {
      return { location, exists: (await this.fetch(location)).status === 'ok' };
    } catch {
      // Unreachable (network, HTTP 5xx): `read` reports why.
      return { location, exists: false };
    }
  }

  contains(root: string, location: string): boolean {
    const rel = relative(root, location);
    return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
  }

  async read(location: string, what: string, options: FileReadOptions = {}): Promise<Uint8Array> {
    let fetched: Fetched;
    try {
      fetched = await this.fetch(location);
    } catch (err) {
      throw E.IO(`cannot read ${what} ${location}: ${(err as Error).message}`, { file: location }, { cause: err });
    }
    if (fetched.status === 'missing') {
      throw (options.missing ?? E.IO)(`cannot read ${what} ${location}: no such file (HTTP ${fetched.http})`, {
        file: location,
        expected: 'an existing file',
      });
    }
    const start = options.offset ?? 0;
    const end = options.length === undefined ? undefined : start + options.length;
    return fetched.bytes.subarray(start, end);
  }

  /** The body of `url`, fetched once; rejects with the HTTP status or the network error otherwise. */
  fetch(url: string): Promise<Fetched> {
    if (this.root !== undefined && !url.startsWith(this.root)) return Promise.resolve({ status: 'missing', http: 404 });
    let pending = this.bodies.get(url);
    if (pending === undefined) {
      pending = this.fetchBody(url).then((fetched) => {
        this.settled.set(url, fetched);
        return fetched;
      });
      this.bodies.set(url, pending);
      // A failed request is not kept: the next read asks again.
      pending.catch(() => this.bodies.delete(url));
    }
    return pending;
  }

  /** The body of `url` if it has already arrived (for the runtime's synchronous reads of weights). */
  fetchedNow(url: string): Fetched | undefined {
    return this.settled.get(url);
  }

  /** Drops every body fetched: once a pipeline has loaded, its sessions hold the weights. */
  forget(): void {
    this.bodies.clear();
    this.settled.clear();
  }

  private async fetchBody(url: string): Promise<Fetched> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { ...this.headers }, credentials: 'same-origin' });
    } catch (err) {
      throw new Error(`fetching ${url} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return { status: 'missing', http: response.status };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`fetching ${url} failed: HTTP ${response.status} ${response.statusText}`.trim());
    }
    const modified = Date.parse(response.headers.get('last-modified') ?? '');
    return {
      status: 'ok',
      bytes: new Uint8Array(await response.arrayBuffer()),
      modified: Number.isNaN(modified) ? 0 : modified,
    };
  }
}
