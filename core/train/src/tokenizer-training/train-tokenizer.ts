import { TrainErrors } from '../errors.js';
import { trainBpeTokenizer, type BpeTokenizerOptions } from './bpe-tokenizer.js';
import { trainCharTokenizer } from './char-tokenizer.js';
import type { TokenizerTrainOptions, TrainedTokenizer } from './common-options.js';
import { trainWordTokenizer, type WordTokenizerOptions } from './word-tokenizer.js';

/** A tokenizer to train, as a spec's `train.tokenizer` block would name it. */
export type TokenizerTrainRequest =
  | ({ readonly kind: 'char' } & TokenizerTrainOptions)
  | ({ readonly kind: 'word' } & WordTokenizerOptions)
  | ({ readonly kind: 'bpe' } & BpeTokenizerOptions);

/** Trains the tokenizer the request names on the corpus (one string per text; a language model's stream as one). */
export function trainTokenizer(corpus: Iterable<string>, request: TokenizerTrainRequest): TrainedTokenizer {
  switch (request.kind) {
    case 'char':
      return trainCharTokenizer(corpus, request);
    case 'word':
      return trainWordTokenizer(corpus, request);
    case 'bpe':
      return trainBpeTokenizer(corpus, request);
    default:
      throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(
        `unknown tokenizer kind ${JSON.stringify((request as { kind: unknown }).kind)}`,
        { expected: 'char, word or bpe', suggestions: ['char', 'word', 'bpe'] },
      );
  }
}
