import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RecurAggregateError, RecurError, RuntimeErrors } from '@recur/runtime';
import { ServeErrors as E } from '../errors.js';

/**
 * The body of every error answer. It is OpenAI's error object (`message`, `type`, `param`, `code`),
 * so OpenAI clients raise it as an API error, with `code` a stable RECUR_E_ code and the details
 * Recur adds (`pointer`, `expected`, `limit`, `suggestions`).
 */
export interface ErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string;
    readonly [detail: string]: unknown;
  };
}

const TYPES: Record<number, string> = {
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  499: 'cancelled',
  503: 'service_unavailable',
  504: 'timeout',
};

/** An error as an HTTP status and body; anything that is not a RecurError or a client error is a 500. */
export function toHttpError(
  err: unknown,
  bodyLimit?: number,
): { status: number; body: ErrorBody; retryAfter?: number } {
  const recur = asRecurError(err, bodyLimit);
  const status = recur.httpStatus;
  const { code: _c, message: _m, ...details } = recur.toJSON();
  const pointer = typeof details['pointer'] === 'string' ? details['pointer'] : undefined;
  const param = typeof details['param'] === 'string' ? details['param'] : pointer ? pointerToParam(pointer) : null;
  const message = recur instanceof RecurAggregateError ? recur.message : recur.message.split('\n')[0];
  const type = TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  const retryAfter = typeof details['retryAfter'] === 'number' ? details['retryAfter'] : undefined;
  return {
    status,
    body: { error: { ...details, message, type, param, code: recur.code } },
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

/** Sends an error answer (used by the error and not-found handlers). */
export function sendError(reply: FastifyReply, err: unknown, bodyLimit?: number): FastifyReply {
  const { status, body, retryAfter } = toHttpError(err, bodyLimit);
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  if (status === 401) void reply.header('www-authenticate', 'Bearer');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Fastify's error handler: logs faults (5xx) with the request, answers every error in one shape. */
export function errorHandler(bodyLimit: number) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const { status, body } = toHttpError(err, bodyLimit);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return sendError(reply, err, bodyLimit);
  };
}

/** `/messages/0/role` -> `messages[0].role` (how OpenAI names a field in `param`). */
export function pointerToParam(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, key) => (/^\d+$/.test(key) ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');
}

/** Fastify's own errors (body size, JSON syntax, schema validation, media type) as coded RecurErrors. */
function asRecurError(err: unknown, bodyLimit?: number): RecurError {
  if (RecurError.is(err)) return err;
  const e = err as FastifyError & {
    validation?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[];
    validationContext?: string;
  };
  if (e.validation && e.validation.length > 0) {
    const v = e.validation[0];
    const missing = v.keyword === 'required' ? `/${String(v.params['missingProperty'])}` : '';
    const extra = v.keyword === 'additionalProperties' ? `/${String(v.params['additionalProperty'])}` : '';
    const pointer = `${v.instancePath}${missing}${extra}`;
    const param = pointerToParam(pointer) || e.validationContext || 'body';
    const allowed =
      v.keyword === 'enum'
        ? `: ${(v.params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`
        : '';
    const what =
      v.keyword === 'required'
        ? 'is required'
        : v.keyword === 'additionalProperties'
          ? 'is not a known field'
          : `${v.message ?? 'is invalid'}${allowed}`;
    return E.INVALID_REQUEST(`${param} ${what}`, { pointer, param });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return E.BODY_TOO_LARGE(`the request body is larger than the limit of ${bodyLimit} bytes (limits.bodyBytes)`, {
        limit: bodyLimit,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return E.UNSUPPORTED_MEDIA_TYPE('the request body must be JSON: send Content-Type: application/json', {
        expected: 'application/json',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return E.MALFORMED_JSON('the request body is empty but Content-Type says JSON', { expected: 'a JSON object' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return E.INVALID_REQUEST('the Content-Length header does not match the body', {});
    default:
      break;
  }
  if (e.statusCode === 400 && (err instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY')) {
    return E.MALFORMED_JSON(`the request body is not valid JSON: ${e.message}`, { expected: 'a JSON object' });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return E.INVALID_REQUEST(e.message, {});
  }
  return RuntimeErrors.INTERNAL(err instanceof Error ? err.message : String(err));
}
