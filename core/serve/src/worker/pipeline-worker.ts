import { Worker } from 'node:worker_threads';
import { RuntimeErrors, type Logger } from '@recur/runtime';
import { ServeErrors as E } from '../errors.js';
import type { FinishReason, FromWorker, GenerateSettings, PipelineInfo, ToWorker, WorkerInit } from './protocol.js';
import { deserializeError } from './serialize-error.js';

const WORKER_URL = new URL('./worker-entry.js', import.meta.url);

/** How a generation ended. */
export interface GenerationSummary {
  readonly finishReason: FinishReason;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Call-time hooks of a generation. */
export interface GenerateHandlers {
  /** Text made since the previous call, and how many tokens it holds. */
  readonly onPieces?: (text: string, tokens: number) => void;
  readonly signal?: AbortSignal;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  readonly onPieces?: (text: string, tokens: number) => void;
  /** Set once the caller stopped waiting (aborted): later messages are dropped. */
  abandoned?: boolean;
}

/**
 * One worker thread that owns one pipeline (its ONNX Runtime sessions compute on that thread). The
 * main thread sends requests and receives results and generated pieces as messages. A request's
 * place counts as in flight until the worker says it finished, even when the caller gave up
 * earlier, so that bounds on concurrent work hold for the work the worker really does.
 *
 * @example
 * const worker = await PipelineWorker.start({ specPath, registry: { module: registryUrl }, allowPlugins: [], allowRoots: [], overrides: [] });
 * await worker.run('What a lovely film.');
 * await worker.close();
 */
export class PipelineWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;
  private closing: Promise<void> | undefined;
  /** Called whenever a request leaves the worker (its place is free again). */
  onSettled: () => void = () => undefined;
  /** Called once if the worker stops without being closed. */
  onCrash: (error: Error) => void = () => undefined;
  /** Called for each batch the worker runs. */
  onBatch: (size: number) => void = () => undefined;

  private constructor(
    private readonly worker: Worker,
    readonly info: PipelineInfo,
    private readonly logger: Logger,
  ) {
    worker.on('message', (m: FromWorker) => {
      this.onMessage(m);
    });
    worker.on('error', (err) => {
      this.onExit(err);
    });
    worker.on('exit', (code) => {
      this.onExit(new Error(`worker exited with code ${code}`));
    });
  }

  /** Starts a worker and waits until its pipeline is loaded; rejects with the loader's error. */
  static start(init: WorkerInit, logger: Logger): Promise<PipelineWorker> {
    const worker = new Worker(WORKER_URL, { workerData: init });
    return new Promise((resolve, reject) => {
      const early = (m: FromWorker) => {
        if (m.type === 'log') logger[m.level](m.msg, m.data);
        else if (m.type === 'ready') {
          cleanup();
          resolve(new PipelineWorker(worker, m.info, logger));
        } else if (m.type === 'load-failed') {
          cleanup();
          void worker.terminate();
          reject(deserializeError(m.error));
        }
      };
      const failed = (err: Error) => {
        cleanup();
        reject(
          E.LOAD_FAILED(
            `the worker for ${init.specPath} stopped while loading: ${err.message}`,
            { file: init.specPath },
            { cause: err },
          ),
        );
      };
      const exited = (code: number) => {
        failed(new Error(`exit code ${code}`));
      };
      const cleanup = () => {
        worker.off('message', early);
        worker.off('error', failed);
        worker.off('exit', exited);
      };
      worker.on('message', early);
      worker.on('error', failed);
      worker.on('exit', exited);
    });
  }

  /** Requests in the worker now (waiting in its batcher or running). */
  get inFlight(): number {
    return this.pending.size;
  }

  get alive(): boolean {
    return !this.exited && this.closing === undefined;
  }

  /** `pipeline.run(input, options)` in the worker. */
  run(input: unknown, options: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    return this.send((id) => ({ type: 'run', id, input, options }), signal);
  }

  /** One generation in the worker; pieces arrive through `onPieces` as they are made. */
  generate(prompt: string, settings: GenerateSettings, handlers: GenerateHandlers = {}): Promise<GenerationSummary> {
    return this.send(
      (id) => ({ type: 'generate', id, prompt, settings }),
      handlers.signal,
      handlers.onPieces,
    ) as Promise<GenerationSummary>;
  }

  /**
   * Cancels everything still running, disposes the pipeline and ends the thread; a worker that does
   * not answer within `timeoutMs` is terminated.
   */
  close(timeoutMs = 5000): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) {
        resolve();
        return;
      }
      const timer = setTimeout(() => void this.worker.terminate(), timeoutMs);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.post({ type: 'close' });
    });
    return this.closing;
  }

  private send(
    make: (id: number) => ToWorker,
    signal?: AbortSignal,
    onPieces?: (text: string, tokens: number) => void,
  ): Promise<unknown> {
    if (!this.alive)
      return Promise.reject(E.NOT_READY(`the worker of pipeline "${this.info.name}" is not running`, {}));
    if (signal?.aborted)
      return Promise.reject(RuntimeErrors.ABORTED('the request was cancelled before it started', {}));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const detach = () => {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      };
      const entry: Pending = {
        resolve: (v) => {
          detach();
          resolve(v);
        },
        reject: (e) => {
          detach();
          reject(e);
        },
        ...(onPieces ? { onPieces } : {}),
      };
      if (signal) {
        onAbort = () => {
          if (entry.abandoned || !this.pending.has(id)) return;
          // The place stays taken until the worker confirms; the caller is answered now.
          entry.abandoned = true;
          detach();
          this.post({ type: 'cancel', id });
          reject(RuntimeErrors.ABORTED('the request was cancelled', {}));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      this.pending.set(id, entry);
      this.post(make(id));
    });
  }

  private post(m: ToWorker): void {
    if (!this.exited) this.worker.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'pieces':
        for (const item of m.items) {
          const p = this.pending.get(item.id);
          if (p && !p.abandoned) p.onPieces?.(item.text, item.tokens);
        }
        // The generations that made text in one step: the continuous batch's size at that step.
        this.onBatch(m.items.length);
        break;
      case 'result':
        this.finish(m.id, (p) => {
          p.resolve(m.value);
        });
        break;
      case 'generated':
        this.finish(m.id, (p) => {
          p.resolve({
            finishReason: m.finishReason,
            promptTokens: m.promptTokens,
            completionTokens: m.completionTokens,
          } satisfies GenerationSummary);
        });
        break;
      case 'failed':
        this.finish(m.id, (p) => {
          p.reject(deserializeError(m.error));
        });
        break;
      case 'batch':
        this.onBatch(m.size);
        break;
      case 'log':
        this.logger[m.level](m.msg, { pipeline: this.info.name, ...m.data });
        break;
      default:
        break;
    }
  }

  private finish(id: number, settle: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (!p.abandoned) settle(p);
    this.onSettled();
  }

  private onExit(err: Error): void {
    if (this.exited) return;
    this.exited = true;
    const failure = E.WORKER_FAILED(`the worker of pipeline "${this.info.name}" stopped: ${err.message}`, {});
    for (const [, p] of this.pending) if (!p.abandoned) p.reject(failure);
    this.pending.clear();
    if (this.closing === undefined) this.onCrash(err);
    this.onSettled();
  }
}
