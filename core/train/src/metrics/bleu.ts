import { TrainErrors } from '../errors.js';

/**
 * The token pattern of Recur's BLEU: the `\w+|[^\w\s]` of docs/reference/metrics.md with `\w` read as Unicode word
 * characters. JavaScript's `\w` is ASCII-only even with the `u` flag (`ü` would split `Männer`), so
 * the class is spelled out as letters, digits and the underscore: `[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]`,
 * which is what Python 3's `re` means by `\w` on str (the convention of the published Multi30k
 * figures). Combining marks are not word characters in either, so text is best compared in NFC.
 */
export const BLEU_TOKEN_PATTERN = /[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;

/** BLEU's tokens of a text: lowercased, then words and single non-space symbols. */
export function bleuTokens(text: string): string[] {
  return text.toLowerCase().match(BLEU_TOKEN_PATTERN) ?? [];
}

/** Corpus BLEU-4 and its parts. */
export interface BleuResult {
  /** BLEU on the 0-100 scale of published figures (0.331 is reported as 33.1). */
  readonly bleu: number;
  /** Modified n-gram precisions p1..p4, each in [0, 1]. */
  readonly precisions: readonly number[];
  /** exp(1 - r/c) when the hypotheses are shorter than the references (c < r), else 1. */
  readonly brevityPenalty: number;
  /** c / r. */
  readonly lengthRatio: number;
  /** c: total hypothesis tokens. */
  readonly hypothesisLength: number;
  /** r: total reference tokens. */
  readonly referenceLength: number;
  /** Clipped n-gram matches and hypothesis n-gram counts, n = 1..4, summed over the corpus. */
  readonly matches: readonly number[];
  readonly totals: readonly number[];
}

const MAX_ORDER = 4;

/**
 * Accumulates corpus BLEU-4 sentence pair by sentence pair, as docs/reference/metrics.md defines it: one reference
 * per hypothesis, n-gram matches clipped by the reference's counts and summed over the corpus,
 * geometric mean of p1..p4 with no smoothing (any p_n = 0 gives BLEU 0), brevity penalty over the
 * corpus lengths, tokens from {@link bleuTokens}.
 */
export class BleuAccumulator {
  private readonly matches = new Array<number>(MAX_ORDER).fill(0);
  private readonly totals = new Array<number>(MAX_ORDER).fill(0);
  private hypLength = 0;
  private refLength = 0;

  /** Adds one hypothesis and its reference (raw text; tokenised here). */
  add(hypothesis: string, reference: string): void {
    this.addTokens(bleuTokens(hypothesis), bleuTokens(reference));
  }

  /** Adds one already tokenised pair. */
  addTokens(hyp: readonly string[], ref: readonly string[]): void {
    this.hypLength += hyp.length;
    this.refLength += ref.length;
    for (let n = 1; n <= MAX_ORDER; n++) {
      const refCounts = ngramCounts(ref, n);
      const hypCounts = ngramCounts(hyp, n);
      for (const [gram, count] of hypCounts) this.matches[n - 1] += Math.min(count, refCounts.get(gram) ?? 0);
      this.totals[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  }

  result(): BleuResult {
    const c = this.hypLength;
    const r = this.refLength;
    const precisions = this.matches.map((m, i) => (this.totals[i] > 0 ? m / this.totals[i] : 0));
    const brevityPenalty = c === 0 ? 0 : c < r ? Math.exp(1 - r / c) : 1;
    const logMean = precisions.every((p) => p > 0)
      ? precisions.reduce((a, p) => a + Math.log(p), 0) / MAX_ORDER
      : -Infinity;
    return {
      bleu: 100 * brevityPenalty * Math.exp(logMean),
      precisions,
      brevityPenalty,
      lengthRatio: r === 0 ? 0 : c / r,
      hypothesisLength: c,
      referenceLength: r,
      matches: [...this.matches],
      totals: [...this.totals],
    };
  }
}

/** Corpus BLEU-4 of aligned hypotheses and references. RECUR_E_EVAL_LENGTH_MISMATCH when their counts differ. */
export function corpusBleu(hypotheses: readonly string[], references: readonly string[]): BleuResult {
  if (hypotheses.length !== references.length) {
    throw TrainErrors.EVAL_LENGTH_MISMATCH(
      `${hypotheses.length} hypothesis(es) but ${references.length} reference(s)`,
      { expected: 'one reference per hypothesis' },
    );
  }
  const acc = new BleuAccumulator();
  hypotheses.forEach((h, i) => {
    acc.add(h, references[i]);
  });
  return acc.result();
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // Tokens are non-empty and a token holding U+0001 is that one character alone, so the key is unambiguous.
    const gram = tokens.slice(i, i + n).join('\u0001');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}
