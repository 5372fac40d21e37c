import { TrainErrors } from '../errors.js';

/** Word characters: letters, combining marks, digits and the underscore, in any script. */
const W = '\\p{L}\\p{M}\\p{N}_';

/** One case-insensitive letter as a character class, so that the patterns need no `i` flag. */
const ci = (word: string) => [...word].map((c) => `[${c}${c.toUpperCase()}]`).join('');
const APOSTROPHE = "['\u2019]";

/**
 * Word-splitting patterns of the word tokenizer (the tokenizer.json pre-tokenizer is a `Split` on the
 * same regular expression, so training and encoding cut text identically):
 * - `words-punctuation`: runs of word characters, and each other non-space character alone
 *   (`don't` -> `don ' t`);
 * - `english-clitics`: as above, but English clitics are split off as the Penn Treebank does, which is
 *   how SST-2 and other PTB-tokenised corpora are written (`don't` -> `do n't`, `it's` -> `it 's`), so that
 *   ordinary text meets the vocabulary learnt from such a corpus.
 */
export const WORD_PATTERNS = Object.freeze({
  'words-punctuation': `[${W}]+|[^${W}\\s]`,
  'english-clitics': [
    `[${W}]+(?=${ci('n')}${APOSTROPHE}${ci('t')}(?![${W}]))`,
    `${ci('n')}${APOSTROPHE}${ci('t')}(?![${W}])`,
    `${APOSTROPHE}(?:${['s', 're', 've', 'm', 'll', 'd'].map(ci).join('|')})(?![${W}])`,
    `[${W}]+`,
    `[^${W}\\s]`,
  ].join('|'),
});

/** A named pattern or a regular expression of your own (`{ regex }`, JavaScript syntax with the `u` flag). */
export type WordSplit = keyof typeof WORD_PATTERNS | { readonly regex: string };

/** The regular expression source for a WordSplit; RECUR_E_TOKENIZER_TRAIN_OPTIONS for an unknown name or a bad regex. */
export function wordPattern(split: WordSplit): string {
  if (typeof split === 'object') {
    try {
      new RegExp(split.regex, 'gu');
    } catch (err) {
      throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(`the word-split regex does not compile: ${(err as Error).message}`, {
        expected: 'a JavaScript regular expression (u flag)',
      });
    }
    return split.regex;
  }
  const pattern = (WORD_PATTERNS as Record<string, string>)[split];
  if (pattern === undefined) {
    throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(`unknown word split ${JSON.stringify(split)}`, {
      expected: Object.keys(WORD_PATTERNS).join(', '),
      suggestions: Object.keys(WORD_PATTERNS),
    });
  }
  return pattern;
}

/** The words of a (normalised) text, as the tokenizer's Split pre-tokenizer will cut it. */
export function splitWords(text: string, pattern: string): string[] {
  return text.match(new RegExp(pattern, 'gu')) ?? [];
}

/** The tokenizer.json pre-tokenizer that keeps the pattern's matches and drops the rest (whitespace). */
export function splitPreTokenizer(pattern: string): Record<string, unknown> {
  return { type: 'Split', pattern: { Regex: pattern }, behavior: 'Removed', invert: true };
}
