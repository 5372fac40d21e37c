import { TrainErrors } from '../errors.js';

/** Language-model figures of an evaluated text. */
export interface LanguageModelScores {
  /** Total negative log-likelihood, in nats, of the predicted tokens. */
  readonly nll: number;
  /** Number of predicted tokens. */
  readonly tokens: number;
  /** Number of characters (Unicode code points) the predicted tokens spell. */
  readonly chars: number;
  /** `nats_per_char` (docs/reference/metrics.md): nll / chars. Comparable across tokenizers. */
  readonly natsPerChar: number;
  /** natsPerChar / ln 2. */
  readonly bitsPerChar: number;
  /** exp(nll / tokens): per-token perplexity (for a character model, exp(natsPerChar)). */
  readonly perplexity: number;
}

/**
 * Accumulates a language model's negative log-likelihood over a text read as one stream (the
 * recurrent state carried from chunk to chunk by the caller), and turns it into `nats_per_char` and
 * perplexity. Per chunk, give the log-probabilities the model assigned to the true next tokens, and
 * the number of characters those tokens spell: for a character model the number of predicted
 * tokens; for a text of N characters read without a start token, N - 1 over the whole stream.
 */
export class NllAccumulator {
  private nll = 0;
  private tokens = 0;
  private chars = 0;

  /** Adds a chunk's total NLL (nats, >= 0), its token count and its character count. */
  add(nll: number, tokens: number, chars: number): void {
    if (!Number.isFinite(nll) || nll < 0)
      throw TrainErrors.EVAL_INPUT_INVALID(`a negative log-likelihood must be a finite number >= 0, got ${nll}`);
    if (!Number.isInteger(tokens) || tokens < 0 || !Number.isInteger(chars) || chars < 0) {
      throw TrainErrors.EVAL_INPUT_INVALID(
        `token and character counts must be integers >= 0, got ${tokens} and ${chars}`,
      );
    }
    this.nll += nll;
    this.tokens += tokens;
    this.chars += chars;
  }

  /** Adds the log-probabilities (natural log) of the true next tokens of a chunk, and the characters they spell. */
  addTargetLogProbs(logProbs: ArrayLike<number>, chars: number): void {
    let sum = 0;
    for (let i = 0; i < logProbs.length; i++) sum -= logProbs[i];
    // A log-probability is <= 0; rounding in a log-softmax can give +1e-7.
    this.add(Math.max(0, sum), logProbs.length, chars);
  }

  result(): LanguageModelScores {
    if (this.chars === 0 || this.tokens === 0)
      throw TrainErrors.EVAL_INPUT_INVALID('nothing was evaluated: no predicted tokens or characters');
    const natsPerChar = this.nll / this.chars;
    return {
      nll: this.nll,
      tokens: this.tokens,
      chars: this.chars,
      natsPerChar,
      bitsPerChar: natsPerChar / Math.LN2,
      perplexity: Math.exp(this.nll / this.tokens),
    };
  }
}

/** Characters as `nats_per_char` counts them: Unicode code points (a surrogate pair is one). */
export function countChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Log-probabilities of `targets` under rows of logits ([rows, vocab], row-major), by a stable
 * log-softmax: for the engine or an evaluation loop that gets logits rather than log-probabilities.
 */
export function targetLogProbs(
  logits: ArrayLike<number>,
  vocab: number,
  targets: ArrayLike<number | bigint>,
): Float64Array {
  const rows = targets.length;
  if (logits.length !== rows * vocab)
    throw TrainErrors.EVAL_INPUT_INVALID(`${logits.length} logits do not make ${rows} rows of ${vocab}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * vocab;
    let max = -Infinity;
    for (let k = 0; k < vocab; k++) if (logits[base + k] > max) max = logits[base + k]!;
    let sum = 0;
    for (let k = 0; k < vocab; k++) sum += Math.exp(logits[base + k] - max);
    const t = Number(targets[r]);
    if (!Number.isInteger(t) || t < 0 || t >= vocab)
      throw TrainErrors.EVAL_INPUT_INVALID(`target ${t} is outside the vocabulary of ${vocab}`);
    out[r] = logits[base + t] - max - Math.log(sum);
  }
  return out;
}
