import { strict as assert } from 'node:assert';
import { defineErrors, RecurError, RuntimeErrors } from '@recur/runtime';
import { fillSpec } from '@recur/runtime/internal';
import { createRegistry } from '@recur/cli';

describe('error factories', () => {
  const E = defineErrors('@recur/factories-test', {
    BAD: { code: 'RECUR_E_FT_BAD', description: 'Bad input.' },
    GONE: { code: 'RECUR_E_FT_GONE', description: 'Gone.', httpStatus: 410 },
    BUG: { code: 'RECUR_E_FT_BUG', description: 'A fault.', exitCode: 3 },
  });

  it('put the exit code and HTTP status of their row on every error they make', () => {
    const gone = E.GONE('the thing is gone', { pointer: '/thing' });
    assert.equal(gone.httpStatus, 410);
    assert.equal(gone.exitCode, 1);
    assert.deepEqual(gone.toJSON(), { code: 'RECUR_E_FT_GONE', message: 'the thing is gone', pointer: '/thing' });
  });

  it('answer 400 for a row without a status, and 500 for a fault inside Recur (exit code 3)', () => {
    assert.equal(E.BAD.httpStatus, 400);
    assert.equal(E.BAD('x').httpStatus, 400);
    assert.equal(E.BUG.httpStatus, 500);
    assert.equal(E.BUG('x').httpStatus, 500);
    assert.equal(new RecurError('RECUR_E_FT_OTHER', 'x', {}, 3).httpStatus, 500);
    assert.equal(RuntimeErrors.ABORTED('x').httpStatus, 499);
  });

  it('tell their own errors from others with is()', () => {
    const bad = E.BAD('x');
    assert.equal(E.BAD.is(bad), true);
    assert.equal(E.GONE.is(bad), false);
    assert.equal(E.BAD.is(new Error('x')), false);
    assert.equal(E.BAD.is({ code: 'RECUR_E_FT_BAD' }), false, 'a plain object with the code is not a RecurError');
    // A RecurError rebuilt elsewhere (another copy of the package, another thread) still counts.
    assert.equal(E.BAD.is(new RecurError('RECUR_E_FT_BAD', 'x')), true);
  });

  it('refuse a code declared twice in one table', () => {
    assert.throws(
      () =>
        defineErrors('@recur/factories-test-2', {
          A: { code: 'RECUR_E_FT_TWICE', description: 'a' },
          B: { code: 'RECUR_E_FT_TWICE', description: 'b' },
        }),
      /duplicate error code RECUR_E_FT_TWICE in @recur\/factories-test-2/,
    );
  });

  it('give an error listing several problems the status of its kind', () => {
    let caught: unknown;
    try {
      fillSpec({ name: 3, task: 'no-such-task' }, createRegistry());
    } catch (err) {
      caught = err;
    }
    assert.ok(RuntimeErrors.SPEC_INVALID.is(caught), String(caught));
    assert.equal(caught.httpStatus, RuntimeErrors.SPEC_INVALID.httpStatus);
    assert.equal(caught.exitCode, 1);
  });
});
