import { RecurError } from '../errors/recur-error.js';
import { readRegularFile } from '../files/regular-file.js';
import { basename } from 'node:path';
import type { TensorData } from '../graph/tensor-data.js';
import { E } from '../errors/runtime-errors.js';
import type { Logger } from '../logger.js';
import type { ComputeUnit } from '../plugins/task-contract.js';
import type { Backend, SessionOptions } from './backend.js';
import { OrtBackend } from './ort-backend.js';

/**
 * A user's own `.onnx` file (bring your own model, any opset) as a compute unit of its own.
 * A missing or unreadable file is RECUR_E_IO.
 */
export async function onnxFileUnit(path: string, name = basename(path)): Promise<ComputeUnit> {
  try {
    return { name, model: await readRegularFile(path, 'ONNX model'), userModels: [path] };
  } catch (err) {
    if (RecurError.is(err)) throw err;
    throw E.IO(`cannot read ONNX model ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
}

export interface RunOnnxFileOptions extends SessionOptions {
  /** Backend to run on; by default a private OrtBackend, disposed afterwards. */
  readonly backend?: Backend;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  readonly outputs?: readonly string[];
}

/**
 * Runs an ONNX model once: for conformance runs (the official ONNX node tests, PyTorch's exports) and
 * for checking a BYOM file. Serving code should keep the session: `backend.session(await onnxFileUnit(path))`.
 */
export async function runOnnxFile(
  model: string | Uint8Array,
  feeds: Readonly<Record<string, TensorData>>,
  options: RunOnnxFileOptions = {},
): Promise<Record<string, TensorData>> {
  const unit = typeof model === 'string' ? await onnxFileUnit(model) : { name: 'model.onnx', model };
  const backend = options.backend ?? new OrtBackend(options.logger ? { logger: options.logger } : {});
  try {
    const session = await backend.session(unit, options);
    try {
      return await session.run(feeds, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.outputs ? { outputs: options.outputs } : {}),
      });
    } finally {
      await session.release();
    }
  } finally {
    if (!options.backend) await backend.dispose();
  }
}
