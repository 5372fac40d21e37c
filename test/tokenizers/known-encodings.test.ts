import { strict as assert } from 'node:assert';
import { fixtureTokenizer } from './fixtures.js';

/**
 * Expected ids were computed once with @huggingface/tokenizers 0.2.0 and cross-checked against data
 * nobody here produced: the ids SOURCE.txt records from @huggingface/transformers 4.3.1, and the
 * vocabulary files shipped beside each tokenizer.json (bert vocab.txt line numbers, gpt2 and roberta
 * vocab.json entries) for the tokens listed.
 */
describe('tokenizer.json: known encodings', () => {
  it('bert-base-uncased: WordPiece with [CLS]/[SEP], lowercasing and accent stripping', async () => {
    const tok = await fixtureTokenizer('bert-base-uncased');
    // SOURCE.txt: [CLS] token ##ization of una ##ffa ##ble hyper ##para ##meter ##s [SEP].
    const ids = [101, 19204, 3989, 1997, 14477, 20961, 3468, 23760, 28689, 22828, 2015, 102];
    assert.deepEqual(tok.encode('Tokenization of unaffable hyperparameters'), ids);
    // Line id+1 of the hub's vocab.txt (sha256 07eced37...) holds each of these tokens.
    const vocabTxt = [
      '[CLS]',
      'token',
      '##ization',
      'of',
      'una',
      '##ffa',
      '##ble',
      'hyper',
      '##para',
      '##meter',
      '##s',
      '[SEP]',
    ];
    assert.deepEqual(
      vocabTxt.map((t) => tok.tokenToId(t)),
      ids,
    );
    assert.deepEqual(tok.encode('Hello world!'), [101, 7592, 2088, 999, 102]); // hello, world, ! = vocab.txt lines 7593, 2089, 1000
    assert.deepEqual(
      tok.encode('The quick brown fox jumps over the lazy dog.'),
      [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102],
    );
    assert.deepEqual(
      tok.encode("Don't panic: 42 naïve cafés."),
      [101, 2123, 1005, 1056, 6634, 1024, 4413, 15743, 23812, 1012, 102],
    );
    assert.equal(tok.decode(tok.encode('Héllo WORLD!'), { skipSpecialTokens: true }), 'hello world!');
    assert.equal(tok.decode([101, 7592, 102]), '[CLS] hello [SEP]');
  });

  it('gpt2: byte-level BPE, no special tokens added, exact decoding', async () => {
    const tok = await fixtureTokenizer('gpt2');
    assert.deepEqual(tok.encode('Hello world!'), [15496, 995, 0]); // SOURCE.txt; vocab.json: Hello 15496, Ġworld 995, ! 0
    assert.deepEqual(
      tok.encode('The quick brown fox jumps over the lazy dog.'),
      [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13],
    );
    assert.deepEqual(
      ['Ġquick', 'Ġbrown', 'Ġfox', 'Ġthe'].map((t) => tok.tokenToId(t)),
      [2068, 7586, 21831, 262],
    ); // vocab.json
    assert.deepEqual(tok.encode('a<|endoftext|>b'), [64, 50256, 65]);
    assert.equal(tok.decode([15496, 995, 0]), 'Hello world!');
    assert.equal(tok.decode([64, 50256, 65], { skipSpecialTokens: true }), 'ab');
  });

  it('roberta-base: byte-level BPE with <s>/</s> from an original file whose model has no type', async () => {
    const tok = await fixtureTokenizer('roberta-base');
    assert.deepEqual(tok.encode('Hello world!'), [0, 31414, 232, 328, 2]); // vocab.json: Hello 31414, Ġworld 232, ! 328
    assert.deepEqual(
      tok.encode('The quick brown fox jumps over the lazy dog.'),
      [0, 133, 2119, 6219, 23602, 13855, 81, 5, 22414, 2335, 4, 2],
    );
    assert.deepEqual(
      ['Ġquick', 'Ġbrown', 'Ġfox', 'Ġthe'].map((t) => tok.tokenToId(t)),
      [2119, 6219, 23602, 5],
    ); // vocab.json
    assert.equal(tok.decode([0, 31414, 232, 328, 2], { skipSpecialTokens: true }), 'Hello world!');
    assert.equal(tok.decode([0, 31414, 2]), '<s>Hello</s>');
  });

  it('t5-small: Unigram with a Precompiled normalizer and Metaspace, </s> appended', async () => {
    const tok = await fixtureTokenizer('t5-small');
    assert.deepEqual(tok.encode('Hello world!'), [8774, 296, 55, 1]); // SOURCE.txt: "Hello" -> 8774 ... </s>=1
    assert.deepEqual(
      tok.encode('The quick brown fox jumps over the lazy dog.'),
      [37, 1704, 4216, 3, 20400, 4418, 7, 147, 8, 19743, 1782, 5, 1],
    );
    assert.equal(tok.tokenToId('▁Hello'), 8774);
    assert.equal(tok.decode([8774, 296, 55, 1], { skipSpecialTokens: true }), 'Hello world!');
  });

  it('finds the special ids from the added tokens', async () => {
    assert.deepEqual((await fixtureTokenizer('bert-base-uncased')).special, { pad: 0, unk: 100, bos: 101, eos: 102 });
    assert.deepEqual((await fixtureTokenizer('gpt2')).special, { bos: 50256, eos: 50256 });
    assert.deepEqual((await fixtureTokenizer('roberta-base')).special, { pad: 1, unk: 3, bos: 0, eos: 2 });
    assert.deepEqual((await fixtureTokenizer('t5-small')).special, { pad: 0, unk: 2, eos: 1 });
  });

  it('reports the vocabulary size including added tokens', async () => {
    assert.equal((await fixtureTokenizer('bert-base-uncased')).vocabSize, 30522);
    assert.equal((await fixtureTokenizer('gpt2')).vocabSize, 50257);
    assert.equal((await fixtureTokenizer('roberta-base')).vocabSize, 50265);
    assert.equal((await fixtureTokenizer('t5-small')).vocabSize, 32100);
  });

  it('tokenToId answers undefined for strings outside the vocabulary, prototype names included', async () => {
    const tok = await fixtureTokenizer('gpt2');
    for (const t of ['not-a-token-at-all', '__proto__', 'constructor', ''])
      assert.equal(tok.tokenToId(t), undefined, t);
  });
});
