/** What the progress line shows; every field but the position is optional. */
export interface ProgressState {
  /** 0-based epoch, shown 1-based. */
  readonly epoch: number;
  readonly epochs?: number;
  /** Steps done in this epoch and steps in the epoch. */
  readonly step: number;
  readonly steps: number;
  readonly loss?: number;
  /** Tokens per second, recent. */
  readonly tokensPerSecond?: number;
  /** Seconds left for the whole run. */
  readonly etaSeconds?: number;
  /** The last dev figure, e.g. `{ name: 'acc', value: 0.861 }`. */
  readonly dev?: { readonly name: string; readonly value: number };
}

/** `m:ss` or `h:mm:ss`; `--:--` when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A count with thousands separators (`12,345`), locale-independent. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A loss or metric with 4 significant decimals, or the value itself when it is not finite. */
export function formatValue(x: number): string {
  return Number.isFinite(x) ? (Math.abs(x) >= 1000 ? x.toFixed(1) : x.toFixed(4)) : String(x);
}

/**
 * The progress line: `epoch 2/8 [######......] 1234/4210  29% | loss 0.4123 | 8,512 tok/s | dev acc 0.8610 | ETA 12:34`.
 * The bar takes what is left of `width` columns (at least 10, none when there is no room).
 */
export function formatProgress(state: ProgressState, width = 100): string {
  const fraction = state.steps > 0 ? Math.min(1, state.step / state.steps) : 0;
  const epoch = `epoch ${state.epoch + 1}${state.epochs !== undefined ? `/${state.epochs}` : ''}`;
  const position = `${state.step}/${state.steps} ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const tail = [
    state.loss !== undefined ? `loss ${formatValue(state.loss)}` : undefined,
    state.tokensPerSecond !== undefined ? `${formatCount(state.tokensPerSecond)} tok/s` : undefined,
    state.dev !== undefined ? `dev ${state.dev.name} ${formatValue(state.dev.value)}` : undefined,
    `ETA ${formatDuration(state.etaSeconds)}`,
  ]
    .filter((x): x is string => x !== undefined)
    .join(' | ');
  const fixed = `${epoch}  ${position} | ${tail}`;
  const room = width - fixed.length - 3;
  if (room < 10) return fixed;
  const cells = Math.min(room, 40);
  const filled = Math.round(fraction * cells);
  return `${epoch} [${'#'.repeat(filled)}${'.'.repeat(cells - filled)}] ${position} | ${tail}`;
}
