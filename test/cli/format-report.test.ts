import { strict as assert } from 'node:assert';
import { formatEvalReport } from '@recur/cli';

describe('recur eval: the report for people', () => {
  it('prints per-label figures as a table and the confusion matrix with its labels', () => {
    const text = formatEvalReport({
      metric: 'accuracy',
      value: 0.75,
      details: {
        examples: 8,
        macroF1: 0.7333333,
        perLabel: [
          { label: 'negative', precision: 1, recall: 0.5, f1: 0.6666667, support: 4 },
          { label: 'positive', precision: 0.6666667, recall: 1, f1: 0.8, support: 4 },
        ],
        confusion: [
          [2, 2],
          [0, 4],
        ],
      },
    });
    assert.equal(
      text,
      [
        'accuracy: 0.7500',
        'examples: 8',
        'macroF1: 0.7333',
        '',
        'label     precision  recall      f1  support',
        'negative     1.0000  0.5000  0.6667        4',
        'positive     0.6667  1.0000  0.8000        4',
        '',
        'confusion (rows: gold, columns: predicted)',
        '          negative  positive',
        'negative         2         2',
        'positive         0         4',
        '',
      ].join('\n'),
    );
  });

  it('prints other details one per line, number lists spaced', () => {
    const text = formatEvalReport({
      metric: 'bleu',
      value: 31.12118,
      details: { sentences: 1014, precisions: [0.63, 0.388], note: { a: 1 } },
    });
    assert.equal(text, 'bleu: 31.1212\nsentences: 1014\nprecisions: 0.6300 0.3880\nnote: {"a":1}\n');
  });
});
