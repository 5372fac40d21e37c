import { fileURLToPath } from 'node:url';
import { memoryLogger, type TokenizerPart } from '@recur/runtime';
import { readTokenizerJson } from '@recur/tokenizers';

export const TOKENIZER_NAMES = ['bert-base-uncased', 'gpt2', 'roberta-base', 't5-small'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/tokenizers/${name}/tokenizer.json`, import.meta.url));
}

const cache = new Map<string, Promise<TokenizerPart>>();

/** Each fixture tokenizer is loaded once per test run (loading takes 0.1-0.2 s each). */
export function fixtureTokenizer(name: TokenizerName): Promise<TokenizerPart> {
  let pending = cache.get(name);
  if (!pending) {
    pending = readTokenizerJson(fixturePath(name), {}, memoryLogger());
    cache.set(name, pending);
  }
  return pending;
}
