import { strict as assert } from 'node:assert';
import { classificationReport, ConfusionMatrix } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

const close = (a: number, b: number, what: string) => {
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
};

describe('metrics: classification', () => {
  it('accuracy, per-label precision/recall/F1, macro averages and the confusion matrix, checked by hand', () => {
    // gold a a a b b c, predicted a b a b c c
    const r = classificationReport([0, 0, 0, 1, 1, 2], [0, 1, 0, 1, 2, 2], ['a', 'b', 'c']);
    assert.deepEqual(r.confusion, [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    assert.equal(r.count, 6);
    close(r.accuracy, 4 / 6, 'accuracy');
    // a: P 2/2, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 0.5; c: P 1/2, R 1/1, F1 2/3.
    assert.deepEqual(
      r.perLabel.map((s) => [s.label, s.support]),
      [
        ['a', 3],
        ['b', 2],
        ['c', 1],
      ],
    );
    const expected = [
      [1, 2 / 3, 0.8],
      [0.5, 0.5, 0.5],
      [0.5, 1, 2 / 3],
    ];
    r.perLabel.forEach((s, k) => {
      close(s.precision, expected[k][0], `${s.label} precision`);
      close(s.recall, expected[k][1], `${s.label} recall`);
      close(s.f1, expected[k][2], `${s.label} f1`);
    });
    close(r.macroF1, (0.8 + 0.5 + 2 / 3) / 3, 'macro F1');
    close(r.macroPrecision, 2 / 3, 'macro precision');
    close(r.macroRecall, (2 / 3 + 0.5 + 1) / 3, 'macro recall');
  });

  it('a label never predicted and never present scores 0 (zero_division = 0)', () => {
    const r = classificationReport([0, 0], [0, 0], ['x', 'y']);
    assert.deepEqual(r.perLabel[1], { label: 'y', precision: 0, recall: 0, f1: 0, support: 0 });
    assert.equal(r.accuracy, 1);
    assert.equal(r.macroF1, 0.5);
  });

  it('accumulates batch by batch like the one-shot report', () => {
    const m = new ConfusionMatrix(['neg', 'pos']);
    m.addAll([0, 1], [0, 0]);
    m.add(1, 1);
    assert.deepEqual(m.report(), classificationReport([0, 1, 1], [0, 0, 1], ['neg', 'pos']));
  });

  it('coded errors for mismatched lengths and labels out of range', () => {
    throwsWithCode(() => classificationReport([0, 1], [0], ['a', 'b']), 'RECUR_E_EVAL_LENGTH_MISMATCH');
    throwsWithCode(() => classificationReport([0, 2], [0, 1], ['a', 'b']), 'RECUR_E_EVAL_LABEL_INVALID');
    throwsWithCode(() => classificationReport([0], [0.5], ['a', 'b']), 'RECUR_E_EVAL_LABEL_INVALID');
  });
});
