/**
 * The browser's file host: every file a pipeline reads (spec, tokenizers, weights) is fetched by its
 * URL, once per load (bodies are kept until `forget`), with the headers the page gave for the spec's
 * base URL (an API key, say). Missing files (404, 410) look like a missing file does on Node, so the
 * runtime reports them with the same codes (RECUR_E_PATH_NOT_FOUND, RECUR_E_WEIGHTS_MISSING) naming
 * the URL.
 */

/** What a fetched URL holds; `missing` for 404/410. */
export type Fetched =
  | { readonly status: 'ok'; readonly bytes: Uint8Array; readonly modified: number }
  | { readonly status: 'missing'; readonly http: number };

const bodies = new Map<string, Promise<Fetched>>();
const settled = new Map<string, Fetched>();
const headersByBase = new Map<string, Readonly<Record<string, string>>>();

/** Sends `headers` with every request for a URL under `base` (the spec's folder URL). */
export function useHeaders(base: string, headers: Readonly<Record<string, string>>): void {
  headersByBase.set(base, headers);
}

/** Drops the bodies fetched for URLs under `base`, and its headers, once its pipeline has loaded. */
export function forget(base: string): void {
  for (const url of [...bodies.keys()]) {
    if (url.startsWith(base)) {
      bodies.delete(url);
      settled.delete(url);
    }
  }
  headersByBase.delete(base);
}

function headersFor(url: string): Record<string, string> {
  let best = '';
  for (const base of headersByBase.keys()) if (url.startsWith(base) && base.length > best.length) best = base;
  return best === '' ? {} : { ...headersByBase.get(best) };
}

/** The body of `url`, fetched once; rejects with the HTTP status or the network error otherwise. */
export function fetchOnce(url: string): Promise<Fetched> {
  let pending = bodies.get(url);
  if (pending === undefined) {
    pending = fetchBody(url).then((fetched) => {
      settled.set(url, fetched);
      return fetched;
    });
    bodies.set(url, pending);
    // A failed request is not cached: the next read asks again.
    pending.catch(() => bodies.delete(url));
  }
  return pending;
}

/** The body of `url` if it has already arrived (for the runtime's synchronous reads of weights). */
export function fetchedNow(url: string): Fetched | undefined {
  return settled.get(url);
}

async function fetchBody(url: string): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { headers: headersFor(url), credentials: 'same-origin' });
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
