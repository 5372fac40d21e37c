import { strict as assert } from 'node:assert';
import { readDataset } from '@recur/train';
import { rejectsWithCode } from '../../helpers/coded-error.js';
import { trainData } from './fixture-path.js';

const LABELS = ['negative', 'positive'];

describe('data: readDataset picks the reader for the task and the format', () => {
  it('classification: TSV or JSON Lines, told apart by content', async () => {
    const tsv = await readDataset({ task: 'text-classification', files: [trainData('sentiment.tsv')], labels: LABELS });
    assert.equal(tsv.kind, 'labeled');
    assert.equal(tsv.kind === 'labeled' && tsv.data.records.length, 6);
    const jsonl = await readDataset({
      task: 'text-classification',
      files: [trainData('sentiment.jsonl')],
      labels: LABELS,
    });
    assert.deepEqual(jsonl.kind === 'labeled' && jsonl.data.records.map((r) => r.label), [1, 0, 1]);
    const skipped = await readDataset({
      task: 'text-classification',
      files: [trainData('sentiment-bad.tsv')],
      labels: LABELS,
      onBadRecord: 'skip',
    });
    assert.equal(skipped.kind === 'labeled' && skipped.data.records.length, 2);
  });

  it('translation: two files, a TSV or JSON Lines', async () => {
    const two = await readDataset({
      task: 'translation',
      files: [trainData('pairs.de.gz'), trainData('pairs-en-gzipped.txt')],
    });
    assert.equal(two.kind === 'pairs' && two.data.records.length, 3);
    const tsv = await readDataset({ task: 'translation', files: [trainData('pairs.tsv')] });
    assert.equal(tsv.kind === 'pairs' && tsv.data.records[0].target, 'A dog runs.');
    const jsonl = await readDataset({ task: 'translation', files: [trainData('pairs.jsonl')] });
    assert.equal(jsonl.kind === 'pairs' && jsonl.data.records[1].source, 'Danke!');
  });

  it('text generation: one stream; an unknown task is RECUR_E_DATA_OPTIONS', async () => {
    const text = await readDataset({ task: 'text-generation', files: [trainData('shakespeare-head.txt')] });
    assert.ok(text.kind === 'text' && text.data.text.startsWith('First Citizen:'));
    await rejectsWithCode(() => readDataset({ task: 'summarization', files: ['x'] } as never), 'RECUR_E_DATA_OPTIONS');
  });
});
