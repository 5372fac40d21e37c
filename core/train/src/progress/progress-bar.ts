import { formatProgress, type ProgressState } from './format.js';

/** Where the bar writes: process.stderr, or anything with `write` (tests). */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** @defaultValue process.stderr */
  readonly stream?: ProgressStream;
  /** On a terminal: redraw at most this often. @defaultValue 100 ms */
  readonly redrawMs?: number;
  /** Not on a terminal (a log file, CI): print a line at most this often. @defaultValue 10,000 ms */
  readonly lineEveryMs?: number;
  /** Clock in milliseconds; tests pass their own. @defaultValue Date.now */
  readonly now?: () => number;
  /** Total epochs of the run, for the display and the ETA. */
  readonly epochs?: number;
}

/** One training step as the train loop reports it. */
export interface ProgressUpdate {
  readonly epoch: number;
  /** Steps done in this epoch (after this step) and steps in the epoch. */
  readonly step: number;
  readonly steps: number;
  readonly loss?: number;
  /** Tokens this step trained on (non-pad), for tokens/s. */
  readonly tokens?: number;
  readonly dev?: { readonly name: string; readonly value: number };
}

/** How many recent steps the tokens/s and step-time estimates average over. */
const WINDOW = 50;

/**
 * A training progress bar on stderr: epoch, step/total, ETA, loss, tokens/s and the last dev figure.
 * On a terminal it redraws one line in place (`\r`, clear to end of line); elsewhere it prints a
 * whole line every `lineEveryMs`, and always at the end of an epoch, so logs stay readable.
 * Speeds are averaged over the last 50 steps of this process (a resumed run measures afresh); the
 * ETA counts the steps left in this epoch and in the epochs after it.
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly tty: boolean;
  private readonly recent: { time: number; tokens: number }[] = [];
  private lastDraw = -Infinity;
  private drawn = false;
  private dev: ProgressUpdate['dev'];

  constructor(private readonly options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.tty = this.stream.isTTY === true;
    this.recent.push({ time: this.now(), tokens: 0 });
  }

  /** Reports a finished step; draws when the throttle allows, and always at the end of an epoch. */
  update(update: ProgressUpdate): void {
    const time = this.now();
    const last = this.recent[this.recent.length - 1];
    this.recent.push({ time, tokens: last.tokens + (update.tokens ?? 0) });
    if (this.recent.length > WINDOW + 1) this.recent.shift();
    if (update.dev) this.dev = update.dev;
    const endOfEpoch = update.step >= update.steps;
    const every = this.tty ? (this.options.redrawMs ?? 100) : (this.options.lineEveryMs ?? 10_000);
    if (!endOfEpoch && time - this.lastDraw < every) return;
    this.lastDraw = time;
    this.draw(this.state(update));
  }

  /** Prints a line of its own (an epoch summary, a warning) without breaking the bar. */
  log(line: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${line}\n`);
    this.drawn = false;
  }

  /** Ends the bar's line on a terminal. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  /** The figures the bar would show for an update (exposed for `--json` progress and tests). */
  state(update: ProgressUpdate): ProgressState {
    const first = this.recent[0];
    const last = this.recent[this.recent.length - 1];
    const seconds = (last.time - first.time) / 1000;
    const stepsSeen = this.recent.length - 1;
    const secondsPerStep = stepsSeen > 0 && seconds > 0 ? seconds / stepsSeen : undefined;
    const epochs = this.options.epochs;
    const stepsLeft =
      Math.max(0, update.steps - update.step) +
      (epochs !== undefined ? Math.max(0, epochs - update.epoch - 1) * update.steps : 0);
    return {
      epoch: update.epoch,
      ...(epochs !== undefined ? { epochs } : {}),
      step: update.step,
      steps: update.steps,
      ...(update.loss !== undefined ? { loss: update.loss } : {}),
      ...(seconds > 0 && last.tokens - first.tokens > 0
        ? { tokensPerSecond: (last.tokens - first.tokens) / seconds }
        : {}),
      ...(secondsPerStep !== undefined ? { etaSeconds: stepsLeft * secondsPerStep } : {}),
      ...(this.dev ? { dev: this.dev } : {}),
    };
  }

  private draw(state: ProgressState): void {
    if (this.tty) {
      const width = Math.max(20, (this.stream.columns ?? 100) - 1);
      this.stream.write(`\r${formatProgress(state, width).slice(0, width)}\x1b[K`);
      this.drawn = true;
    } else {
      this.stream.write(`${formatProgress(state, 100)}\n`);
    }
  }
}
