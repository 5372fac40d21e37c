import { defineErrors } from '@recur/runtime';

/** The error table of @recur/train. */
export const TrainErrors = defineErrors('@recur/train', {
  NO_GRADIENT: { code: 'RECUR_E_TRAIN_NO_GRADIENT', description: 'The graph to train uses an operator the autodiff has no gradient rule for; the error names the operator and the node. Build the part from differentiable ops or add a rule.', exitCode: 3 },
  GRAPH_UNSUPPORTED: { code: 'RECUR_E_TRAIN_GRAPH_UNSUPPORTED', description: 'An operator is used in a form the autodiff cannot differentiate (for example a Scan over an axis other than 0, or a tensor whose rank is unknown); the error names the node and the attribute.', exitCode: 3 },
  NOT_DIFFERENTIABLE: { code: 'RECUR_E_TRAIN_NOT_DIFFERENTIABLE', description: 'The loss does not depend on a value a gradient was asked for, or the loss is not a float scalar.', exitCode: 3 },
  FIXTURE_INVALID: { code: 'RECUR_E_TRAIN_FIXTURE_INVALID', description: 'A conformance folder is malformed: index.json missing or unreadable, a case without its tensors, or an optimizer the trainer does not implement.' },
  OPTIMIZER_UNKNOWN: { code: 'RECUR_E_TRAIN_OPTIMIZER_UNKNOWN', description: 'The optimizer named is not implemented; use adam, adamw or sgd.' },
  CHECKPOINT_INVALID: { code: 'RECUR_E_TRAIN_CHECKPOINT_INVALID', description: 'A training checkpoint does not fit the run being resumed (another model, missing optimizer state, or a corrupt file).' },
  DIVERGED: { code: 'RECUR_E_TRAIN_DIVERGED', description: 'The loss or a gradient became NaN or infinite; lower the learning rate or enable gradient clipping.' },
});
