import * as ort from 'onnxruntime-web';
import {
  RuntimeErrors as E,
  type Backend,
  type ComputeUnit,
  type Logger,
  type Session,
  type SessionOptions,
} from '@recur/runtime';
import {
  createOnFirstWorkingProvider,
  dropProvider,
  OrtSession,
  providerCandidates,
  type ProviderFailure,
} from '@recur/runtime/internal';
import { configureWasm, webProviderCandidates, type WebWasmOptions } from './web-providers.js';

export interface WebBackendOptions extends WebWasmOptions {
  /** Where provider fallbacks are reported. */
  readonly logger: Logger;
  /**
   * Execution providers for every session of this backend, in order of preference (`["webgpu"]`);
   * they replace the spec's `runtime.executionProviders`, which name Node's providers. WASM is always
   * the last resort.
   * @defaultValue the spec's list (its `cpu` is the WASM provider)
   */
  readonly executionProviders?: readonly string[];
  /**
   * Reads a unit's weights file (a URL) when its model points into it (ONNX external data): the bytes
   * go to onnxruntime-web as they are, so the weights are not rebuilt into the model in JavaScript.
   */
  readonly readFile: (path: string) => Promise<Uint8Array>;
}

/**
 * Session creations of every backend in the page, one after another: onnxruntime-web mounts a
 * session's external data (the weights file, by name) in one page-wide table and empties the table
 * when a creation ends, so two pipelines loading at once would take each other's weights away.
 */
let creations: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(create: () => Promise<T>): Promise<T> {
  const next = creations.then(create);
  creations = next.catch(() => undefined);
  return next;
}

type Failure = ProviderFailure;

/**
 * The onnxruntime-web backend: the browser's counterpart of `OrtBackend`, sharing its session wrapper
 * (`OrtSession`: reference counts, aborts, coded errors). WASM runs every session by default; WebGPU
 * when asked for and the browser has an adapter. A provider that is unavailable is dropped with a
 * `logger.warn` naming it and why, and one whose session cannot be created falls back to the next,
 * as the Node side does for CUDA; when even WASM fails, one RECUR_E_BACKEND_FAILED lists every
 * candidate's failure. One session per unit and no cache across units: a page loads each pipeline once,
 * and units carry their weights inside (no external data in the browser).
 */
export class WebBackend implements Backend {
  private readonly sessions = new Set<OrtSession>();
  private disposed = false;
  private configured = false;

  constructor(private readonly options: WebBackendOptions) {}

  async session(unit: ComputeUnit, options: SessionOptions = {}): Promise<Session> {
    if (this.disposed) throw E.DISPOSED('the onnxruntime-web backend was disposed', { pointer: unit.name });
    // ORT's WASM settings are process-wide and fixed by the first session: set them once.
    if (!this.configured) {
      configureWasm(ort.env, this.options, options.threads, this.options.logger);
      this.configured = true;
    }
    const failures: Failure[] = [];
    const requested = providerCandidates(this.options.executionProviders ?? options.executionProviders);
    const { usable, dropped } = await webProviderCandidates(requested);
    for (const failure of dropped) this.drop(unit, failure, failures);
    const session = await this.create(unit, usable, failures);
    this.sessions.add(session);
    return session;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const open = [...this.sessions];
    this.sessions.clear();
    await Promise.all(open.map((s) => s.free()));
  }

  private async create(unit: ComputeUnit, providers: readonly string[], failures: Failure[]): Promise<OrtSession> {
    const weights = unit.externalData?.path;
    // The model names its external data file by its name alone (`location`), as ONNX does.
    const external =
      weights !== undefined
        ? { path: weights.slice(weights.lastIndexOf('/') + 1), data: await this.options.readFile(weights) }
        : undefined;
    const created = await createOnFirstWorkingProvider(
      unit,
      providers,
      failures,
      { logger: this.options.logger, runtime: 'onnxruntime-web' },
      (executionProviders) =>
        oneAtATime(() =>
          ort.InferenceSession.create(unit.model, {
            executionProviders: [...executionProviders],
            ...(external ? { externalData: [external] } : {}),
            graphOptimizationLevel: 'all',
            // As on Node: shapes change with every batch, so memory patterns only add planning.
            enableMemPattern: false,
            logSeverityLevel: 3,
          }),
        ),
    );
    const session: OrtSession = new OrtSession(
      created.session,
      unit.name,
      created.providers,
      () => this.sessions.delete(session),
      unit.userModels,
    );
    if (this.disposed) {
      await session.free();
      throw E.DISPOSED('the onnxruntime-web backend was disposed while the session was being created', {
        pointer: unit.name,
      });
    }
    return session;
  }

  private drop(unit: ComputeUnit, failure: Failure, failures: Failure[]): void {
    dropProvider(this.options.logger, unit.name, failure, failures);
  }
}
