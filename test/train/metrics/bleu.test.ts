import { strict as assert } from 'node:assert';
import { BleuAccumulator, bleuTokens, corpusBleu } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

const close = (a: number, b: number, what: string) => {
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
};

describe('metrics: BLEU', () => {
  it('tokens: lowercased Unicode words and single symbols (JS \\w would split Männer)', () => {
    assert.deepEqual(bleuTokens("Zwei Männer, die's MÖGEN!"), ['zwei', 'männer', ',', 'die', "'", 's', 'mögen', '!']);
    assert.deepEqual(bleuTokens('  3.5 km_h ...'), ['3', '.', '5', 'km_h', '.', '.', '.']);
    assert.deepEqual(bleuTokens(''), []);
  });

  it('identical text scores 100', () => {
    const r = corpusBleu(['The cat sat on the mat.'], ['the cat sat on the mat .']);
    assert.equal(r.bleu, 100);
    assert.equal(r.brevityPenalty, 1);
  });

  it('a short hypothesis: clipped precisions and the brevity penalty, worked by hand', () => {
    // hyp: the cat sat on the mat (6); ref: the cat sat on the red mat (7).
    // p1 6/6; p2 4/5 (the-mat misses); p3 3/4; p4 2/3; BP exp(1 - 7/6).
    const r = corpusBleu(['the cat sat on the mat'], ['the cat sat on the red mat']);
    assert.deepEqual(r.matches, [6, 4, 3, 2]);
    assert.deepEqual(r.totals, [6, 5, 4, 3]);
    close(r.brevityPenalty, Math.exp(1 - 7 / 6), 'BP');
    close(r.bleu, 100 * Math.exp(1 - 7 / 6) * Math.pow(1 * 0.8 * 0.75 * (2 / 3), 1 / 4), 'BLEU'); // 67.318...
    assert.equal(r.hypothesisLength, 6);
    assert.equal(r.referenceLength, 7);
  });

  it('clipping: a repeated word counts at most as often as in the reference', () => {
    const r = corpusBleu(['the the the the'], ['the cat']);
    assert.equal(r.matches[0], 1);
    assert.equal(r.totals[0], 4);
    assert.equal(r.bleu, 0, 'no bigram matches');
  });

  it('no smoothing: an n-gram order with zero matches gives 0', () => {
    const r = corpusBleu(['a b c d'], ['a b c e']);
    assert.deepEqual(r.matches, [3, 2, 1, 0]);
    assert.equal(r.bleu, 0);
    assert.equal(corpusBleu([''], ['a b']).bleu, 0, 'an empty hypothesis');
  });

  it('corpus level: n-grams and lengths are summed before the geometric mean', () => {
    // Pair 2 has no 4-gram (totals 0 there), so its sentence BLEU would be 0; the corpus BLEU is not.
    // c = 9, r = 11; every n-gram matches: BLEU = exp(1 - 11/9).
    const hyps = ['the cat sat on the mat', 'a dog ran'];
    const refs = ['the cat sat on the mat', 'A dog ran away quickly'];
    const r = corpusBleu(hyps, refs);
    assert.deepEqual(r.matches, [9, 7, 5, 3]);
    assert.deepEqual(r.totals, [9, 7, 5, 3]);
    close(r.bleu, 100 * Math.exp(1 - 11 / 9), 'BLEU');
    const acc = new BleuAccumulator();
    acc.add(hyps[0], refs[0]);
    acc.add(hyps[1], refs[1]);
    assert.deepEqual(acc.result(), r);
  });

  it('a hypothesis longer than its reference has no brevity penalty', () => {
    const r = corpusBleu(['a b c d e f'], ['a b c d e']);
    assert.equal(r.brevityPenalty, 1);
    close(r.bleu, 100 * Math.pow((5 / 6) * (4 / 5) * (3 / 4) * (2 / 3), 1 / 4), 'BLEU');
  });

  it('different numbers of hypotheses and references is RECUR_E_EVAL_LENGTH_MISMATCH', () => {
    throwsWithCode(() => corpusBleu(['a'], []), 'RECUR_E_EVAL_LENGTH_MISMATCH');
  });
});
