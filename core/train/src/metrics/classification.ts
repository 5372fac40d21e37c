import { TrainErrors } from '../errors.js';

/** Precision, recall and F1 of one label, one-vs-rest. */
export interface LabelScores {
  readonly label: string;
  /** Of the items predicted as this label, the share that are (0 when none was predicted). */
  readonly precision: number;
  /** Of the items of this label, the share predicted as it (0 when there are none). */
  readonly recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: number;
  /** Number of gold items of this label. */
  readonly support: number;
}

/** What `recur eval` reports for a classifier. */
export interface ClassificationReport {
  readonly labels: readonly string[];
  readonly count: number;
  readonly accuracy: number;
  readonly perLabel: readonly LabelScores[];
  /** Unweighted means over the labels (scikit-learn's `average='macro'`, zero_division=0). */
  readonly macroPrecision: number;
  readonly macroRecall: number;
  readonly macroF1: number;
  /** `confusion[gold][predicted]`: counts, rows the true labels, columns the predictions. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Accumulates (gold, predicted) label pairs batch by batch and reports accuracy, per-label
 * precision/recall/F1, macro averages and the confusion matrix. A ratio whose denominator is 0
 * counts as 0, as scikit-learn's `zero_division=0` does.
 */
export class ConfusionMatrix {
  private readonly counts: number[][];
  private total = 0;

  constructor(readonly labels: readonly string[]) {
    this.counts = labels.map(() => labels.map(() => 0));
  }

  /** Adds one item. RECUR_E_EVAL_LABEL_INVALID for an index outside the labels. */
  add(gold: number, predicted: number): void {
    this.check(gold, 'gold');
    this.check(predicted, 'predicted');
    this.counts[gold][predicted] += 1;
    this.total += 1;
  }

  /** Adds aligned lists. RECUR_E_EVAL_LENGTH_MISMATCH when their lengths differ. */
  addAll(gold: readonly number[], predicted: readonly number[]): void {
    if (gold.length !== predicted.length) {
      throw TrainErrors.EVAL_LENGTH_MISMATCH(`${gold.length} gold label(s) but ${predicted.length} prediction(s)`, {
        expected: 'one prediction per gold label',
      });
    }
    gold.forEach((g, i) => {
      this.add(g, predicted[i]);
    });
  }

  report(): ClassificationReport {
    const n = this.labels.length;
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    let correct = 0;
    const perLabel: LabelScores[] = this.labels.map((label, k) => {
      const tp = this.counts[k][k];
      correct += tp;
      const support = this.counts[k].reduce((a, b) => a + b, 0);
      const predictedAs = this.counts.reduce((sum, row) => sum + row[k], 0);
      const precision = ratio(tp, predictedAs);
      const recall = ratio(tp, support);
      return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
    });
    const mean = (pick: (s: LabelScores) => number) =>
      ratio(
        perLabel.reduce((a, s) => a + pick(s), 0),
        n,
      );
    return {
      labels: this.labels,
      count: this.total,
      accuracy: ratio(correct, this.total),
      perLabel,
      macroPrecision: mean((s) => s.precision),
      macroRecall: mean((s) => s.recall),
      macroF1: mean((s) => s.f1),
      confusion: this.counts.map((row) => [...row]),
    };
  }

  private check(label: number, role: string): void {
    if (!Number.isInteger(label) || label < 0 || label >= this.labels.length) {
      throw TrainErrors.EVAL_LABEL_INVALID(
        `${role} label ${label} is not an index into the ${this.labels.length} labels`,
        { expected: `an integer in [0, ${this.labels.length})` },
      );
    }
  }
}

/** The classification report of aligned gold and predicted label indices. */
export function classificationReport(
  gold: readonly number[],
  predicted: readonly number[],
  labels: readonly string[],
): ClassificationReport {
  const matrix = new ConfusionMatrix(labels);
  matrix.addAll(gold, predicted);
  return matrix.report();
}
