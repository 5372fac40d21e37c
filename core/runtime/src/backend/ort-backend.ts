import { createHash } from 'node:crypto';
import * as ort from './onnxruntime.js';
import { E } from '../errors/runtime-errors.js';
import { selfContainedModel } from '../graph/self-contained-model.js';
import { consoleLogger, type Logger } from '../logger.js';
import type { ComputeUnit } from '../plugins/task-contract.js';
import type { Backend, Session, SessionOptions } from './backend.js';
import { privateWeightsCopy } from './private-weights-copy.js';
import { knownProviders, missingProviderLibrary, providerCandidates } from './execution-providers.js';
import { createOnFirstWorkingProvider, dropProvider, errorLine, type ProviderFailure } from './provider-candidates.js';
import { OrtSession } from './ort-session.js';

export interface OrtBackendOptions {
  /** Where provider fallbacks are reported. @defaultValue `consoleLogger()` */
  readonly logger?: Logger;
}

type Failure = ProviderFailure;

/**
 * The ONNX Runtime (onnxruntime-node) backend: one session per compute unit, cached by the sha256 of
 * the model bytes plus the options, so every pipeline of a process that compiles the same unit shares
 * one session; concurrent requests for it share one creation.
 *
 * Execution providers are tried in the order asked, CPU last. A provider this build does not know, or
 * whose libraries are not installed (CUDA without `ONNXRUNTIME_NODE_INSTALL=cuda12`), is dropped before
 * trying; one that fails to start (ORT 1.30 throws on `['cuda', 'cpu']` when CUDA is
 * absent rather than falling back) is dropped after trying. Every drop is a `logger.warn` naming the
 * provider and ORT's reason, never silent. When even CPU fails, one RECUR_E_BACKEND_FAILED lists every
 * candidate's failure: `[cuda] ..., [cpu] ...`.
 */
export class OrtBackend implements Backend {
  private readonly logger: Logger;
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  private disposed = false;

  constructor(options: OrtBackendOptions = {}) {
    this.logger = options.logger ?? consoleLogger();
  }

  async session(unit: ComputeUnit, options: SessionOptions = {}): Promise<Session> {
    if (this.disposed) throw E.DISPOSED('the ONNX Runtime backend was disposed', { pointer: unit.name });
    const providers = providerCandidates(options.executionProviders);
    const threads = options.threads ?? 0;
    // A model pointing into a weights file is the same model only while that file is unchanged.
    const external = unit.externalData ? `|${unit.externalData.path}|${unit.externalData.fingerprint}` : '';
    const key = `${sha256(unit.model)}${external}|${providers.join(',')}|${threads}`;
    const pending = this.sessions.get(key);
    if (pending) {
      const shared = await pending;
      // Released by its other holders while this request waited: start over with a fresh one.
      return shared.retain() ? shared : this.session(unit, options);
    }
    // Forget the entry only while it is still this creation's: a later one may reuse the key.
    const forget = () => {
      if (this.sessions.get(key) === created) this.sessions.delete(key);
    };
    const created: Promise<OrtSession> = this.create(unit, providers, threads, forget);
    this.sessions.set(key, created);
    // A failed creation must not stay cached: the next request tries again.
    created.catch(forget);
    return created;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const pending = [...this.sessions.values()];
    this.sessions.clear();
    const settled = await Promise.allSettled(pending);
    await Promise.all(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.free()] : [])));
  }

  private async create(
    unit: ComputeUnit,
    providers: readonly string[],
    threads: number,
    onLastRelease: () => void,
  ): Promise<OrtSession> {
    const failures: Failure[] = [];
    const known = knownProviders();
    const remaining = providers.filter((p) => {
      if (p === 'cpu') return true;
      const reason = !known.includes(p)
        ? `not in this onnxruntime-node build (it has: ${known.join(', ')})`
        : missingProviderLibrary(p);
      if (reason === undefined) return true;
      this.drop(unit, { provider: p, reason }, failures);
      return false;
    });
    let weights: Awaited<ReturnType<typeof privateWeightsCopy>> | undefined;
    let model = unit.model;
    if (unit.externalData) {
      try {
        weights = await privateWeightsCopy(unit.externalData.path, unit.externalData.fingerprint);
      } catch (err) {
        if (E.WEIGHTS_CHANGED.is(err)) throw err;
        // No room or no permission in the temporary folder: load as a self-contained model instead.
        this.logger.warn(
          `unit "${unit.name}": ${errorLine(err)}; building the weights into the model instead (more memory while loading)`,
          { unit: unit.name },
        );
        model = await selfContainedModel(unit);
      }
    }
    try {
      return await this.createWith(unit, model, remaining, threads, failures, onLastRelease, weights?.dir);
    } finally {
      await weights?.remove();
    }
  }

  private async createWith(
    unit: ComputeUnit,
    model: Uint8Array,
    providers: readonly string[],
    threads: number,
    failures: Failure[],
    onLastRelease: () => void,
    weightsDir: string | undefined,
  ): Promise<OrtSession> {
    const created = await createOnFirstWorkingProvider(
      unit,
      providers,
      failures,
      { logger: this.logger, runtime: 'ONNX Runtime' },
      (executionProviders) =>
        ort.InferenceSession.create(model, {
          executionProviders: [...executionProviders],
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          // Memory patterns plan one allocation per distinct set of input shapes; Recur's shapes change
          // with every batch (sentence lengths, rows of a beam), so they only add planning and arena
          // blocks (measured on the shipped translation pipeline: 8% faster, lower peak RSS without).
          enableMemPattern: false,
          // Errors only: ONNX Runtime's warnings (a constant too large to fold, ...) are about its own
          // optimisations, not something a Recur user can act on.
          logSeverityLevel: 3,
          // Initializers in external data are read from (a private copy of) the weights file.
          ...(weightsDir !== undefined
            ? { extra: { session: { model_external_initializers_file_folder_path: weightsDir } } }
            : {}),
        }),
    );
    const session = new OrtSession(created.session, unit.name, created.providers, onLastRelease, unit.userModels);
    if (this.disposed) {
      await session.free();
      throw E.DISPOSED('the ONNX Runtime backend was disposed while the session was being created', {
        pointer: unit.name,
      });
    }
    return session;
  }

  private drop(unit: ComputeUnit, failure: Failure, failures: Failure[]): void {
    dropProvider(this.logger, unit.name, failure, failures);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
