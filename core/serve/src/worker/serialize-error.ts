import { RecurError, RuntimeErrors } from '@recur/runtime';
import type { SerializedError } from './protocol.js';

/**
 * An error as plain data: RecurErrors keep code, message, exit code, HTTP status and details (JSON
 * pointer, expected, limit, ...); anything else is a fault inside Recur and becomes RECUR_E_INTERNAL.
 */
export function serializeError(err: unknown): SerializedError {
  const recur = RecurError.is(err) ? err : RuntimeErrors.INTERNAL(err instanceof Error ? err.message : String(err));
  const {
    code: _code,
    message: _message,
    ...details
  } = JSON.parse(JSON.stringify(recur.toJSON())) as Record<string, unknown>;
  return {
    code: recur.code,
    message: recur.message.split('\n')[0],
    exitCode: recur.exitCode,
    httpStatus: recur.httpStatus,
    details,
  };
}

/** A serialized error back as a RecurError (on the main thread), with its exit code and HTTP status. */
export function deserializeError(e: SerializedError): RecurError {
  return new RecurError(e.code, e.message, e.details, e.exitCode, { httpStatus: e.httpStatus });
}
