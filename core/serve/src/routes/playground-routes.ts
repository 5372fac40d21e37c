import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServeErrors as E } from '../errors.js';
import { findInPageRuntime, PAGE_DIR, PAGE_FILES } from '../playground/playground-assets.js';
import { sendFile } from '../playground/send-file.js';

/**
 * Scripts only from this server (no inline script; WebAssembly may compile, and `eval` is allowed
 * because the in-page runtime's schema validator, ajv, compiles the spec's JSON Schema into functions),
 * styles only from its stylesheet, requests only to itself, never framed. The page is
 * cross-origin isolated (COOP + COEP) so that onnxruntime-web may use WASM threads.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** Page assets may change with an upgrade: the browser asks again each time, and gets 304 while unchanged. */
const PAGE_CACHE = 'no-cache';

/**
 * The playground: `GET /` (the page), `GET /playground/<file>` (its stylesheet and modules) and,
 * when `@recur/browser` and `onnxruntime-web` are installed, `GET /playground/recur-browser.js` and
 * `GET /playground/ort/<file>` for the "Run in this page" switch. None of them needs an API key:
 * they hold code, never a pipeline's data.
 */
export function playgroundRoutes(app: FastifyInstance): void {
  const inPage = findInPageRuntime();
  const send = async (request: FastifyRequest, reply: FastifyReply, path: string | undefined) => {
    void reply.headers(PAGE_HEADERS);
    if (path !== undefined && (await sendFile(request, reply, path, PAGE_CACHE))) return reply;
    throw E.ROUTE_NOT_FOUND(`no route ${request.method} ${request.url.split('?')[0]}`, {});
  };

  app.get('/', (request, reply) => send(request, reply, join(PAGE_DIR, 'index.html')));

  app.get<{ Params: { file: string } }>('/playground/:file', (request, reply) => {
    const { file } = request.params;
    if (file === 'recur-browser.js') return send(request, reply, inPage?.bundle);
    return send(request, reply, PAGE_FILES.has(file) ? join(PAGE_DIR, file) : undefined);
  });

  app.get<{ Params: { file: string } }>('/playground/ort/:file', (request, reply) =>
    send(request, reply, inPage?.ortFiles.get(request.params.file)),
  );
}
