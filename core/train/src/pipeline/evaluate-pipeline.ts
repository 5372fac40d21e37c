import { readSafetensors, type TensorData } from '@recur/runtime';
import { dequantizeWeightStore, toFloat32 } from '@recur/runtime/internal';
import type { DevResult } from './objective.js';
import { openRun } from './open-run.js';
import type { TrainPipelineOptions } from './train-options.js';

/**
 * `recur eval`: the task's dev metric (accuracy with per-label precision/recall/F1 and the confusion
 * matrix; BLEU; nats per character and perplexity) of the spec's trained weights on `options.data`,
 * measured exactly as training measures its dev split, with the definitions of docs/reference/metrics.md.
 */
export async function evaluatePipeline(specPath: string, options: TrainPipelineOptions): Promise<DevResult> {
  const run = await openRun(specPath, options, 'eval');
  const objective = await run.definition.create(run.setup);
  try {
    // int8 weights (recur quantize --dtype int8) are evaluated as the runtime computes with them: dequantised.
    const store = dequantizeWeightStore(await readSafetensors(run.weightsPath));
    const weights = new Map<string, TensorData>();
    for (const name of store.names()) {
      const t = store.get(name)!;
      weights.set(name, { dtype: 'float32', dims: t.dims, data: toFloat32(t) });
    }
    return await objective.evaluate(weights);
  } finally {
    await objective.release?.();
    await run.backend.dispose();
  }
}
