import { strict as assert } from 'node:assert';
import { RecurError } from '@recur/runtime';

/**
 * What else a coded error must show: a string its message contains, a pattern its message matches,
 * or an object whose entries its `details` hold (`{ pointer: '/encoder/hidden' }`).
 */
export type CodedErrorCheck = string | RegExp | Readonly<Record<string, unknown>>;

const NOTHING = Symbol('nothing thrown');

function describeThrown(err: unknown): string {
  if (RecurError.is(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name} (not a RecurError): ${err.message}`;
  return `${typeof err} ${String(err)} (not a RecurError)`;
}

/** Asserts that `err` (what was thrown, or NOTHING) is a RecurError with `code` that passes every check. */
function assertCoded(err: unknown, code: string, checks: readonly CodedErrorCheck[], verb: string): RecurError {
  if (err === NOTHING) assert.fail(`expected ${code}, but ${verb}`);
  if (!RecurError.is(err) || err.code !== code) assert.fail(`expected ${code}, got ${describeThrown(err)}`);
  for (const check of checks) {
    if (typeof check === 'string')
      assert.ok(
        err.message.includes(check),
        `${code}: message ${JSON.stringify(err.message)} lacks ${JSON.stringify(check)}`,
      );
    else if (check instanceof RegExp)
      assert.match(
        err.message,
        check,
        `${code}: message ${JSON.stringify(err.message)} does not match ${String(check)}`,
      );
    else
      for (const [key, value] of Object.entries(check))
        assert.deepEqual(err.details[key], value, `${code}: details.${key} of ${JSON.stringify(err.message)}`);
  }
  return err;
}

/**
 * Asserts that `run` (a promise, or a function returning one) rejects with a RecurError of `code`
 * that passes every check, and returns it. On failure it names the expected code and what came
 * instead (another code and its message, a plain error, or a resolved promise).
 */
export async function rejectsWithCode(
  run: Promise<unknown> | (() => Promise<unknown>),
  code: string,
  ...checks: CodedErrorCheck[]
): Promise<RecurError> {
  let caught: unknown = NOTHING;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (err) {
    caught = err;
  }
  return assertCoded(caught, code, checks, 'the promise resolved');
}

/** The synchronous {@link rejectsWithCode}: `run` must throw a RecurError of `code`. */
export function throwsWithCode(run: () => unknown, code: string, ...checks: CodedErrorCheck[]): RecurError {
  let caught: unknown = NOTHING;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  return assertCoded(caught, code, checks, 'nothing was thrown');
}
