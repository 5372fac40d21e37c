import { E } from '../errors/runtime-errors.js';
import type { RunOptions } from '../plugins/task-contract.js';

/** Settings of the coalescer; the spec's `runtime.maxBatch` and `runtime.maxWaitMs` map here. */
export interface CoalescerOptions {
  /** Most inputs in one batch. */
  readonly maxBatch: number;
  /** While a batch runs, how long the first call queued behind it waits for company (an idle pipeline does not wait). */
  readonly maxWaitMs: number;
}

interface Pending {
  readonly inputs: readonly unknown[];
  readonly options: RunOptions;
  readonly resolve: (results: unknown[]) => void;
  readonly reject: (err: unknown) => void;
  onAbort?: () => void;
}

interface Queue {
  calls: Pending[];
  size: number;
  /** Clears the pending flush (a timer or an immediate). */
  cancel: () => void;
}

/**
 * Coalesces concurrent calls into batches of at most `maxBatch` inputs: calls with the same options
 * (the signal aside) share a batch.
 *
 * The wait adapts to the load. An idle pipeline runs a call at once, together with the calls made in
 * the same tick of the event loop (`Promise.all(texts.map(run))`): a lone call pays no waiting time.
 * While a batch runs, new calls queue; the queue runs when that batch returns, or after `maxWaitMs`
 * if that comes first. Under load batches therefore fill up by themselves, as in continuous batching.
 *
 * A call larger than `maxBatch` runs alone (the task splits it). A call whose signal aborts while
 * queued leaves the queue at once; one that aborts while its batch runs is rejected when the batch
 * returns.
 */
export class CallCoalescer {
  private readonly queues = new Map<string, Queue>();
  /** Batches executing now. */
  private running = 0;

  constructor(
    private readonly execute: (inputs: readonly unknown[], options: RunOptions) => Promise<unknown[]>,
    private readonly settings: CoalescerOptions,
  ) {}

  submit(inputs: readonly unknown[], options: RunOptions): Promise<unknown[]> {
    const { signal, ...rest } = options;
    if (inputs.length >= this.settings.maxBatch || this.settings.maxWaitMs <= 0) return this.runAlone(inputs, options);
    const key = stableKey(rest);
    return new Promise<unknown[]>((resolve, reject) => {
      const call: Pending = { inputs, options, resolve, reject };
      let queue = this.queues.get(key);
      if (queue && queue.size + inputs.length > this.settings.maxBatch) {
        this.flush(key);
        queue = undefined;
      }
      if (!queue) {
        queue = { calls: [], size: 0, cancel: this.scheduleFlush(key) };
        this.queues.set(key, queue);
      }
      queue.calls.push(call);
      queue.size += inputs.length;
      if (signal) {
        call.onAbort = () => {
          const q = this.queues.get(key);
          const i = q ? q.calls.indexOf(call) : -1;
          if (q && i >= 0) {
            q.calls.splice(i, 1);
            q.size -= call.inputs.length;
            reject(E.ABORTED('the call was aborted while queued', {}));
          }
        };
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      if (queue.size >= this.settings.maxBatch) this.flush(key);
    });
  }

  private async runAlone(inputs: readonly unknown[], options: RunOptions): Promise<unknown[]> {
    this.running++;
    try {
      return await this.execute(inputs, options);
    } finally {
      this.batchDone();
    }
  }

  /** Idle: flush after the calls of this tick have joined. Busy: after maxWaitMs at most. */
  private scheduleFlush(key: string): () => void {
    if (this.running === 0) {
      const immediate = setImmediate(() => {
        this.flush(key);
      });
      return () => {
        clearImmediate(immediate);
      };
    }
    const timer = setTimeout(() => {
      this.flush(key);
    }, this.settings.maxWaitMs);
    return () => {
      clearTimeout(timer);
    };
  }

  /** A batch returned: when nothing else runs, the queues that gathered behind it go now. */
  private batchDone(): void {
    this.running--;
    if (this.running === 0) for (const key of [...this.queues.keys()]) this.flush(key);
  }

  private flush(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    this.queues.delete(key);
    queue.cancel();
    const calls = queue.calls;
    if (calls.length === 0) return;
    const { signal: _signal, ...shared } = calls[0].options;
    const inputs = calls.flatMap((c) => c.inputs);
    this.running++;
    const execution = this.execute(inputs, shared);
    execution
      .finally(() => {
        this.batchDone();
      })
      .catch(() => undefined);
    execution.then(
      (results) => {
        let at = 0;
        for (const call of calls) {
          if (call.onAbort) call.options.signal?.removeEventListener('abort', call.onAbort);
          const mine = results.slice(at, at + call.inputs.length);
          at += call.inputs.length;
          if (call.options.signal?.aborted) call.reject(E.ABORTED('the call was aborted', {}));
          else call.resolve(mine);
        }
      },
      (err: unknown) => {
        for (const call of calls) call.reject(err);
      },
    );
  }
}

/** A key that is equal for option objects with equal JSON content, whatever the key order. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
