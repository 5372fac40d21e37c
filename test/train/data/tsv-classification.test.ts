import { strict as assert } from 'node:assert';
import { parseClassificationTsv, readClassificationTsv, splitDataLines } from '@recur/train';
import { rejectsWithCode, throwsWithCode } from '../../helpers/coded-error.js';
import { trainData } from './fixture-path.js';

const LABELS = ['negative', 'positive'];
const lines = (text: string) => splitDataLines(new TextEncoder().encode(text), 'mem.tsv');

describe('data: classification TSV', () => {
  it('reads the SST-2 layout: header detected, label indices, the space before the TAB trimmed', async () => {
    const { records, skipped } = await readClassificationTsv(trainData('sentiment.tsv'), { labels: LABELS });
    assert.equal(records.length, 6);
    assert.deepEqual(records[0], { text: 'an utterly charming and funny film', label: 1, line: 2 });
    assert.deepEqual(records[5], { text: 'it never finds its rhythm', label: 0, line: 7 });
    assert.deepEqual(
      records.map((r) => r.label),
      [1, 0, 1, 0, 1, 0],
    );
    assert.deepEqual(skipped, {});
  });

  it('reads label names without a header, with CRLF line ends', async () => {
    const { records } = await readClassificationTsv(trainData('sentiment-named.tsv'), { labels: LABELS });
    assert.deepEqual(
      records.map((r) => [r.text, r.label, r.line]),
      [
        ['A lovely little movie.', 1, 1],
        ['Dull, slow and far too long.', 0, 2],
        ['The best thing I have seen this year!', 1, 3],
      ],
    );
  });

  it('gives each kind of bad line its own code, with file and 1-based line', async () => {
    const file = trainData('sentiment-bad.tsv');
    const err = await rejectsWithCode(
      () => readClassificationTsv(file, { labels: LABELS }),
      'RECUR_E_DATA_EMPTY_LINE',
      { file, line: 3 },
    );
    assert.match(err.message, /sentiment-bad\.tsv:3: empty line/);
    const bytes = (text: string) => splitDataLines(Uint8Array.from([...Buffer.from(text, 'latin1')]), 'mem.tsv');
    const cases: [string, string][] = [
      ['x\t1\n\ny\t0\n', 'RECUR_E_DATA_EMPTY_LINE'],
      ['x\t1\n \t0\n', 'RECUR_E_DATA_EMPTY_LINE'],
      ['x\t1\na\tb\tc\n', 'RECUR_E_DATA_COLUMNS'],
      ['x\t1\nno tab\n', 'RECUR_E_DATA_COLUMNS'],
      ['x\t1\nbad \xff byte\t0\n', 'RECUR_E_DATA_ENCODING'],
      ['x\t1\ncut \xc3\t0\n', 'RECUR_E_DATA_ENCODING'],
      ['x\t1\ny\tpostive\n', 'RECUR_E_DATA_LABEL_UNKNOWN'],
    ];
    for (const [text, code] of cases)
      throwsWithCode(() => parseClassificationTsv(bytes(text), { labels: LABELS }), code, { file: 'mem.tsv', line: 2 });
  });

  it('an unknown label names the labels and the nearest one', () => {
    const err = throwsWithCode(
      () => parseClassificationTsv(lines('fine film\tpositive\nmeh\tpostive\n'), { labels: LABELS }),
      'RECUR_E_DATA_LABEL_UNKNOWN',
      { line: 2 },
    );
    assert.deepEqual(err.details.suggestions, ['positive']);
    assert.match(err.message, /"negative", "positive"/);
  });

  it('skips and counts bad lines when asked', async () => {
    const { records, skipped } = await readClassificationTsv(trainData('sentiment-bad.tsv'), {
      labels: LABELS,
      onBadRecord: 'skip',
    });
    assert.deepEqual(records, [
      { text: 'good fun', label: 1, line: 2 },
      { text: 'fine again', label: 0, line: 7 },
    ]);
    assert.deepEqual(skipped, { 'empty-line': 1, columns: 1, encoding: 1, label: 1 });
  });

  it('header handling: auto, forced, named columns, out-of-range labels', () => {
    // "0" and "1" are indices: a first row with a valid label is data, not a header.
    assert.equal(
      parseClassificationTsv(lines('label\tsentence\n1\tgood\n'), { labels: LABELS }).records[0].text,
      'good',
    );
    assert.equal(parseClassificationTsv(lines('first line\t1\n'), { labels: LABELS, header: false }).records.length, 1);
    // A first row with a mistyped label is data with a bad label, not a header: it is reported, not dropped.
    throwsWithCode(
      () => parseClassificationTsv(lines('great\tpostive\nok\t1\n'), { labels: LABELS }),
      'RECUR_E_DATA_LABEL_UNKNOWN',
      { line: 1 },
    );
    throwsWithCode(
      () => parseClassificationTsv(lines('good film\tpos\nok\t1\n'), { labels: LABELS }),
      'RECUR_E_DATA_LABEL_UNKNOWN',
      { line: 1 },
    );
    const named = parseClassificationTsv(lines('id\tsentiment\treview\n7\tnegative\tawful\n'), { labels: LABELS });
    assert.deepEqual(named.records, [{ text: 'awful', label: 0, line: 2 }]);
    const byName = parseClassificationTsv(lines('a\tb\tc\nx\tgood\t1\n'), {
      labels: LABELS,
      textColumn: 'b',
      labelColumn: 'c',
    });
    assert.deepEqual(byName.records, [{ text: 'good', label: 1, line: 2 }]);
    throwsWithCode(
      () => parseClassificationTsv(lines('t\tl\nx\t2\n'), { labels: LABELS }),
      'RECUR_E_DATA_LABEL_UNKNOWN',
      { line: 2 },
    );
    throwsWithCode(
      () => parseClassificationTsv(lines('x\t1\n'), { labels: LABELS, textColumn: 'text' }),
      'RECUR_E_DATA_OPTIONS',
    );
    throwsWithCode(
      () => parseClassificationTsv(lines('x\t1\n'), { labels: LABELS, labelColumn: 5 }),
      'RECUR_E_DATA_OPTIONS',
    );
  });

  it('label names that are digits keep their meaning as names', () => {
    const { records } = parseClassificationTsv(lines('ok\t1\nbad\t0\ngreat\t2\n'), { labels: ['1', '2', '0'] });
    assert.deepEqual(
      records.map((r) => r.label),
      [0, 2, 1],
    );
  });

  it('an empty file, or one whose every line was skipped, is RECUR_E_DATA_EMPTY', () => {
    throwsWithCode(() => parseClassificationTsv(lines(''), { labels: LABELS }), 'RECUR_E_DATA_EMPTY');
    throwsWithCode(
      () => parseClassificationTsv(lines('sentence\tlabel\n\n\n'), { labels: LABELS, onBadRecord: 'skip' }),
      'RECUR_E_DATA_EMPTY',
    );
    throwsWithCode(() => parseClassificationTsv(lines('x\t1\n'), { labels: [] }), 'RECUR_E_DATA_OPTIONS');
  });

  it('an unreadable file is RECUR_E_IO', async () => {
    await rejectsWithCode(() => readClassificationTsv(trainData('no-such-file.tsv'), { labels: LABELS }), 'RECUR_E_IO');
  });
});
