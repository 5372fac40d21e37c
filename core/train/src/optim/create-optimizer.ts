import { TrainErrors } from '../errors.js';
import { AdamOptimizer } from './adam.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { SgdOptimizer } from './sgd.js';

export const OPTIMIZERS = ['adam', 'adamw', 'sgd'] as const;

/** The optimizer named by `config.name`; RECUR_E_TRAIN_OPTIMIZER_UNKNOWN for any other name. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  const name = config.name.toLowerCase();
  if (name === 'adam' || name === 'adamw') return new AdamOptimizer({ ...config, name });
  if (name === 'sgd') return new SgdOptimizer({ ...config, name });
  throw TrainErrors.OPTIMIZER_UNKNOWN(`optimizer "${config.name}" is not implemented`, {
    expected: OPTIMIZERS.join(' | '),
  });
}
