import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readPlainText, splitDevTail } from '@recur/train';
import { rejectsWithCode, throwsWithCode } from '../../helpers/coded-error.js';
import { trainData } from './fixture-path.js';

describe('data: plain text for language models', () => {
  it('reads the whole file as one stream, blank lines and newlines included', async () => {
    const { text, skipped } = await readPlainText(trainData('shakespeare-head.txt'));
    assert.equal(text, readFileSync(trainData('shakespeare-head.txt'), 'utf8'));
    assert.ok(text.startsWith('First Citizen:\nBefore we proceed'));
    assert.ok(text.includes('\n\nAll:\n'));
    assert.deepEqual(skipped, {});
  });

  it('invalid UTF-8: coded error with the line, or the line left out and counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-text-'));
    const file = join(dir, 'bad.txt');
    writeFileSync(file, Buffer.from('one\ntwo \xff\nthree\n', 'latin1'));
    await rejectsWithCode(() => readPlainText(file), 'RECUR_E_DATA_ENCODING', { file, line: 2 });
    const kept = await readPlainText(file, { onBadRecord: 'skip' });
    assert.equal(kept.text, 'one\nthree\n');
    assert.deepEqual(kept.skipped, { encoding: 1 });
    writeFileSync(join(dir, 'empty.txt'), '');
    await rejectsWithCode(() => readPlainText(join(dir, 'empty.txt')), 'RECUR_E_DATA_EMPTY');
  });

  it('carves a dev split off the end at a line boundary', () => {
    const text = 'aaaa\nbbbb\ncccc\ndddd\neeee\n'; // 25 characters, lines start at 0, 5, 10, 15, 20
    assert.deepEqual(splitDevTail(text, 0.2), { train: 'aaaa\nbbbb\ncccc\ndddd\n', dev: 'eeee\n', devStartLine: 5 });
    assert.deepEqual(splitDevTail(text, 0.3), { train: 'aaaa\nbbbb\ncccc\ndddd\n', dev: 'eeee\n', devStartLine: 5 }); // 17.5 -> next line start 20
    assert.deepEqual(splitDevTail(text, 0.4), { train: 'aaaa\nbbbb\ncccc\n', dev: 'dddd\neeee\n', devStartLine: 4 }); // 15 is a line start
    assert.deepEqual(splitDevTail('ab\ncd', 0.9), { train: 'ab\n', dev: 'cd', devStartLine: 2 });
    throwsWithCode(() => splitDevTail('one line only', 0.1), 'RECUR_E_DATA_EMPTY');
    throwsWithCode(() => splitDevTail(text, 0), 'RECUR_E_DATA_OPTIONS');
    throwsWithCode(() => splitDevTail(text, 1), 'RECUR_E_DATA_OPTIONS');
  });

  it('property: train + dev is the text, dev starts a line, and the cut is deterministic', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 12 }).map((s) => s.replace(/\n/g, '')),
          { minLength: 2, maxLength: 30 },
        ),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (rows, fraction) => {
          const text = rows.join('\n') + '\n';
          let split;
          try {
            split = splitDevTail(text, fraction);
          } catch {
            return; // a text whose lines cannot give two non-empty sides
          }
          assert.equal(split.train + split.dev, text);
          assert.ok(split.train.endsWith('\n'));
          assert.ok(split.dev.length > 0 && split.train.length > 0);
          assert.deepEqual(splitDevTail(text, fraction), split);
          assert.equal(split.devStartLine, split.train.split('\n').length);
        },
      ),
    );
  });
});
