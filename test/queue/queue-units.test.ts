import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeError,
  parseQueueUrl,
  rank,
  ResumeFiles,
  sweepSettings,
  QueueErrors,
  type TrialOutcome,
} from '@recur/cli/internal';
import { RecurError, RuntimeErrors } from '@recur/runtime';
import { throwsWithCode } from '../helpers/coded-error.js';

describe('queue and sweep building blocks', () => {
  it('parses redis:// URLs with port, database and password; other forms are coded errors', () => {
    assert.deepEqual(parseQueueUrl('redis://127.0.0.1:6390/2'), {
      host: '127.0.0.1',
      port: 6390,
      db: 2,
      label: 'redis://127.0.0.1:6390/2',
    });
    const withPassword = parseQueueUrl('redis://:s%40cret@queue.internal');
    assert.equal(withPassword.password, 's@cret');
    assert.equal(withPassword.port, 6379);
    assert.doesNotMatch(withPassword.label, /cret/, 'messages never show the password');
    for (const bad of ['http://x:1', 'redis://h:1/db', 'not a url']) {
      assert.throws(
        () => parseQueueUrl(bad),
        (e: unknown) => RecurError.is(e) && e.code === 'RECUR_E_QUEUE_URL_INVALID' && e.exitCode === 2,
      );
    }
  });

  it("a worker's coded error survives the trip through a failed job's reason text", () => {
    const err = RuntimeErrors.INPUT_INVALID('line 150 is not JSON: Unexpected end', {
      file: '/data/in.jsonl',
      line: 150,
      expected: 'a JSON string',
    });
    const back = decodeError(JSON.stringify({ recurError: err.toJSON(), exitCode: err.exitCode }))!;
    assert.equal(back.code, 'RECUR_E_INPUT_INVALID');
    assert.equal(back.message, err.message);
    assert.equal(back.details.line, 150);
    assert.equal(back.details.file, '/data/in.jsonl');
    assert.equal(decodeError('job stalled more than allowable limit'), undefined);
  });

  it('grid settings are the full product; --random draws the same distinct ones for the same seed', () => {
    const all = sweepSettings(['encoder.hidden=256,512', 'train.optimizer.lr=1e-3,2e-3,3e-3']);
    assert.equal(all.length, 6);
    assert.deepEqual(all[0], [
      { path: 'encoder.hidden', value: '256' },
      { path: 'train.optimizer.lr', value: '1e-3' },
    ]);
    const a = sweepSettings(['encoder.hidden=256,512', 'train.optimizer.lr=1e-3,2e-3,3e-3'], { count: 3, seed: 7 });
    const b = sweepSettings(['encoder.hidden=256,512', 'train.optimizer.lr=1e-3,2e-3,3e-3'], { count: 3, seed: 7 });
    assert.deepEqual(a, b);
    assert.equal(new Set(a.map((s) => JSON.stringify(s))).size, 3);
    throwsWithCode(() => sweepSettings(['a=1', 'a=2']), QueueErrors.GRID_INVALID.code);
    throwsWithCode(() => sweepSettings(['a=']), QueueErrors.GRID_INVALID.code);
  });

  it('ranks accuracy high-first, nats per character low-first, failed trials last', () => {
    const trial = (index: number, metric: string, value: number): TrialOutcome => ({
      ok: true,
      result: { index, setting: [], metric, value, parameters: 1, seconds: 1, steps: 1, weights: 'w', resumed: false },
    });
    const failed: TrialOutcome = { ok: false, index: 9, setting: [], code: 'RECUR_E_DATA_LABEL_UNKNOWN', message: 'x' };
    assert.deepEqual(
      rank([trial(0, 'accuracy', 0.7), failed, trial(1, 'accuracy', 0.9)]).map((o) =>
        o.ok ? o.result.index : o.index,
      ),
      [1, 0, 9],
    );
    assert.deepEqual(
      rank([trial(0, 'nats_per_char', 1.6), trial(1, 'nats_per_char', 1.4)]).map((o) => (o.ok ? o.result.index : -1)),
      [1, 0],
    );
  });

  it("the producer's resume state cuts an unrecorded write and ignores another run's state", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recur-resume-'));
    const files = new ResumeFiles(join(dir, 'out.jsonl'));
    await writeFile(files.partial, '{"a":1}\n{"b":2}\n');
    await files.save({ runId: 'run-1', chunksWritten: 1, linesWritten: 1, bytes: 8 });
    assert.equal(await files.resume('run-2'), undefined);
    assert.deepEqual(await files.resume('run-1'), { runId: 'run-1', chunksWritten: 1, linesWritten: 1, bytes: 8 });
    assert.equal(await readFile(files.partial, 'utf8'), '{"a":1}\n');
    await rm(dir, { recursive: true, force: true });
  });
});
