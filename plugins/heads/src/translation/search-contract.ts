/**
 * What greedy and beam search need from a model: one decoder step over a set of rows. Keeping the
 * search behind this interface makes it testable against small hand-made models.
 */
export interface StepModel {
  readonly vocabSize: number;
  /**
   * Runs one step and returns log-probabilities [rows, vocab] (row-major). Row i continues row
   * `parents[i]` of the previous call (on the first call: the sentence `parents[i]`) and feeds
   * `tokens[i]`. A parent may be continued by several rows (beams) or by none (finished rows leave).
   */
  step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array>;
  /**
   * Optional, the same step returning only each row's best `k` log-probabilities and their ids
   * [rows, min(k, vocab)], best first (ties: lower id first). Searches use it when the model has it:
   * it saves copying and scanning whole vocabulary rows.
   */
  stepTop?(tokens: readonly number[], parents: readonly number[], k: number): Promise<TopCandidates>;
}

/** The best candidates of each row of a step, [rows, k] row-major. */
export interface TopCandidates {
  readonly k: number;
  readonly logProbs: Float32Array;
  readonly ids: Int32Array;
}

/** One finished output of a sentence. */
export interface Hypothesis {
  /** Target ids, without the start and end-of-sentence tokens. */
  readonly tokens: readonly number[];
  /** Sum of the log-probabilities of the tokens (and of the end token, when it ended with one). */
  readonly logProb: number;
  /** logProb / length^lengthPenalty, where length counts the end token when there is one. */
  readonly score: number;
  /** Whether the sentence ended with the end-of-sentence token (false: it hit maxLength). */
  readonly ended: boolean;
}

export interface SearchSettingsResolved {
  /** Fed as the first token of every sentence. */
  readonly bos: number;
  readonly eos: number;
  /** Most tokens per sentence, the end token included. */
  readonly maxLength: number;
  readonly lengthPenalty: number;
  readonly signal?: AbortSignal;
}

export interface BeamSettings extends SearchSettingsResolved {
  readonly beam: number;
  /** Hypotheses returned per sentence, best first (at most `beam`). */
  readonly numReturn: number;
}

/** The normalised score of a hypothesis (transformers' `length_penalty` convention). */
export function normalisedScore(logProb: number, length: number, lengthPenalty: number): number {
  return logProb / Math.max(1, length) ** lengthPenalty;
}
