import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { SPECIAL_TOKENS, tokenizerVocab, trainCharTokenizer } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';
import { loadBack, SHAKESPEARE } from './helpers.js';

describe('tokenizer training: characters', () => {
  const trained = trainCharTokenizer([SHAKESPEARE], { specialTokens: SPECIAL_TOKENS.generation });
  const alphabet = [...new Set(SHAKESPEARE)];

  it('one id per character of the corpus, most frequent first, after the special tokens', async () => {
    assert.equal(trained.vocabSize, 4 + alphabet.length);
    const vocab = tokenizerVocab(trained.json);
    assert.deepEqual(vocab.slice(0, 4), ['[PAD]', '[UNK]', '<s>', '</s>']);
    assert.equal(vocab[4], ' ', 'the space is the most frequent character of the excerpt');
    assert.deepEqual(new Set(vocab.slice(4)), new Set(alphabet));
    const tok = await loadBack(trained);
    assert.deepEqual(tok.special, { pad: 0, unk: 1, bos: 2, eos: 3 });
    assert.equal(tok.vocabSize, trained.vocabSize);
  });

  it('round-trips the corpus exactly through the tokenizer plugin: spaces, newlines, punctuation', async () => {
    const tok = await loadBack(trained);
    const ids = tok.encode(SHAKESPEARE);
    assert.equal(ids.length, [...SHAKESPEARE].length);
    assert.equal(tok.decode(ids), SHAKESPEARE);
  });

  it('property: any text over the alphabet round-trips; ids are in range', async () => {
    const tok = await loadBack(trained);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }).map((cs) => cs.join('')),
        (text) => {
          const ids = tok.encode(text);
          assert.ok(ids.every((id) => Number.isInteger(id) && id >= 4 && id < tok.vocabSize));
          assert.equal(tok.decode(ids), text);
        },
      ),
    );
  });

  it('property: any string encodes in range; each unknown character decodes as [UNK]', async () => {
    const tok = await loadBack(trained);
    const known = new Set(alphabet);
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(fc.constantFrom(...alphabet), fc.constantFrom('é', '😀', '\u200f', '\t', '\ud800')),
          maxLength: 60,
        }),
        (text) => {
          const ids = tok.encode(text);
          assert.ok(ids.every((id) => id >= 0 && id < tok.vocabSize));
          const expected = [...text].map((c) => (known.has(c) ? c : '[UNK]')).join('');
          assert.equal(tok.decode(ids), expected);
        },
      ),
    );
  });

  it('normalisation, frequency and size limits; bos/eos wrapping', async () => {
    const lower = trainCharTokenizer(['ABBA ab'], {
      normalize: { lowercase: true },
      specialTokens: ['[PAD]', '[UNK]'],
    });
    assert.deepEqual(tokenizerVocab(lower.json), ['[PAD]', '[UNK]', 'a', 'b', ' ']);
    const tok = await loadBack(lower);
    assert.equal(tok.decode(tok.encode('Ab ba')), 'ab ba');
    assert.deepEqual(tokenizerVocab(trainCharTokenizer(['aaab c'], { minFrequency: 2 }).json), ['[PAD]', '[UNK]', 'a']);
    assert.deepEqual(tokenizerVocab(trainCharTokenizer(['aaabbc'], { vocabSize: 4 }).json), [
      '[PAD]',
      '[UNK]',
      'a',
      'b',
    ]);
    const wrapped = await loadBack(
      trainCharTokenizer(['ab'], { specialTokens: SPECIAL_TOKENS.generation, wrap: { bos: '<s>', eos: '</s>' } }),
    );
    assert.deepEqual(wrapped.encode('ba'), [2, 5, 4, 3]);
  });

  it('bad options and empty corpora are coded errors', () => {
    throwsWithCode(() => trainCharTokenizer([''], {}), 'RECUR_E_TOKENIZER_TRAIN_EMPTY_CORPUS');
    throwsWithCode(() => trainCharTokenizer(['abc'], { vocabSize: 2 }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
    throwsWithCode(
      () => trainCharTokenizer(['abc'], { specialTokens: ['[PAD]', '[PAD]'] }),
      'RECUR_E_TOKENIZER_TRAIN_OPTIONS',
    );
    throwsWithCode(() => trainCharTokenizer(['abc'], { minFrequency: 0 }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
    throwsWithCode(() => trainCharTokenizer(['abc'], { wrap: { bos: '<s>' } }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
  });
});
