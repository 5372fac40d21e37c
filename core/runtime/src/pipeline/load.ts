import type { LoadOptions } from './load-options.js';
import { composePipeline } from './compose-pipeline.js';
import type { Pipeline } from './pipeline.js';

/**
 * Loads a pipeline from a spec file path or a spec object: validates it (every problem at once),
 * imports the plugins it lists that the caller allowed, creates its parts, compiles the compute
 * units with the weights and opens one ONNX Runtime session per unit. How the pipeline is put
 * together (its container, services and parts) is in `compose-pipeline.ts`.
 */
export async function load(spec: string | Record<string, unknown>, options: LoadOptions): Promise<Pipeline> {
  return composePipeline(spec, options, options.initialize || options.weights ? 'weights-given' : 'run');
}
