import { Tokenizer as LibraryTokenizer } from '@huggingface/tokenizers';

/**
 * The part of @huggingface/tokenizers' `Tokenizer` that Recur uses, typed here. The package's own
 * declarations (0.2.0) import their modules without file extensions, which TypeScript's ESM resolution
 * cannot follow, so its class reaches the compiler untyped; this interface restores the types of the
 * members we call (taken from the package's `types/core/Tokenizer.d.ts`).
 */
export interface HfTokenizer {
  readonly model: { readonly vocab: readonly unknown[]; readonly unk_token_id?: number } | null;
  encode(text: string, options?: { add_special_tokens?: boolean }): { readonly ids: number[] };
  decode(ids: readonly number[], options?: { skip_special_tokens?: boolean }): string;
  token_to_id(token: string): number | undefined;
  id_to_token(id: number): string | undefined;
}

type HfTokenizerConstructor = new (json: object, config: { clean_up_tokenization_spaces: boolean }) => HfTokenizer;

/** Builds the library's tokenizer from a parsed tokenizer.json; throws what the library throws. */
export function newHfTokenizer(json: object, config: { clean_up_tokenization_spaces: boolean }): HfTokenizer {
  const Library = LibraryTokenizer as unknown as HfTokenizerConstructor;
  return new Library(json, config);
}
