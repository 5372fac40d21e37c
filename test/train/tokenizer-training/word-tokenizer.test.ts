import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { splitWords, tokenizerVocab, trainWordTokenizer, WORD_PATTERNS } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';
import { loadBack, SHAKESPEARE } from './helpers.js';

const lines = SHAKESPEARE.split('\n');

describe('tokenizer training: words', () => {
  it('one id per word or punctuation mark, most frequent first; unknown words become [UNK] whole', async () => {
    const trained = trainWordTokenizer(['the cat sat on the mat .', 'the dog sat .'], {});
    assert.deepEqual(tokenizerVocab(trained.json), ['[PAD]', '[UNK]', 'the', '.', 'sat', 'cat', 'dog', 'mat', 'on']);
    const tok = await loadBack(trained);
    assert.deepEqual(tok.encode('the cats sat on a mat.'), [2, 1, 4, 8, 1, 7, 3]);
    assert.equal(tok.decode(tok.encode('the dog sat on the mat.')), 'the dog sat on the mat.');
    assert.deepEqual(tok.special, { pad: 0, unk: 1 });
  });

  it('lowercasing and accent stripping, as asked; vocabSize and minFrequency limits', async () => {
    const trained = trainWordTokenizer(['Café CAFÉ café naïve'], {
      normalize: { lowercase: true, stripAccents: true },
    });
    assert.deepEqual(tokenizerVocab(trained.json), ['[PAD]', '[UNK]', 'cafe', 'naive']);
    const tok = await loadBack(trained);
    assert.deepEqual(tok.encode('CAFE Naïve café'), [2, 3, 2]);
    assert.deepEqual(tokenizerVocab(trainWordTokenizer(['a a a b b c'], { vocabSize: 3 }).json), [
      '[PAD]',
      '[UNK]',
      'a',
    ]);
    assert.deepEqual(tokenizerVocab(trainWordTokenizer(['a a a b b c'], { minFrequency: 2 }).json), [
      '[PAD]',
      '[UNK]',
      'a',
      'b',
    ]);
  });

  it('english-clitics splits as the Penn Treebank does, so ordinary text meets an SST-style vocabulary', async () => {
    const sst = ["it 's a charming film , but it does n't last .", "i do n't like it"];
    const trained = trainWordTokenizer(sst, {
      split: 'english-clitics',
      normalize: { lowercase: true, asciiQuotes: true },
    });
    const tok = await loadBack(trained);
    const vocab = tokenizerVocab(trained.json);
    const words = (text: string) => tok.encode(text).map((id) => vocab[id]);
    assert.deepEqual(words("It's a charming film, but it DOESN'T last."), [
      'it',
      "'s",
      'a',
      'charming',
      'film',
      ',',
      'but',
      'it',
      'does',
      "n't",
      'last',
      '.',
    ]);
    assert.deepEqual(words('I don’t like it'), ['i', 'do', "n't", 'like', 'it']);
    assert.deepEqual(splitWords("can't won't o'clock", WORD_PATTERNS['english-clitics']), [
      'ca',
      "n't",
      'wo',
      "n't",
      'o',
      "'",
      'clock',
    ]);
    assert.deepEqual(splitWords("don't", WORD_PATTERNS['words-punctuation']), ['don', "'", 't']);
  });

  it('extraWords: known beside the corpus, in order, skipping duplicates and words the tokenizer could never produce', async () => {
    const extra = ['the', 'superb', 'Dreadful', 'e-mail', "n't", 'dreadful', 'superb', ''];
    const trained = trainWordTokenizer(['the film the good'], {
      split: 'english-clitics',
      normalize: { lowercase: true },
      extraWords: extra,
      vocabSize: 4,
    });
    // vocabSize keeps two corpus words (not 'good') and does not limit the extra ones; 'Dreadful' is not lowercased and 'e-mail' is two words and a dash.
    assert.deepEqual(tokenizerVocab(trained.json), ['[PAD]', '[UNK]', 'the', 'film', 'superb', "n't", 'dreadful']);
    assert.equal(trained.stats.extra, 3);
    const tok = await loadBack(trained);
    assert.deepEqual(tok.encode('A SUPERB film, not dreadful'), [1, 4, 3, 1, 1, 6]);
  });

  it('property: the plugin cuts text exactly as the trainer did (ids of known words, [UNK] for others)', async () => {
    const trained = trainWordTokenizer(lines, { minFrequency: 2 });
    const tok = await loadBack(trained);
    const vocab = tokenizerVocab(trained.json);
    const id = new Map(vocab.map((w, i) => [w, i]));
    const pieces = [...new Set(lines.flatMap((l) => l.split(/\s+/)).filter(Boolean))];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('zebra', 'é', '😀', '!!')), { maxLength: 20 }),
        (ws) => {
          const text = ws.join(' ');
          const ids = tok.encode(text);
          assert.ok(ids.every((i) => i >= 0 && i < tok.vocabSize));
          assert.deepEqual(
            ids,
            splitWords(text, WORD_PATTERNS['words-punctuation']).map((w) => id.get(w) ?? 1),
          );
        },
      ),
    );
  });

  it('needs an unknown token; a bad split is a coded error', () => {
    throwsWithCode(() => trainWordTokenizer(['a b'], { specialTokens: ['[PAD]'] }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
    throwsWithCode(() => trainWordTokenizer(['a b'], { split: 'words' as never }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
    throwsWithCode(() => trainWordTokenizer(['a b'], { split: { regex: '(' } }), 'RECUR_E_TOKENIZER_TRAIN_OPTIONS');
    throwsWithCode(() => trainWordTokenizer(['   '], {}), 'RECUR_E_TOKENIZER_TRAIN_EMPTY_CORPUS');
  });
});
