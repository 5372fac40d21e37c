import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServeErrors as E } from '../errors.js';

/** Paths that answer without a key: health for load balancers and orchestrators, the playground page. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/']);

/** The playground's stylesheet and code (no pipeline data) are served without a key, like the page. */
const OPEN_PREFIX = '/playground/';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * An onRequest hook that requires `Authorization: Bearer <key>` with one of `keys`, as OpenAI
 * clients send it. Keys are compared as SHA-256 digests in constant time, so neither their length
 * nor their content leaks through timing. CORS preflights (OPTIONS), OPEN_PATHS and the playground's
 * assets pass.
 */
export function apiKeyHook(keys: readonly string[]) {
  const accepted = keys.map(digest);
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?')[0];
    if (request.method === 'OPTIONS' || OPEN_PATHS.has(path) || path.startsWith(OPEN_PREFIX)) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match)
      throw E.UNAUTHORIZED('this server requires an API key: send Authorization: Bearer <key>', {
        expected: 'Authorization: Bearer <key>',
      });
    const given = digest(match[1]);
    let ok = false;
    for (const key of accepted) ok = timingSafeEqual(key, given) || ok;
    if (!ok) throw E.UNAUTHORIZED('the API key is not valid', { expected: 'one of the configured keys' });
  };
}
