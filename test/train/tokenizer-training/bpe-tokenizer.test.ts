import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  BYTE_TO_CHAR,
  byteLevelWords,
  learnMerges,
  SPECIAL_TOKENS,
  tokenizerVocab,
  trainBpeTokenizer,
} from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';
import { loadBack, SHAKESPEARE } from './helpers.js';

const lines = SHAKESPEARE.split('\n');

describe('tokenizer training: byte-level BPE', () => {
  it("learns merges in the standard order (Sennrich et al.'s example, worked by hand)", () => {
    // low x5, lower x2, newest x6, widest x3. Pair counts: e s 9, s t 9, w e 8, l o 7, o w 7, n e 6, ...
    // Ties go to the smaller (left, right) ids in the alphabet's order.
    const words = new Map([
      ['low', 5],
      ['lower', 2],
      ['newest', 6],
      ['widest', 3],
    ]);
    const alphabet = ['d', 'e', 'i', 'l', 'n', 'o', 'r', 's', 't', 'w'];
    const { merges, symbols } = learnMerges(words, (w) => [...w], alphabet, 6, 2);
    // es (9, beats st 9 on ids), est (9), lo (7, beats ow 7), low (7), then n e / e w / w est at 6: e w has the smallest ids.
    assert.deepEqual(merges, [
      ['e', 's'],
      ['es', 't'],
      ['l', 'o'],
      ['lo', 'w'],
      ['e', 'w'],
      ['n', 'ew'],
    ]);
    assert.deepEqual(symbols.slice(10), ['es', 'est', 'lo', 'low', 'ew', 'new']);
    assert.deepEqual(
      learnMerges(words, (w) => [...w], alphabet, 100, 7).merges.length,
      4,
      'minFrequency stops at pairs seen 6 times',
    );
  });

  it('writes 256 byte symbols plus merges after the special tokens; no unknown token needed', async () => {
    const trained = trainBpeTokenizer(lines, { vocabSize: 400, specialTokens: SPECIAL_TOKENS.generation });
    const vocab = tokenizerVocab(trained.json);
    assert.equal(trained.vocabSize, 400);
    assert.deepEqual(vocab.slice(0, 4), ['[PAD]', '[UNK]', '<s>', '</s>']);
    assert.deepEqual(new Set(vocab.slice(4, 260)), new Set(BYTE_TO_CHAR));
    assert.equal(trained.stats.merges, 140);
    assert.ok(vocab.includes('Ġthe'), 'a frequent word with its leading space is one token');
    const tok = await loadBack(trained);
    assert.deepEqual(tok.special, { pad: 0, unk: 1, bos: 2, eos: 3 });
    const ids = tok.encode('First Citizen: the people');
    assert.ok(ids.length < 'First Citizen: the people'.length / 2, `merges shorten the text (${ids.length} ids)`);
  });

  it('round-trips the corpus exactly, and fast-check strings of any script', async () => {
    const tok = await loadBack(trainBpeTokenizer(lines, { vocabSize: 500 }));
    assert.equal(tok.decode(tok.encode(SHAKESPEARE)), SHAKESPEARE);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const ids = tok.encode(text);
        assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize));
        assert.equal(tok.decode(ids), text);
      }),
      { numRuns: 200 },
    );
  });

  it('the trainer splits words as the ByteLevel pre-tokenizer does', () => {
    assert.deepEqual(byteLevelWords("Hello world's  end\n"), ['Hello', 'Ġworld', "'s", 'Ġ', 'Ġend', 'Ċ']);
    assert.deepEqual(byteLevelWords('Ä'), ['ÃĦ'], 'two UTF-8 bytes, two symbols');
  });

  it('lowercasing applies before merges and at encoding', async () => {
    const tok = await loadBack(trainBpeTokenizer(lines, { vocabSize: 300, normalize: { lowercase: true } }));
    assert.equal(tok.decode(tok.encode('First CITIZEN')), 'first citizen');
  });

  it('needs a vocabulary of at least the special tokens and 256 bytes', () => {
    throwsWithCode(() => trainBpeTokenizer(lines, { vocabSize: 257 }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
    throwsWithCode(() => trainBpeTokenizer([''], { vocabSize: 300 }), 'RECUR_E_TOKENIZER_TRAIN_EMPTY_CORPUS');
  });
});
