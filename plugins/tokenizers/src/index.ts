/** @recur/tokenizers: tokenizer parts. Register them explicitly: `registry.register(...builtinTokenizers)`. */
import { tokenizerJson } from './tokenizer-json.js';

export { tokenizerJson, tokenizerFromJson, readTokenizerJson, type TokenizerJsonOptions } from './tokenizer-json.js';
export { SafeTokenizer, type SafeTokenizerOptions } from './safe-tokenizer.js';
export { E as TokenizerErrors } from './errors.js';

/** Every tokenizer plugin of this package. */
export const builtinTokenizers = [tokenizerJson] as const;
