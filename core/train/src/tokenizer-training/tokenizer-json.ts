import { writeFile } from 'node:fs/promises';
import { RuntimeErrors } from '@recur/runtime';

/** An entry of tokenizer.json's `added_tokens`. */
export interface AddedTokenJson {
  readonly id: number;
  readonly content: string;
  readonly single_word: boolean;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  readonly normalized: boolean;
  readonly special: boolean;
}

/** The Hugging Face tokenizer.json layout the trainers write (the fields @huggingface/tokenizers reads). */
export interface TokenizerJson {
  readonly version: '1.0';
  readonly truncation: null;
  readonly padding: null;
  readonly added_tokens: readonly AddedTokenJson[];
  readonly normalizer: Record<string, unknown> | null;
  readonly pre_tokenizer: Record<string, unknown> | null;
  readonly model: Record<string, unknown>;
  readonly post_processor: Record<string, unknown> | null;
  readonly decoder: Record<string, unknown> | null;
}

/** Special tokens become `added_tokens` with ids 0..n-1, matched verbatim (not normalised). */
export function addedTokens(specials: readonly string[]): AddedTokenJson[] {
  return specials.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
}

/**
 * A TemplateProcessing post-processor that puts `bos` before and `eos` after each text (either may
 * be absent), or null when neither is given. `ids` maps a special token to its id.
 */
export function wrapTemplate(
  wrap: { readonly bos?: string; readonly eos?: string } | undefined,
  ids: ReadonlyMap<string, number>,
): Record<string, unknown> | null {
  if (!wrap || (wrap.bos === undefined && wrap.eos === undefined)) return null;
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  const sequence = (id: 'A' | 'B') => ({ Sequence: { id, type_id: 0 } });
  const around = (inner: object[]) => [
    ...(wrap.bos !== undefined ? [special(wrap.bos)] : []),
    ...inner,
    ...(wrap.eos !== undefined ? [special(wrap.eos)] : []),
  ];
  const tokens = [wrap.bos, wrap.eos].filter((t): t is string => t !== undefined);
  return {
    type: 'TemplateProcessing',
    single: around([sequence('A')]),
    pair: around([sequence('A'), sequence('B')]),
    special_tokens: Object.fromEntries(tokens.map((t) => [t, { id: t, ids: [ids.get(t)!], tokens: [t] }])),
  };
}

/** Writes a tokenizer.json file (2-space indented, as Hugging Face saves them). RECUR_E_IO on failure. */
export async function writeTokenizerJson(path: string, json: TokenizerJson): Promise<void> {
  try {
    await writeFile(path, JSON.stringify(json, null, 2) + '\n', 'utf8');
  } catch (err) {
    throw RuntimeErrors.IO(
      `cannot write tokenizer file ${path}: ${(err as Error).message}`,
      { file: path },
      { cause: err },
    );
  }
}

/**
 * The token string of every id of a tokenizer.json (model vocabulary and added tokens), by id:
 * BPE and WordPiece `{token: id}` maps and Unigram `[piece, score]` lists. Ids with no token are ''.
 */
export function tokenizerVocab(json: unknown): string[] {
  const root = (json ?? {}) as { model?: { vocab?: unknown }; added_tokens?: unknown };
  const out: string[] = [];
  const vocab = root.model?.vocab;
  if (Array.isArray(vocab)) {
    vocab.forEach((entry, id) => {
      out[id] = Array.isArray(entry) ? String(entry[0]) : String(entry);
    });
  } else if (vocab && typeof vocab === 'object') {
    for (const [token, id] of Object.entries(vocab as Record<string, number>))
      if (Number.isInteger(id)) out[id] = token;
  }
  if (Array.isArray(root.added_tokens)) {
    for (const t of root.added_tokens as { id?: unknown; content?: unknown }[]) {
      if (Number.isInteger(t.id) && typeof t.content === 'string') out[t.id as number] = t.content;
    }
  }
  return Array.from(out, (t) => t ?? '');
}
