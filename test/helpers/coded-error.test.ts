import { strict as assert } from 'node:assert';
import { RuntimeErrors } from '@recur/runtime';
import { rejectsWithCode, throwsWithCode } from './coded-error.js';

/** The message of the assertion `run` fails with. */
/** The message `run` fails with (a throw or a rejection), or 'no failure'. */
async function failure(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (err) {
    return (err as Error).message;
  }
  return 'no failure';
}

describe('test helper: rejectsWithCode / throwsWithCode', () => {
  const usage = () => RuntimeErrors.USAGE('give --write or --check', { pointer: '/argv' });

  it('returns the error when code, message fragments, patterns and details all match', async () => {
    const err = await rejectsWithCode(Promise.reject(usage()), 'RECUR_E_USAGE', '--write', /--check$/, {
      pointer: '/argv',
    });
    assert.equal(err.pointer, '/argv');
    assert.equal(throwsWithCode(() => { throw usage(); }, 'RECUR_E_USAGE').code, 'RECUR_E_USAGE'); // prettier-ignore
  });

  it('fails naming the expected code and what came instead', async () => {
    assert.equal(
      await failure(() => rejectsWithCode(async () => Promise.reject(usage()), 'RECUR_E_IO')),
      'expected RECUR_E_IO, got RECUR_E_USAGE: give --write or --check',
    );
    assert.equal(
      await failure(() => rejectsWithCode(Promise.reject(new TypeError('x is undefined')), 'RECUR_E_IO')),
      'expected RECUR_E_IO, got TypeError (not a RecurError): x is undefined',
    );
    assert.equal(
      await failure(() => rejectsWithCode(Promise.resolve(1), 'RECUR_E_IO')),
      'expected RECUR_E_IO, but the promise resolved',
    );
    assert.equal(
      await failure(() => throwsWithCode(() => 1, 'RECUR_E_IO')),
      'expected RECUR_E_IO, but nothing was thrown',
    );
    assert.match(
      await failure(() => rejectsWithCode(Promise.reject(usage()), 'RECUR_E_USAGE', 'nowhere')),
      /RECUR_E_USAGE: message "give --write or --check" lacks "nowhere"/,
    );
    assert.match(
      await failure(() => rejectsWithCode(Promise.reject(usage()), 'RECUR_E_USAGE', { pointer: '/other' })),
      /RECUR_E_USAGE: details\.pointer/,
    );
  });
});
