import { formatCount, formatDuration } from '@recur/train';

/**
 * The producer's progress: `chunks 3/12 | 1,234 lines/s | ETA 0:05`. On a terminal the line is
 * redrawn in place; elsewhere (logs, CI) a line is printed at most every few seconds.
 */
export class ProgressLine {
  private readonly began = performance.now();
  private lastPrint = 0;

  constructor(
    private readonly out: { write(s: string): unknown; isTTY?: boolean },
    private readonly totalChunks: number,
    private readonly totalLines: number,
    private readonly startLines: number,
  ) {}

  update(chunks: number, lines: number, final = false): void {
    const now = performance.now();
    const tty = this.out.isTTY === true;
    if (!final && now - this.lastPrint < (tty ? 200 : 5000)) return;
    this.lastPrint = now;
    const seconds = (now - this.began) / 1000;
    const rate = seconds > 0 ? (lines - this.startLines) / seconds : 0;
    const eta = rate > 0 ? (this.totalLines - lines) / rate : undefined;
    const text = `chunks ${chunks}/${this.totalChunks} | ${formatCount(rate)} lines/s | ETA ${formatDuration(eta)}`;
    this.out.write(tty ? `\r${text}\x1b[K${final ? '\n' : ''}` : `${text}\n`);
  }
}
