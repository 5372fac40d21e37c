import type { FastifyInstance } from 'fastify';
import { ServeErrors as E } from '../errors.js';

/**
 * Deepest nesting of arrays and objects a request body may have. The deepest real request, a chat
 * message with content parts, nests 5 levels; a body nested thousands deep (well under the size
 * limit) would overflow the stack of whatever reads it next (the structured clone to a worker).
 */
export const MAX_BODY_DEPTH = 64;

/**
 * The offset at which `text` nests deeper than `max`, or -1. One pass without recursion that counts
 * brackets outside strings; it does not check the grammar (JSON.parse does that next).
 */
export function nestingTooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

/**
 * Replaces Fastify's JSON body parser with one that bounds the nesting depth before anything parses
 * the body (400 RECUR_E_SERVE_BODY_TOO_DEEP), then parses it as Fastify does (prototype poisoning
 * refused).
 */
export function boundedJsonBodies(app: FastifyInstance, maxDepth = MAX_BODY_DEPTH): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const at = nestingTooDeepAt(text, maxDepth);
    if (at >= 0) {
      done(
        E.BODY_TOO_DEEP(`the request body nests arrays or objects more than ${maxDepth} levels deep (at byte ${at})`, {
          limit: maxDepth,
          expected: `at most ${maxDepth} levels of nesting`,
        }),
        undefined,
      );
      return;
    }
    // Callback style: the parser reports through `done`, so its return value carries nothing.
    void parse(request, text, done);
  });
}
