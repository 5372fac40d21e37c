import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsLog, readMetricsLog } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

describe('metrics log (JSONL)', () => {
  it('appends one JSON object per line, each on disk as soon as it is written', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'recur-log-')), 'run', 'metrics.jsonl');
    const log = MetricsLog.open(path);
    log.write({ kind: 'step', epoch: 0, step: 1, loss: 0.69 });
    // Read before close(): nothing is held back in the process.
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 2);
    log.write({ kind: 'epoch', epoch: 0, dev: { accuracy: 0.81 }, loss: Number.NaN });
    log.close();
    log.close();
    const records = readMetricsLog(path);
    assert.equal(records.length, 2);
    assert.deepEqual(
      { ...records[0], time: undefined },
      { kind: 'step', epoch: 0, step: 1, loss: 0.69, time: undefined },
    );
    assert.match(String(records[0]['time']), /^\d{4}-\d\d-\d\dT/);
    assert.equal(records[1]['loss'], null, 'NaN is written as null');
    throwsWithCode(() => {
      log.write({ kind: 'step' });
    }, 'RECUR_E_IO');
  });

  it('a resumed run appends to the same file; a line cut short by a kill is skipped when read back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'recur-log-')), 'metrics.jsonl');
    const first = MetricsLog.open(path);
    first.write({ kind: 'step', step: 1 });
    first.close();
    appendFileSync(path, '{"kind":"step","st');
    appendFileSync(path, '\n');
    const second = MetricsLog.open(path);
    second.write({ kind: 'step', step: 2 });
    second.close();
    assert.deepEqual(
      readMetricsLog(path).map((r) => r['step']),
      [1, 2],
    );
  });

  it('an unwritable path is RECUR_E_IO', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-log-'));
    throwsWithCode(() => MetricsLog.open(dir), 'RECUR_E_IO');
  });
});
