import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RecurError } from '@recur/runtime';
import { ServeErrors as E } from '../errors.js';
import { toHttpError } from './http-errors.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Answers on the bare socket (no route has the request) in the server's error shape, then closes it. */
function answerAndClose(socket: Socket, error: RecurError, status?: number): void {
  const answer = toHttpError(error);
  const code = status ?? answer.status;
  const text = JSON.stringify(answer.body);
  socket.end(
    `HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
  // A client that stops reading must not keep the socket open either.
  setTimeout(() => socket.destroy(), 1000).unref();
}

function receiveTimeout(receiveMs: number, what: string): RecurError {
  return E.RECEIVE_TIMEOUT(`the request's ${what} did not arrive within ${receiveMs} ms (timeouts.receiveMs)`, {
    limit: receiveMs,
  });
}

/**
 * What Node's HTTP parser refuses before a request reaches a route, answered in the server's coded
 * shape: headers not received within `timeouts.receiveMs` get 408 RECUR_E_SERVE_RECEIVE_TIMEOUT,
 * malformed HTTP 400 RECUR_E_SERVE_BAD_HTTP (431 for oversized headers). A socket already gone is
 * left alone.
 */
export function clientErrorHandler(receiveMs: number) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      answerAndClose(socket, receiveTimeout(receiveMs, 'headers'));
      return;
    }
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    answerAndClose(
      socket,
      E.BAD_HTTP(
        overflow ? 'the request headers are too large' : `the request is not valid HTTP (${err.code ?? err.message})`,
        {},
      ),
      overflow ? 431 : 400,
    );
  };
}

/**
 * Bounds the time a request's body may take to arrive: `timeouts.receiveMs` from the end of its
 * headers (Node bounds the headers themselves, see `clientErrorHandler`). Node's own request timeout
 * does not reach a body that a route is already reading, so a client sending a byte now and then
 * kept its connection for as long as it liked; past the deadline it gets 408 and the connection closes.
 */
export function bodyReceiveDeadline(app: FastifyInstance, receiveMs: number): void {
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    if (raw.complete) {
      done();
      return;
    }
    const timer = setTimeout(() => {
      if (raw.complete || raw.socket.destroyed) return;
      // Answered already (a refusal that did not wait for the body): only the connection is left to close.
      if (reply.raw.headersSent) raw.socket.destroy();
      else answerAndClose(raw.socket, receiveTimeout(receiveMs, 'body'));
    }, receiveMs);
    timer.unref();
    const clear = () => {
      clearTimeout(timer);
    };
    raw.once('end', clear);
    raw.once('close', clear);
    done();
  });
}
