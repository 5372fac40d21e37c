import type { Logger } from '@recur/runtime';
import type { ServedPipelineConfig, ServeLimits } from '../config/serve-config.js';
import { ServeErrors as E } from '../errors.js';
import { SERVE_DEFAULTS } from '../config/serve-defaults.js';
import type { ServeMetrics } from '../metrics/serve-metrics.js';
import { PipelineWorker, type GenerateHandlers, type GenerationSummary } from '../worker/pipeline-worker.js';
import type { GenerateSettings, PipelineInfo, WorkerInit } from '../worker/protocol.js';

interface Waiter {
  readonly dispatch: (worker: PipelineWorker) => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10000, 30000];

/**
 * One served pipeline: its worker replicas and the admission in front of them. A request runs at
 * once on the least busy replica with a free place (`limits.maxConcurrent` per replica), else waits
 * in a bounded queue (`limits.maxQueue`), else is refused with 429 and an estimated `retry-after`.
 * A replica that stops unexpectedly fails its requests (500) and is restarted with back-off.
 */
export class ServedPipeline {
  private readonly replicas: (PipelineWorker | undefined)[];
  private readonly queue: Waiter[] = [];
  private closed = false;
  private restarts = 0;
  /** Average seconds a request spends in a worker, for `retry-after`. */
  private serviceSeconds = 1;

  private constructor(
    readonly name: string,
    readonly info: PipelineInfo,
    readonly config: ServedPipelineConfig,
    private readonly init: WorkerInit,
    first: readonly PipelineWorker[],
    private readonly limits: ServeLimits,
    private readonly metrics: ServeMetrics,
    private readonly logger: Logger,
  ) {
    this.replicas = [...first];
    first.forEach((w, i) => {
      this.attach(w, i);
    });
    const labels = { pipeline: name };
    metrics.queueLength.collect(labels, () => this.queue.length);
    metrics.inFlight.collect(labels, () => this.replicas.reduce((n, w) => n + (w?.inFlight ?? 0), 0));
  }

  /** Starts every replica and waits until each has loaded the pipeline. */
  static async start(
    config: ServedPipelineConfig,
    init: WorkerInit,
    limits: ServeLimits,
    metrics: ServeMetrics,
    logger: Logger,
  ): Promise<ServedPipeline> {
    const count = config.replicas ?? SERVE_DEFAULTS.pipeline.replicas;
    const started = await Promise.allSettled(Array.from({ length: count }, () => PipelineWorker.start(init, logger)));
    const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((w) => w.close()));
      const reason: unknown = failure.reason;
      throw reason;
    }
    const info = workers[0].info;
    return new ServedPipeline(config.name ?? info.name, info, config, init, workers, limits, metrics, logger);
  }

  /** True while at least one replica runs. */
  get ready(): boolean {
    return !this.closed && this.replicas.some((w) => w?.alive);
  }

  /** `pipeline.run` on a replica, after admission. */
  run(input: unknown, options: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    return this.admit(signal, (w) => w.run(input, options, signal));
  }

  /** One generation on a replica, after admission. */
  generate(prompt: string, settings: GenerateSettings, handlers: GenerateHandlers = {}): Promise<GenerationSummary> {
    return this.admit(handlers.signal, (w) => w.generate(prompt, settings, handlers));
  }

  /** Refuses new work, fails waiting requests, and closes the replicas (cancelling what runs). */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(E.SHUTTING_DOWN('the server is shutting down', {}));
    }
    await Promise.all(this.replicas.flatMap((w) => (w ? [w.close()] : [])));
  }

  private admit<T>(signal: AbortSignal | undefined, start: (w: PipelineWorker) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(E.SHUTTING_DOWN('the server is shutting down and takes no new work', {}));
    if (!this.ready)
      return Promise.reject(E.NOT_READY(`pipeline "${this.name}" is restarting; retry shortly`, { retryAfter: 1 }));
    const timed = (w: PipelineWorker) => {
      const began = performance.now();
      const work = start(w);
      const learn = () => {
        this.serviceSeconds = 0.9 * this.serviceSeconds + 0.1 * ((performance.now() - began) / 1000);
      };
      work.then(learn, learn);
      return work;
    };
    const free = this.freeReplica();
    if (free && this.queue.length === 0) return timed(free);
    if (this.queue.length >= this.limits.maxQueue) {
      this.metrics.rejected.inc({ pipeline: this.name });
      const retryAfter = this.retryAfterSeconds();
      return Promise.reject(
        E.BUSY(
          `pipeline "${this.name}" is busy: ${this.queue.length} requests wait already (limits.maxQueue ${this.limits.maxQueue}); retry after ${retryAfter} s`,
          { limit: this.limits.maxQueue, retryAfter },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        dispatch: (w) => {
          signal?.removeEventListener('abort', waiter.onAbort);
          timed(w).then(resolve, reject);
        },
        reject,
        signal,
        onAbort: () => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          reject(
            signal?.reason instanceof Error ? signal.reason : E.CANCELLED('cancelled while waiting in the queue', {}),
          );
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** The least busy running replica with a free place. */
  private freeReplica(): PipelineWorker | undefined {
    let best: PipelineWorker | undefined;
    for (const w of this.replicas) {
      if (!w?.alive || w.inFlight >= this.limits.maxConcurrent) continue;
      if (!best || w.inFlight < best.inFlight) best = w;
    }
    return best;
  }

  /** Hands free places to waiting requests, oldest first. */
  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.freeReplica();
      if (!w) return;
      this.queue.shift()!.dispatch(w);
    }
  }

  private retryAfterSeconds(): number {
    const places = Math.max(1, this.limits.maxConcurrent * this.replicas.length);
    return Math.min(60, Math.max(1, Math.ceil((this.serviceSeconds * (this.queue.length + 1)) / places)));
  }

  private attach(w: PipelineWorker, slot: number): void {
    w.onSettled = () => {
      this.pump();
    };
    w.onBatch = (size) => {
      this.metrics.batchSize.observe({ pipeline: this.name }, size);
    };
    w.onCrash = (err) => {
      this.logger.error('pipeline worker stopped; restarting it', { pipeline: this.name, error: err.message });
      this.replicas[slot] = undefined;
      this.metrics.workerRestarts.inc({ pipeline: this.name });
      this.restart(slot);
    };
  }

  private restart(slot: number): void {
    const delay = RESTART_DELAYS_MS[Math.min(this.restarts++, RESTART_DELAYS_MS.length - 1)];
    const timer = setTimeout(() => {
      if (this.closed) return;
      PipelineWorker.start(this.init, this.logger).then(
        (w) => {
          if (this.closed) return void w.close();
          this.replicas[slot] = w;
          this.attach(w, slot);
          this.pump();
        },
        (err: unknown) => {
          this.logger.error('pipeline worker failed to restart', {
            pipeline: this.name,
            error: (err as Error).message,
          });
          this.restart(slot);
        },
      );
    }, delay);
    timer.unref();
  }
}
