/** An evaluation report as `recur eval` prints it for people (`--json` prints the object itself). */
export interface EvalReport {
  readonly metric: string;
  readonly value: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

interface LabelRow {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/**
 * The metric first, then each detail on its line; a classification's per-label figures as a table
 * and its confusion matrix as a grid with the labels (rows: gold, columns: predicted).
 */
export function formatEvalReport(report: EvalReport): string {
  const lines = [`${report.metric}: ${report.value.toFixed(4)}`];
  const details = { ...(report.details ?? {}) };
  const perLabel = isLabelRows(details['perLabel']) ? details['perLabel'] : undefined;
  const confusion = isMatrix(details['confusion']) ? details['confusion'] : undefined;
  if (perLabel) delete details['perLabel'];
  if (confusion && perLabel && confusion.length === perLabel.length) delete details['confusion'];
  for (const [key, value] of Object.entries(details)) lines.push(`${key}: ${formatValue(value)}`);
  if (perLabel)
    lines.push(
      '',
      ...table(
        ['label', 'precision', 'recall', 'f1', 'support'],
        perLabel.map((r) => [r.label, r.precision.toFixed(4), r.recall.toFixed(4), r.f1.toFixed(4), String(r.support)]),
      ),
    );
  if (confusion && perLabel && confusion.length === perLabel.length) {
    const labels = perLabel.map((r) => r.label);
    lines.push(
      '',
      'confusion (rows: gold, columns: predicted)',
      ...table(
        ['', ...labels],
        confusion.map((row, i) => [labels[i], ...row.map(String)]),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number'))
    return value.map((v) => formatValue(v)).join(' ');
  return JSON.stringify(value);
}

/** Left-aligned first column, right-aligned numbers. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

function isLabelRows(v: unknown): v is LabelRow[] {
  return (
    Array.isArray(v) &&
    v.every(
      (r) =>
        r !== null &&
        typeof r === 'object' &&
        typeof (r as LabelRow).label === 'string' &&
        typeof (r as LabelRow).f1 === 'number',
    )
  );
}

function isMatrix(v: unknown): v is number[][] {
  return Array.isArray(v) && v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'));
}
