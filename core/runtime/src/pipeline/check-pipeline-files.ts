import { StructureOnlyBackend } from '../backend/structure-only-backend.js';
import { RecurError } from '../errors/recur-error.js';
import type { Logger } from '../logger.js';
import type { LoadOptions } from './load-options.js';
import { composePipeline } from './compose-pipeline.js';

export interface FileCheckReport {
  /** What is wrong with the files' structure: each a coded error naming the file. */
  readonly errors: RecurError[];
  /** What load would warn about (provenance that does not match, ...). */
  readonly warnings: RecurError[];
}

/**
 * Checks the structure of the files a valid spec names, without running anything: the pipeline is
 * built on a backend that creates no session, so tokenizer files are parsed, the weights' header,
 * tensor shapes and dtypes are checked against the spec (and scanned for NaN), and user ONNX files
 * are decoded, their inputs and outputs matched to the spec's mapping. When the weights do not
 * exist yet (`weightsExist` false) the parts get fresh weights instead and the rest is checked.
 * An empty or truncated file is reported here even though it exists.
 */
export async function checkPipelineFiles(
  specPath: string,
  options: Omit<LoadOptions, 'backend' | 'initialize' | 'weights' | 'logger' | 'services'>,
  weightsExist: boolean,
): Promise<FileCheckReport> {
  const warnings: RecurError[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    // Warnings that carry a coded error (provenance) are reported; free-text ones are load chatter.
    warn: (_msg, data) => {
      if (RecurError.is(data?.['error'])) warnings.push(data['error']);
    },
    error: () => undefined,
  };
  try {
    const pipeline = await composePipeline(
      specPath,
      { ...options, backend: new StructureOnlyBackend(), logger, ...(weightsExist ? {} : { initialize: { seed: 0 } }) },
      'validate',
    );
    await pipeline.dispose();
    return { errors: [], warnings };
  } catch (err) {
    if (RecurError.is(err)) return { errors: [err], warnings };
    throw err;
  }
}
