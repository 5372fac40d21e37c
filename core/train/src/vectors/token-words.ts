import { BYTE_TO_CHAR } from '../tokenizer-training/byte-level.js';

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));
const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * The word a byte-level BPE token stands for (`Ġthe` -> `the`), for looking it up in word vectors;
 * undefined for a piece that is not whole UTF-8 or holds no letters or digits.
 */
export function byteLevelTokenToWord(token: string): string | undefined {
  const bytes: number[] = [];
  for (const ch of token) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  try {
    const text = strict.decode(Uint8Array.from(bytes)).trim();
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The word a WordPiece token stands for: a continuation piece (`##ing`) stands for none. */
export function wordPieceTokenToWord(token: string): string | undefined {
  return token.startsWith('##') ? undefined : token;
}
