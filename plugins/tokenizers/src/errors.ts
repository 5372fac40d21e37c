import { defineErrors } from '@recur/runtime';

/** The error table of @recur/tokenizers. Every code is documented in docs/reference/errors.md. */
export const E = defineErrors('@recur/tokenizers', {
  INVALID: {
    code: 'RECUR_E_TOKENIZER_INVALID',
    description:
      "The tokenizer file is not a Hugging Face tokenizer.json the tokenizer library can load (not JSON, or a model, normalizer or pre-tokenizer type it does not know); the message names the file and gives the library's reason.",
  },
});
