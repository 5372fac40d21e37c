import { RuntimeErrors as E } from '@recur/runtime';
import { concatRows, selectRows } from '../decoding/batch-rows.js';
import type { GenerationSequence } from './generation-sequence.js';
import type { BatchState, LanguageModelSession } from './lm-session.js';

/** Settings of continuous batching. */
export interface SchedulerOptions {
  /** Most sequences in the running batch; later ones wait for a free row. */
  readonly maxBatch: number;
  /** The tokenizer's end-of-sequence id: generating it ends a sequence. */
  readonly eos?: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Continuous batching for generation. Every call's sequences enter one running batch and leave it
 * when they end, at any step. A recurrent state has a fixed size, so joining is a prefill of the
 * newcomers (one run for all who arrived since the last step) whose state rows are appended, and
 * leaving is dropping rows; the running batch advances by one `session.run` per step.
 *
 * One loop iteration:
 *   1. admit waiting sequences while rows are free (one prefill run for all of them);
 *   2. choose each sequence's next token from its logits row (sampling happens in JavaScript);
 *   3. drop the rows of sequences that ended, were aborted or lost their consumer;
 *   4. one step run for the rest;
 *   5. yield to the event loop, so that new calls can join and aborts can land.
 * An abort therefore takes effect between two session runs.
 */
export class GenerationScheduler {
  private readonly waiting: GenerationSequence[] = [];
  private active: GenerationSequence[] = [];
  private state: BatchState | undefined;
  private loop: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly lm: LanguageModelSession,
    private readonly options: SchedulerOptions,
  ) {}

  /** Sequences in the running batch now (for tests and metrics). */
  get runningCount(): number {
    return this.active.length;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Queues a sequence; it joins the running batch at the next step with a free row. */
  submit(sequence: GenerationSequence): void {
    if (this.closed) {
      sequence.fail(E.DISPOSED('the pipeline was disposed', {}));
      return;
    }
    if (sequence.failIfAborted()) return;
    const signal = sequence.signal;
    if (signal) {
      const onAbort = () => {
        this.onAbort(sequence);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      sequence.onSettled(() => {
        signal.removeEventListener('abort', onAbort);
      });
    }
    this.waiting.push(sequence);
    this.loop ??= this.runLoop();
  }

  /** Drops a sequence whose consumer went away, without reporting an error to anyone. */
  cancel(sequence: GenerationSequence): void {
    sequence.requestAbort();
    this.removeWaiting(sequence);
  }

  /** Fails every queued and running sequence with RECUR_E_DISPOSED and waits for the loop to stop. */
  async close(): Promise<void> {
    this.closed = true;
    const error = E.DISPOSED('the pipeline was disposed during generation', {});
    for (const s of this.waiting.splice(0)) s.fail(error);
    for (const s of this.active) s.fail(error);
    await this.loop;
  }

  private onAbort(sequence: GenerationSequence): void {
    // A waiting sequence leaves at once; a running one at the next step (its row is in use).
    if (this.removeWaiting(sequence)) sequence.failIfAborted();
  }

  private removeWaiting(sequence: GenerationSequence): boolean {
    const at = this.waiting.indexOf(sequence);
    if (at < 0) return false;
    this.waiting.splice(at, 1);
    return true;
  }

  private async runLoop(): Promise<void> {
    try {
      // Calls made in the same turn of the event loop join the first batch together.
      await nextTurn();
      while (!this.closed && (this.waiting.length > 0 || this.active.length > 0)) {
        await this.admit();
        for (const s of this.active) if (!s.failIfAborted()) s.chooseNext(this.options.eos);
        this.dropEnded();
        if (this.active.length > 0) await this.step();
        await nextTurn();
      }
    } catch (err) {
      // A fault of the loop itself: no running sequence may be left waiting forever.
      const fault = E.INTERNAL(
        `the generation loop failed: ${(err as Error)?.message ?? String(err)}`,
        { pointer: '/generation' },
        { cause: err },
      );
      for (const s of this.active) s.fail(fault);
    } finally {
      this.loop = undefined;
      this.active = [];
      this.state = undefined;
      // A call may have arrived while the loop was ending.
      if (!this.closed && this.waiting.length > 0) this.loop = this.runLoop();
    }
  }

  /** Prefills the waiting sequences that fit and appends their state rows. */
  private async admit(): Promise<void> {
    const room = this.options.maxBatch - this.active.length;
    if (room <= 0 || this.waiting.length === 0) return;
    const newcomers = this.waiting.splice(0, room).filter((s) => !s.failIfAborted());
    if (newcomers.length === 0) return;
    let result;
    try {
      result = await this.lm.prefill(newcomers.map((s) => s.prompt.ids));
    } catch (err) {
      for (const s of newcomers) s.fail(err);
      return;
    }
    const vocab = this.lm.vocabSize;
    newcomers.forEach((s, i) => {
      s.logits = result.logits.subarray(i * vocab, (i + 1) * vocab);
    });
    this.state = this.state ? joinState(this.state, result.state) : result.state;
    this.active.push(...newcomers);
  }

  /** Removes the rows of sequences that are done. */
  private dropEnded(): void {
    const keep: number[] = [];
    this.active.forEach((s, i) => {
      if (!s.done) keep.push(i);
    });
    if (keep.length === this.active.length) return;
    this.active = keep.map((i) => this.active[i]);
    this.state = keep.length === 0 || !this.state ? undefined : mapState(this.state, (t) => selectRows(t, 1, keep));
  }

  /** One step for the whole running batch. */
  private async step(): Promise<void> {
    const batch = this.active;
    try {
      const result = await this.lm.step(
        batch.map((s) => s.nextToken),
        this.state!,
      );
      this.state = result.state;
      const vocab = this.lm.vocabSize;
      batch.forEach((s, i) => {
        s.logits = result.logits.subarray(i * vocab, (i + 1) * vocab);
      });
    } catch (err) {
      for (const s of batch) s.fail(err);
      this.active = [];
      this.state = undefined;
    }
  }
}

function mapState(state: BatchState, f: (t: BatchState[string]) => BatchState[string]): BatchState {
  const out: Record<string, BatchState[string]> = {};
  for (const [name, t] of Object.entries(state)) out[name] = f(t);
  return out;
}

function joinState(a: BatchState, b: BatchState): BatchState {
  const out: Record<string, BatchState[string]> = {};
  for (const name of Object.keys(a)) out[name] = concatRows(a[name], b[name], 1);
  return out;
}
