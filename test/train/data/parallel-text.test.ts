import { strict as assert } from 'node:assert';
import { parseParallelTsv, readParallelFiles, readParallelTsv, splitDataLines } from '@recur/train';
import { rejectsWithCode, throwsWithCode } from '../../helpers/coded-error.js';
import { trainData } from './fixture-path.js';

const lines = (text: string, file = 'mem.tsv') => splitDataLines(new Uint8Array(Buffer.from(text, 'latin1')), file);

describe('data: parallel text', () => {
  it('pairs two files line by line, gzip or not', async () => {
    const { records, skipped } = await readParallelFiles(trainData('pairs.de.gz'), trainData('pairs-en-gzipped.txt'));
    assert.equal(records.length, 3);
    assert.deepEqual(records[0], {
      source: 'Ein Hund läuft über die Wiese.',
      target: 'A dog runs across the meadow.',
      line: 1,
    });
    assert.deepEqual(records[2], { source: 'Eine Frau liest ein Buch.', target: 'A woman reads a book.', line: 3 });
    assert.deepEqual(skipped, {});
  });

  it('different line counts are RECUR_E_DATA_PARALLEL_MISMATCH, even when skipping bad records', async () => {
    await rejectsWithCode(
      () => readParallelFiles(trainData('pairs.de.gz'), trainData('pairs-short.en'), { onBadRecord: 'skip' }),
      'RECUR_E_DATA_PARALLEL_MISMATCH',
      { file: trainData('pairs-short.en') },
    );
  });

  it('reads a two-column TSV with a header, or with columns swapped', async () => {
    const { records } = await readParallelTsv(trainData('pairs.tsv'));
    assert.deepEqual(records, [
      { source: 'Ein Hund läuft.', target: 'A dog runs.', line: 2 },
      { source: 'Die Sonne scheint.', target: 'The sun shines.', line: 3 },
    ]);
    const swapped = parseParallelTsv(lines('Go.\tGeh.\nRun!\tLauf!\n'), { sourceColumn: 1, targetColumn: 0 });
    assert.deepEqual(
      swapped.records.map((r) => [r.source, r.target]),
      [
        ['Geh.', 'Go.'],
        ['Lauf!', 'Run!'],
      ],
    );
    assert.equal(parseParallelTsv(lines('de\ten\nHallo\tHello\n')).records.length, 1, 'language codes make a header');
    assert.equal(parseParallelTsv(lines('de\ten\nHallo\tHello\n'), { header: false }).records.length, 2);
  });

  it('bad pairs: coded errors with line, or skipped and counted', () => {
    throwsWithCode(() => parseParallelTsv(lines('a\tb\n\tB\n')), 'RECUR_E_DATA_EMPTY_LINE', { line: 2 });
    throwsWithCode(() => parseParallelTsv(lines('a\tb\nonly one\n')), 'RECUR_E_DATA_COLUMNS', { line: 2 });
    throwsWithCode(() => parseParallelTsv(lines('a\tb\n\xff\tB\n')), 'RECUR_E_DATA_ENCODING', { line: 2 });
    const { records, skipped } = parseParallelTsv(lines('a\tb\n\n\xff\tB\nc\td\tx\ne\tf\n'), { onBadRecord: 'skip' });
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 5],
    );
    assert.deepEqual(skipped, { 'empty-line': 1, encoding: 1, columns: 1 });
  });
});
