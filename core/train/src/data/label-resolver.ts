import { nearestNames } from '@recur/runtime/internal';

/**
 * Maps a label as a data file writes it to its index in the spec's `labels`. A label is accepted
 * as a name (`"positive"`) or as an index into the labels (`"1"`, or the JSON number 1). Names win
 * over indices, so labels that are themselves digits (`["1", "2", "3"]`) keep their meaning as names.
 */
export class LabelResolver {
  private readonly byName: ReadonlyMap<string, number>;

  constructor(readonly labels: readonly string[]) {
    this.byName = new Map(labels.map((name, i) => [name, i]));
  }

  /** The label's index, or undefined when it names no label. */
  resolve(value: string | number): number | undefined {
    if (typeof value === 'number')
      return Number.isInteger(value) && value >= 0 && value < this.labels.length ? value : undefined;
    const trimmed = value.trim();
    const named = this.byName.get(trimmed);
    if (named !== undefined) return named;
    if (/^\d+$/.test(trimmed)) {
      const index = Number(trimmed);
      if (index < this.labels.length) return index;
    }
    return undefined;
  }

  /** A message fragment for an unknown label: what exists and what is nearest. */
  describeUnknown(value: string | number): { message: string; expected: string; suggestions: string[] } {
    const shown = JSON.stringify(value);
    const expected = `one of ${this.labels.map((l) => JSON.stringify(l)).join(', ')} or an index 0..${this.labels.length - 1}`;
    const suggestions = typeof value === 'string' ? nearestNames(value.trim(), this.labels) : [];
    const hint =
      suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => JSON.stringify(s)).join(' or ')}?` : '';
    return { message: `label ${shown} is not in the spec's labels (${expected})${hint}`, expected, suggestions };
  }
}
