import { createRegistry, load } from '@recur/cli';
import { memoryLogger, type Pipeline } from '@recur/runtime';

/**
 * Loads `spec` (with the built-in plugins) before the enclosing suite's tests and disposes of it after
 * them. Call inside `describe`; the returned function gives the loaded pipeline.
 */
export function loadedPipeline(spec: string): () => Pipeline {
  let pipeline: Pipeline | undefined;
  before(async () => {
    // Warnings (an over-long hostile input cut to the limit) are expected here: kept, not printed.
    pipeline = await load(spec, { registry: createRegistry(), logger: memoryLogger() });
  });
  after(async () => {
    await pipeline?.dispose();
  });
  return () => {
    if (!pipeline) throw new Error(`${spec} is not loaded: loadedPipeline() must be called inside describe()`);
    return pipeline;
  };
}
