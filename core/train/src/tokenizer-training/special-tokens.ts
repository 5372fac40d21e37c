import { TrainErrors } from '../errors.js';

/** Special-token sets for the shipped tasks; ids follow the order (the pad token gets id 0). */
export const SPECIAL_TOKENS = Object.freeze({
  /** Classification: padding and unknown words. */
  classification: Object.freeze(['[PAD]', '[UNK]']),
  /** Generation and translation: plus begin and end of sequence, which Recur's heads look up by name. */
  generation: Object.freeze(['[PAD]', '[UNK]', '<s>', '</s>']),
});

/** Checks a special-token list: non-empty strings, no duplicates. RECUR_E_TOKENIZER_TRAIN_OPTIONS otherwise. */
export function checkSpecialTokens(specials: readonly string[]): void {
  const seen = new Set<string>();
  for (const token of specials) {
    if (typeof token !== 'string' || token.length === 0)
      throw TrainErrors.TOKENIZER_TRAIN_OPTIONS('a special token must be a non-empty string', {
        expected: 'e.g. ["[PAD]", "[UNK]"]',
      });
    if (seen.has(token))
      throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(`the special token ${JSON.stringify(token)} is listed twice`);
    seen.add(token);
  }
}

/** Checks that a `wrap` names special tokens of the list. */
export function checkWrap(
  wrap: { readonly bos?: string; readonly eos?: string } | undefined,
  specials: readonly string[],
): void {
  for (const token of [wrap?.bos, wrap?.eos]) {
    if (token !== undefined && !specials.includes(token)) {
      throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(
        `wrap names ${JSON.stringify(token)}, which is not one of the special tokens (${specials.join(', ')})`,
        { expected: specials.join(', ') },
      );
    }
  }
}

/** Checks the vocabulary size against what the tokenizer needs at least. */
export function checkVocabSize(vocabSize: number | undefined, atLeast: number, what: string): void {
  if (vocabSize === undefined) return;
  if (!Number.isInteger(vocabSize) || vocabSize < atLeast) {
    throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(`vocabSize ${vocabSize} is too small: ${what} need ${atLeast} ids`, {
      expected: `an integer >= ${atLeast}`,
    });
  }
}

/** Checks a minimum frequency. */
export function checkMinFrequency(minFrequency: number | undefined): void {
  if (minFrequency !== undefined && (!Number.isInteger(minFrequency) || minFrequency < 1)) {
    throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(`minFrequency must be an integer >= 1, got ${minFrequency}`, {
      expected: 'an integer >= 1',
    });
  }
}
