import { readFile } from 'node:fs/promises';

/** A curve of a training run: `[step, value]` points in step order. */
export type CurvePoints = readonly (readonly [number, number])[];

/** What the playground draws from a metrics log. */
export interface TrainingCurves {
  /** Training loss of the logged steps (`kind: "step"` records). */
  readonly loss: CurvePoints;
  /** Name of the dev metric (`accuracy`, `bleu`, `nats_per_char`), or undefined without dev records. */
  readonly devMetric: string | undefined;
  /** Dev metric at each evaluation (`kind: "dev"` records). */
  readonly dev: CurvePoints;
}

/**
 * Reads the loss and dev metric out of a `recur train` metrics log (JSON Lines). A resumed run logs
 * some steps again: the later record of a step wins. Lines that are not records of these kinds are
 * skipped, so a log from a newer version still draws.
 */
export async function readTrainingCurves(path: string): Promise<TrainingCurves> {
  const loss = new Map<number, number>();
  const dev = new Map<number, number>();
  let devMetric: string | undefined;
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const step = record['step'];
    if (typeof step !== 'number') continue;
    if (record['kind'] === 'step' && typeof record['loss'] === 'number') loss.set(step, record['loss']);
    if (record['kind'] === 'dev' && typeof record['value'] === 'number' && typeof record['metric'] === 'string') {
      devMetric = record['metric'];
      dev.set(step, record['value']);
    }
  }
  const points = (m: Map<number, number>): CurvePoints => [...m].sort((a, b) => a[0] - b[0]);
  return { loss: points(loss), devMetric, dev: points(dev) };
}
