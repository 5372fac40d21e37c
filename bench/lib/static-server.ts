import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** What a static server serves: folders mounted at URL prefixes, and files held in memory. */
export interface StaticSite {
  /** URL prefix (`/pipelines/`) -> folder on disk. */
  readonly mounts: Readonly<Record<string, string>>;
  /** URL path -> body (a page, a generated spec). */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * Send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, which
   * make the page cross-origin isolated (what onnxruntime-web's WASM threads need).
   */
  readonly isolated?: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * A small static file server on a loopback port, for running Recur's browser bundle in a real
 * browser (tests and the browser bench): GET and HEAD, no folder listings, 404 for anything else.
 */
export async function startStaticServer(site: StaticSite): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (site.isolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    res.setHeader('Cache-Control', 'no-store');
    const inline = site.files?.[path];
    if (inline !== undefined) {
      res.writeHead(200, {
        'Content-Type': TYPES[path.endsWith('/') ? '.html' : extname(path)] ?? 'application/octet-stream',
      });
      res.end(req.method === 'HEAD' ? undefined : inline);
      return;
    }
    void serveFile(site, path, req.method === 'HEAD', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function serveFile(site: StaticSite, path: string, head: boolean, res: ServerResponse): Promise<void> {
  for (const [prefix, folder] of Object.entries(site.mounts)) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(folder, path.slice(prefix.length)));
    if (!file.startsWith(folder.endsWith(sep) ? folder : folder + sep)) break;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) break;
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (head) res.end();
    else createReadStream(file).pipe(res);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}
