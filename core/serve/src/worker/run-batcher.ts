import { RuntimeErrors, type Pipeline } from '@recur/runtime';
import type { FromWorker } from './protocol.js';
import { serializeError } from './serialize-error.js';

interface RunCall {
  readonly id: number;
  readonly input: unknown;
  readonly options: Record<string, unknown>;
  /** Inputs in the call (an array input counts each element). */
  readonly size: number;
  /** Calls batch together only with equal options. */
  readonly key: string;
  readonly controller: AbortController;
}

/**
 * Batches the worker's `run` requests. While a batch computes, new requests wait; when it returns,
 * the waiting requests with the same options as the oldest one (up to `maxBatch` inputs) start
 * together in one turn of the event loop, so the pipeline's call coalescer runs them as one batch.
 * Under light load a request starts at once; under heavy load batches fill up by themselves.
 */
export class RunBatcher {
  private readonly queue: RunCall[] = [];
  private readonly running = new Map<number, RunCall>();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly maxBatch: number,
    private readonly post: (m: FromWorker) => void,
    /** Start every request at once (the pipeline batches by itself, as generation does). */
    private readonly immediate = false,
  ) {}

  submit(id: number, input: unknown, options: Record<string, unknown>): void {
    const size = Array.isArray(input) ? Math.max(1, input.length) : 1;
    this.queue.push({ id, input, options, size, key: stableKey(options), controller: new AbortController() });
    this.pump();
  }

  /** Drops a waiting request or aborts a running one; true when the request was here. */
  cancel(id: number): boolean {
    const at = this.queue.findIndex((c) => c.id === id);
    if (at >= 0) {
      this.queue.splice(at, 1);
      this.post({ type: 'failed', id, error: serializeError(RuntimeErrors.ABORTED('cancelled while waiting')) });
      return true;
    }
    const call = this.running.get(id);
    call?.controller.abort();
    return call !== undefined;
  }

  cancelAll(): void {
    for (const call of [...this.queue]) this.cancel(call.id);
    for (const call of this.running.values()) call.controller.abort();
  }

  /** Resolves when nothing is queued or running. */
  get idle(): boolean {
    return this.queue.length === 0 && this.running.size === 0;
  }

  private pump(): void {
    if (this.queue.length === 0 || (this.running.size > 0 && !this.immediate)) return;
    if (this.immediate) {
      this.start(this.queue.splice(0));
      return;
    }
    const key = this.queue[0].key;
    const batch: RunCall[] = [];
    let size = 0;
    for (let i = 0; i < this.queue.length;) {
      const call = this.queue[i];
      if (call.key !== key || (batch.length > 0 && size + call.size > this.maxBatch)) {
        i++;
        continue;
      }
      batch.push(call);
      size += call.size;
      this.queue.splice(i, 1);
      if (size >= this.maxBatch) break;
    }
    this.post({ type: 'batch', size });
    this.start(batch);
  }

  private start(batch: readonly RunCall[]): void {
    for (const call of batch) this.running.set(call.id, call);
    const done = batch.map((call) =>
      this.pipeline
        .run(call.input, { ...call.options, signal: call.controller.signal })
        .then(
          (value) => {
            this.post({ type: 'result', id: call.id, value });
          },
          (err: unknown) => {
            this.post({ type: 'failed', id: call.id, error: serializeError(err) });
          },
        )
        .finally(() => this.running.delete(call.id)),
    );
    if (!this.immediate)
      void Promise.allSettled(done).then(() => {
        this.pump();
      });
  }
}

/** Equal for option objects with equal JSON content, whatever the key order. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
