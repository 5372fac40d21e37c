import type * as ort from 'onnxruntime-common';
import type { TensorData } from '../graph/tensor-data.js';
import { E } from '../errors/runtime-errors.js';
import { RecurError } from '../errors/recur-error.js';
import type { Session } from './backend.js';
import { fromOrtTensor, toOrtTensor } from './ort-tensors.js';
import { userModelRejected } from './user-model-rejected.js';

/**
 * A cached ONNX Runtime session shared by every holder of the same unit. Each `OrtBackend.session()`
 * call takes one reference and each `release()` gives one back; the ORT session is freed when the
 * last one is released, or when the backend is disposed.
 */
const RUN_OPTIONS: ort.InferenceSession.RunOptions = Object.freeze({ logSeverityLevel: 4 });

export class OrtSession implements Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private refs = 1;
  private released = false;

  constructor(
    private readonly inner: ort.InferenceSession,
    readonly unitName: string,
    readonly executionProviders: readonly string[],
    private readonly onLastRelease: () => void,
    /** User ONNX files in this unit: a run failure is then theirs (RECUR_E_ONNX_REJECTED). */
    private readonly userModels?: readonly string[],
  ) {
    this.inputNames = Object.freeze([...inner.inputNames]);
    this.outputNames = Object.freeze([...inner.outputNames]);
  }

  /** Takes a reference for another holder; false when the session was already freed. */
  retain(): boolean {
    if (this.released) return false;
    this.refs += 1;
    return true;
  }

  async run(
    feeds: Readonly<Record<string, TensorData>>,
    options: { signal?: AbortSignal; outputs?: readonly string[] } = {},
  ): Promise<Record<string, TensorData>> {
    const { signal } = options;
    if (this.released)
      throw E.DISPOSED(`the session of unit "${this.unitName}" was released`, { pointer: this.unitName });
    if (signal?.aborted) throw aborted(this.unitName, signal);
    const ortFeeds: Record<string, ort.Tensor> = {};
    let results: ort.InferenceSession.ReturnType;
    try {
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(t);
      // A copy per run: onnxruntime-web fills in defaults on the options object it is given.
      // A failed run reaches the caller as a coded error carrying ONNX Runtime's message; its own
      // console copy of that message (severity 3) would only say it twice, in red, on stderr.
      const running = options.outputs
        ? this.inner.run(ortFeeds, [...options.outputs], { ...RUN_OPTIONS })
        : this.inner.run(ortFeeds, { ...RUN_OPTIONS });
      results = await (signal ? raceAbort(running, signal, this.unitName) : running);
    } catch (err) {
      if (RecurError.is(err)) throw err;
      if (this.userModels?.length)
        throw userModelRejected(
          { name: this.unitName, userModels: this.userModels },
          `running it failed: ${(err as Error).message}`,
          err,
        );
      throw E.BACKEND_FAILED(
        `ONNX Runtime failed to run unit "${this.unitName}": ${(err as Error).message}`,
        { pointer: this.unitName },
        { cause: err },
      );
    }
    const out: Record<string, TensorData> = {};
    for (const [name, value] of Object.entries(results)) {
      const converted = fromOrtTensor(value);
      if (typeof converted === 'string')
        throw E.BACKEND_FAILED(`unit "${this.unitName}": output "${name}" has ${converted}`, {
          pointer: this.unitName,
        });
      out[name] = converted;
    }
    return out;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.refs -= 1;
    if (this.refs > 0) return;
    await this.free();
  }

  /** Frees the ORT session whatever the count (backend disposal). */
  async free(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.onLastRelease();
    await this.inner.release();
  }
}

function aborted(unit: string, signal: AbortSignal): Error {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return E.ABORTED(`run of unit "${unit}" was aborted${reason}`, { pointer: unit }, { cause: signal.reason });
}

/**
 * Settles with the run, or rejects as soon as the signal aborts. ONNX Runtime cannot stop a run
 * that has started; its result is then dropped.
 */
function raceAbort<T>(running: Promise<T>, signal: AbortSignal, unit: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(aborted(unit, signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    running.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
