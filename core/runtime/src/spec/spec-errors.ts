import { RecurAggregateError, RecurError } from '../errors/recur-error.js';

/**
 * One error that lists several problems. Its exit code is the most severe of theirs, so that a
 * malformed `--set` (a usage error, exit 2) is not reported as a bad spec (exit 1).
 */
export function aggregateErrors(code: string, message: string, errors: readonly RecurError[]): RecurAggregateError {
  const aggregate = new RecurAggregateError(code, message, errors);
  const worst = Math.max(aggregate.exitCode, ...errors.map((e) => e.exitCode));
  // RecurAggregateError always passes exit code 1 to its base; exitCode is a plain field there.
  if (worst !== aggregate.exitCode) Object.defineProperty(aggregate, 'exitCode', { value: worst, enumerable: true });
  return aggregate;
}
