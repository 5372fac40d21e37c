/** One label with its probability, as transformers.js's text-classification returns it. */
export interface LabelScore {
  readonly label: string;
  readonly score: number;
}

/** Softmax over one row of logits, highest first, cut to `topK` (all labels for `null`). */
export function labelScores(
  logits: ArrayLike<number>,
  offset: number,
  labels: readonly string[],
  topK: number | null,
): LabelScore[] {
  let max = -Infinity;
  for (let j = 0; j < labels.length; j++) max = Math.max(max, logits[offset + j]);
  let total = 0;
  const exps = labels.map((_, j) => {
    const e = Math.exp(logits[offset + j] - max);
    total += e;
    return e;
  });
  const scored = labels.map((label, j) => ({ label, score: exps[j] / total }));
  scored.sort((a, b) => b.score - a.score);
  return topK === null ? scored : scored.slice(0, Math.max(1, topK));
}
