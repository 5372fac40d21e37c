import type { ErrorDefinition } from '../errors/define-errors.js';
import { RecurAggregateError, type RecurError } from '../errors/recur-error.js';

/**
 * One error of the kind `of` that lists several problems. Its exit code is the most severe of
 * theirs, so that a malformed `--set` (a usage error, exit 2) is not reported as a bad spec (exit 1);
 * its HTTP status is that of `of`.
 */
export function aggregateErrors(
  of: ErrorDefinition,
  message: string,
  errors: readonly RecurError[],
): RecurAggregateError {
  const exitCode = Math.max(of.exitCode, ...errors.map((e) => e.exitCode));
  return new RecurAggregateError(of.code, message, errors, { exitCode, httpStatus: of.httpStatus });
}
