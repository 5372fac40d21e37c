import { strict as assert } from 'node:assert';
import { readLabeledJsonl, readParallelJsonl } from '@recur/train';
import { rejectsWithCode } from '../../helpers/coded-error.js';
import { trainData } from './fixture-path.js';

const LABELS = ['negative', 'positive'];

describe('data: JSON Lines', () => {
  it('reads {text, label} with label names, indices and digit strings; other fields ignored', async () => {
    const { records } = await readLabeledJsonl(trainData('sentiment.jsonl'), { labels: LABELS });
    assert.deepEqual(records, [
      { text: 'What a delight from start to finish.', label: 1, line: 1 },
      { text: 'Painfully boring.', label: 0, line: 2 },
      { text: 'Great fun', label: 1, line: 3 },
    ]);
  });

  it('reads {source, target} pairs', async () => {
    const { records } = await readParallelJsonl(trainData('pairs.jsonl'));
    assert.deepEqual(records, [
      { source: 'Guten Morgen.', target: 'Good morning.', line: 1 },
      { source: 'Danke!', target: 'Thank you!', line: 2 },
    ]);
  });

  it('bad lines: RECUR_E_DATA_JSON for a non-object, a missing field or non-JSON, with the line', async () => {
    const file = trainData('sentiment-bad.jsonl');
    const err = await rejectsWithCode(() => readLabeledJsonl(file, { labels: LABELS }), 'RECUR_E_DATA_JSON', {
      file,
      line: 2,
    });
    assert.match(err.message, /expected a JSON object, got an array/);
    await rejectsWithCode(() => readParallelJsonl(trainData('sentiment.jsonl')), 'RECUR_E_DATA_JSON', { line: 1 });
  });

  it('skips and counts every kind of bad line', async () => {
    const { records, skipped } = await readLabeledJsonl(trainData('sentiment-bad.jsonl'), {
      labels: LABELS,
      onBadRecord: 'skip',
    });
    assert.deepEqual(records, [
      { text: 'ok', label: 1, line: 1 },
      { text: 'fine', label: 0, line: 7 },
    ]);
    assert.deepEqual(skipped, { json: 3, 'empty-field': 1, label: 1 });
  });

  it('custom field names', async () => {
    const { records } = await readLabeledJsonl(trainData('pairs.jsonl'), {
      labels: ['Good morning.', 'Thank you!'],
      textField: 'source',
      labelField: 'target',
    });
    assert.deepEqual(
      records.map((r) => r.label),
      [0, 1],
    );
  });
});
