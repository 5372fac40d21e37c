import { strict as assert } from 'node:assert';
import { RecurError } from '@recur/runtime';

/** Asserts that `run` rejects with a RecurError of `code` whose details hold `details`. */
export async function rejectsWithCode(
  run: () => Promise<unknown>,
  code: string,
  details: Record<string, unknown> = {},
): Promise<RecurError> {
  try {
    await run();
  } catch (err) {
    assert.ok(RecurError.is(err), `expected a RecurError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const [key, value] of Object.entries(details))
      assert.deepEqual(err.details[key], value, `details.${key} of ${err.message}`);
    return err;
  }
  assert.fail(`expected ${code}, but nothing was thrown`);
}

/** Synchronous {@link rejectsWithCode}. */
export function throwsWithCode(run: () => unknown, code: string, details: Record<string, unknown> = {}): RecurError {
  try {
    run();
  } catch (err) {
    assert.ok(RecurError.is(err), `expected a RecurError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const [key, value] of Object.entries(details))
      assert.deepEqual(err.details[key], value, `details.${key} of ${err.message}`);
    return err;
  }
  assert.fail(`expected ${code}, but nothing was thrown`);
}
