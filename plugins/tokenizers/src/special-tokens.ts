import type { TokenizerPart } from '@recur/runtime';

/** Token strings that mean each special role, in order of preference, across common vocabularies. */
const ROLE_TOKENS = {
  pad: ['[PAD]', '<pad>', '<|pad|>', '<|padding|>'],
  unk: ['[UNK]', '<unk>', '<|unk|>'],
  bos: ['<s>', '[CLS]', '<bos>', '<|startoftext|>', '<|begin_of_text|>', '<|endoftext|>'],
  eos: ['</s>', '[SEP]', '<eos>', '<|endoftext|>', '<|end_of_text|>', '<|eot_id|>'],
} as const;

/** An added token as tokenizer.json lists it. */
export interface AddedTokenEntry {
  readonly id: number;
  readonly content: string;
  readonly special?: boolean;
}

/**
 * The ids of the pad, unk, bos and eos tokens, from the tokenizer's added tokens. The model's own
 * unknown token (WordPiece, Unigram) wins for `unk`. GPT-2 style vocabularies have one
 * `<|endoftext|>` that is both bos and eos, and no unk or pad.
 */
export function findSpecialIds(
  added: readonly AddedTokenEntry[],
  modelUnkId: number | undefined,
): TokenizerPart['special'] {
  const byContent = new Map<string, number>();
  for (const t of added) if (!byContent.has(t.content)) byContent.set(t.content, t.id);
  const find = (role: keyof typeof ROLE_TOKENS) => {
    for (const content of ROLE_TOKENS[role]) {
      const id = byContent.get(content);
      if (id !== undefined) return id;
    }
    return undefined;
  };
  const unk = modelUnkId ?? find('unk');
  const special: { pad?: number; unk?: number; bos?: number; eos?: number } = {};
  const pad = find('pad');
  const bos = find('bos');
  const eos = find('eos');
  if (pad !== undefined) special.pad = pad;
  if (unk !== undefined) special.unk = unk;
  if (bos !== undefined) special.bos = bos;
  if (eos !== undefined) special.eos = eos;
  return Object.freeze(special);
}
