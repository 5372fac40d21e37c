/**
 * Text normalisation a trained tokenizer applies before it splits text, written into tokenizer.json
 * as Hugging Face normalizers and mirrored here in JavaScript so that training sees exactly the text
 * the tokenizer will see (both sides do `replaceAll`, `String.prototype.normalize`, remove `\p{M}`,
 * `toLowerCase`, in this order).
 */
export interface NormalizationOptions {
  /** Lowercase the text (Unicode `toLowerCase`). @defaultValue false */
  readonly lowercase?: boolean;
  /** Unicode NFKC: compatibility forms folded (ﬁ -> fi, full-width -> ASCII). @defaultValue false */
  readonly nfkc?: boolean;
  /**
   * Remove accents: decompose (NFD, or NFKD with `nfkc`), drop every combining mark (`\p{M}`), compose
   * again. As in BERT's uncased tokenizers this also drops marks that are not accents in some scripts
   * (Devanagari vowel signs): leave it off for such text. @defaultValue false
   */
  readonly stripAccents?: boolean;
  /**
   * Replace typographic quotes with ASCII ones (’ ‘ -> ', “ ” -> "), so that `don’t` meets a
   * vocabulary learnt from `don't`. @defaultValue false
   */
  readonly asciiQuotes?: boolean;
}

/** Typographic quotes and their ASCII replacements, for `asciiQuotes`. */
const QUOTES: readonly (readonly [string, string])[] = [
  ['\u2019', "'"],
  ['\u2018', "'"],
  ['\u201c', '"'],
  ['\u201d', '"'],
];

type NormalizerJson = { type: string; [key: string]: unknown };

/** The tokenizer.json `normalizer` block for the options, or null when there is nothing to do. */
export function normalizerJson(options: NormalizationOptions = {}): NormalizerJson | null {
  const steps: NormalizerJson[] = [];
  if (options.asciiQuotes)
    for (const [from, to] of QUOTES) steps.push({ type: 'Replace', pattern: { String: from }, content: to });
  if (options.stripAccents) {
    steps.push(
      { type: options.nfkc ? 'NFKD' : 'NFD' },
      { type: 'StripAccents' },
      { type: options.nfkc ? 'NFKC' : 'NFC' },
    );
  } else if (options.nfkc) {
    steps.push({ type: 'NFKC' });
  }
  if (options.lowercase) steps.push({ type: 'Lowercase' });
  if (steps.length === 0) return null;
  return steps.length === 1 ? steps[0] : { type: 'Sequence', normalizers: steps };
}

/** The JavaScript function equal to {@link normalizerJson}'s normalizers, for counting the training corpus. */
export function normalizerFunction(options: NormalizationOptions = {}): (text: string) => string {
  const { lowercase = false, nfkc = false, stripAccents = false, asciiQuotes = false } = options;
  return (text) => {
    let out = text;
    if (asciiQuotes) for (const [from, to] of QUOTES) out = out.replaceAll(from, to);
    if (stripAccents)
      out = out
        .normalize(nfkc ? 'NFKD' : 'NFD')
        .replace(/\p{M}/gu, '')
        .normalize(nfkc ? 'NFKC' : 'NFC');
    else if (nfkc) out = out.normalize('NFKC');
    if (lowercase) out = out.toLowerCase();
    return out;
  };
}
