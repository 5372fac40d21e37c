/**
 * GPT-2's byte-level alphabet: every byte 0..255 is shown as a printable character (printable
 * Latin-1 bytes as themselves, the others shifted to U+0100 and up; the space becomes `Ġ`), so that
 * a BPE vocabulary covers any text with 256 base symbols and never needs an unknown token. The
 * mapping is the one @huggingface/tokenizers' ByteLevel pre-tokenizer and decoder use.
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const out = new Array<string>(256);
  for (const b of printable) out[b] = String.fromCharCode(b);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (out[b] === undefined) out[b] = String.fromCharCode(256 + shifted++);
  }
  return out;
})();

/**
 * The ByteLevel pre-tokenizer's split (GPT-2's pattern, as @huggingface/tokenizers 0.2.0 writes it):
 * English contractions, a word or number or punctuation run with its leading space, and whitespace.
 */
export const BYTE_LEVEL_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** The pre-tokens of a text as the ByteLevel pre-tokenizer makes them: split, then each byte as its character. */
export function byteLevelWords(text: string): string[] {
  const pieces = text.match(BYTE_LEVEL_PATTERN) ?? [];
  return pieces.map((piece) => {
    let out = '';
    for (const byte of encoder.encode(piece)) out += BYTE_TO_CHAR[byte];
    return out;
  });
}

/** The tokenizer.json pre-tokenizer and decoder blocks of byte-level BPE. */
export const BYTE_LEVEL_JSON = Object.freeze({
  preTokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
});
