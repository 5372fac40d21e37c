import { strict as assert } from 'node:assert';
import { tokenizerVocab, trainTokenizer } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

describe('tokenizer training: trainTokenizer dispatches on the kind', () => {
  it('char, word and bpe', () => {
    assert.deepEqual(tokenizerVocab(trainTokenizer(['ab a'], { kind: 'char' }).json), [
      '[PAD]',
      '[UNK]',
      'a',
      ' ',
      'b',
    ]);
    assert.deepEqual(tokenizerVocab(trainTokenizer(['ab a'], { kind: 'word' }).json), ['[PAD]', '[UNK]', 'a', 'ab']);
    assert.equal(trainTokenizer(['ab ab ab'], { kind: 'bpe', vocabSize: 260 }).vocabSize, 260);
    throwsWithCode(() => trainTokenizer(['x'], { kind: 'unigram' } as never), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
  });
});
