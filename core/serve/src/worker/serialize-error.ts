import { RecurError } from '@recur/runtime';
import { errorTables } from '@recur/runtime/internal';
import type { SerializedError } from './protocol.js';

let statusByCode: Map<string, number> | undefined;

/** The HTTP status of an error code, from every error table registered in this thread. */
export function httpStatusOf(code: string): number {
  if (!statusByCode || !statusByCode.has(code)) {
    statusByCode = new Map();
    for (const table of errorTables().values()) for (const row of table) statusByCode.set(row.code, row.httpStatus);
  }
  return statusByCode.get(code) ?? 500;
}

/**
 * An error as plain data: RecurErrors keep code, message and details (JSON pointer, expected,
 * limit, ...); anything else is a fault inside Recur and becomes RECUR_E_INTERNAL.
 */
export function serializeError(err: unknown): SerializedError {
  if (RecurError.is(err)) {
    const {
      code: _code,
      message: _message,
      ...details
    } = JSON.parse(JSON.stringify(err.toJSON())) as Record<string, unknown>;
    return { code: err.code, message: err.message.split('\n')[0], httpStatus: httpStatusOf(err.code), details };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'RECUR_E_INTERNAL', message, httpStatus: 500, details: {} };
}

/** A serialized error back as a RecurError (on the main thread), carrying its HTTP status. */
export function deserializeError(e: SerializedError): RecurError & { httpStatus: number } {
  const err = new RecurError(e.code, e.message, e.details) as RecurError & { httpStatus: number };
  err.httpStatus = e.httpStatus;
  return err;
}
