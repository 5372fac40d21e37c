import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { memoryLogger } from '@recur/runtime';
import { tokenizerFromJson } from '@recur/tokenizers';
import { TOKENIZER_NAMES, fixtureTokenizer } from './fixtures.js';
import { throwsWithCode } from '../helpers/coded-error.js';

const BAD_INPUTS: Record<string, string> = {
  empty: '',
  spaces: '   \t\n  ',
  'lone high surrogate': '\uD800',
  'lone low surrogate in a word': 'a\uDC00b',
  'reversed surrogates': '\uDC00\uD800',
  'C0 controls and DEL': '\u0000\u0001\u0007\u001b\u001f\u007f',
  'C1 controls': '\u0080\u0085\u009f',
  'zero-width characters': '\u200B\u200C\u200D\u2060\uFEFF',
  'RTL and LTR marks, overrides': '\u202Eשלום\u200F abc\u200E\u2066x\u2069',
  'emoji ZWJ sequences and flags': '👩‍👩‍👧‍👦🏳️‍🌈🇺🇳👍🏽',
  'combining marks pile-up': 'e' + '\u0301'.repeat(200),
  'special-token look-alikes': '[CLS] [SEP] [PAD] <s></s><pad><unk><|endoftext|> ##ing ▁Ġ',
  'private use and noncharacters': '\uE000\uF8FF\uFFFE\uFFFF\u{10FFFF}',
  'replacement character': '\uFFFD',
  'CJK and Thai without spaces': '日本語のテキストภาษาไทย',
  '100,000 characters without spaces': 'x'.repeat(100_000),
};

describe('tokenizer.json: never throws on any string', () => {
  for (const name of TOKENIZER_NAMES) {
    it(`${name}: every bad input gives ids in [0, vocabSize), and decodes`, async () => {
      const tok = await fixtureTokenizer(name);
      for (const [what, text] of Object.entries(BAD_INPUTS)) {
        const ids = tok.encode(text);
        assert.ok(
          ids.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize),
          `${what}: ${ids.slice(0, 10)}`,
        );
        assert.equal(typeof tok.decode(ids), 'string', what);
        if (text.length < 1000) assert.equal(typeof tok.decode(ids, { skipSpecialTokens: true }), 'string', what);
      }
    });
  }

  it('decode never throws either: empty lists, ids out of range, fractions, NaN', async () => {
    const tok = await fixtureTokenizer('gpt2');
    assert.equal(tok.decode([]), '');
    assert.equal(tok.decode([-1, 1.5, Number.NaN, 10_000_000]), '');
    assert.equal(
      tok.decode([15496, 99_999_999, 995]),
      'Hello world',
      'unknown ids are skipped, as the Rust library does',
    );
    assert.equal(tok.decode([1.5, 15496]), 'Hello');
  });

  it('refuses a value that is not a string with RECUR_E_INPUT_INVALID', async () => {
    const tok = await fixtureTokenizer('bert-base-uncased');
    for (const bad of [null, undefined, 42, {}, ['a']]) {
      throwsWithCode(() => tok.encode(bad as string), 'RECUR_E_INPUT_INVALID');
    }
  });

  it('encodes in pieces where the library itself throws (Unigram overflows the stack on a 200,000-character word)', () => {
    const logger = memoryLogger();
    const unigram = {
      version: '1.0',
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      added_tokens: [{ id: 0, content: '<unk>', special: true }],
      model: {
        type: 'Unigram',
        unk_id: 0,
        vocab: [
          ['<unk>', 0],
          ['a', -1],
          ['b', -2],
        ],
      },
    };
    const tok = tokenizerFromJson(unigram, 'unigram.json', {}, logger);
    const ids = tok.encode('ab'.repeat(100_000));
    assert.equal(ids.length, 200_000);
    assert.deepEqual(ids.slice(0, 4), [1, 2, 1, 2]);
    assert.equal(logger.lines.length, 1);
    assert.match(
      logger.lines[0].msg,
      /unigram\.json: the library failed on a text of 200000 characters; encoded it in pieces/,
    );
  });

  it('drops the undefined ids the library returns for a WordPiece file without an unknown token', () => {
    const wordPiece = {
      version: '1.0',
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: {
        type: 'WordPiece',
        vocab: { a: 0, b: 1, '##b': 2 },
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
      },
    };
    const tok = tokenizerFromJson(wordPiece, 'wp.json', {}, memoryLogger());
    assert.deepEqual(tok.encode('ab z a'), [0, 2, 0]);
    assert.deepEqual(tok.special, {});
  });
});

/** One code point of any kind, lone surrogates and special-token strings included. */
const anyUnit = fc.oneof(
  fc
    .integer({ min: 0, max: 0x10ffff })
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(' ', '\n', '\u200d', '[CLS]', '[SEP]', '<s>', '</s>', '<|endoftext|>', '##', '▁', 'Ġ'),
);

describe('tokenizer.json: properties (fast-check)', () => {
  for (const name of TOKENIZER_NAMES) {
    it(`${name}: ids are integers in [0, vocabSize) for any string`, async () => {
      const tok = await fixtureTokenizer(name);
      fc.assert(
        fc.property(fc.string({ unit: anyUnit, maxLength: 40 }), (text) =>
          tok.encode(text).every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize),
        ),
        { numRuns: 150 },
      );
    });
  }

  it('gpt2: decode(encode(x)) === x for every string without lone surrogates', async () => {
    const tok = await fixtureTokenizer('gpt2');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        assert.equal(tok.decode(tok.encode(text)), text);
      }),
      { numRuns: 200 },
    );
  });

  it('bert-base-uncased: decoding gives the normalized text (lowercase, accents stripped, whitespace collapsed)', async () => {
    const tok = await fixtureTokenizer('bert-base-uncased');
    const letter = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàáâäçèéêëìíîïñòóôöùúûüÀÉÎÕÜ',
    );
    const word = fc.string({ unit: letter, minLength: 1, maxLength: 12 });
    const gap = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u3000'), minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.tuple(word, gap), { minLength: 1, maxLength: 8 }), (parts) => {
        const text = parts.map(([w, g]) => w + g).join('');
        const normalized = parts
          .map(([w]) =>
            w
              .normalize('NFD')
              .replace(/\p{Mn}/gu, '')
              .toLowerCase(),
          )
          .join(' ');
        assert.equal(tok.decode(tok.encode(text), { skipSpecialTokens: true }), normalized);
      }),
      { numRuns: 200 },
    );
  });
});
