import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Content types of the files the playground and its routes serve; anything else is bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Streams a file with an ETag made of its size and modification time, and answers 304 when the
 * client already holds that version. `cacheControl` says how long it may keep it without asking.
 * Returns false, having sent nothing, when the file is gone (the caller answers 404).
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  cacheControl: string,
): Promise<boolean> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) return false;
  const etag = `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`;
  void reply.header('etag', etag).header('cache-control', cacheControl).header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === etag) {
    void reply.code(304).send();
    return true;
  }
  void reply.header('content-type', contentTypeOf(path)).header('content-length', s.size);
  void reply.send(createReadStream(path));
  return true;
}
