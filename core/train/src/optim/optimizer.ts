import type { TensorData } from '@recur/runtime';
import type { ParamSet } from '../engine/param-set.js';

/** Settings of an optimizer, in PyTorch's terms (its `torch.optim` names in comments). */
export interface OptimizerConfig {
  /** `adam`, `adamw` or `sgd`. */
  readonly name: string;
  readonly lr: number;
  /** Adam/AdamW `betas`. @defaultValue [0.9, 0.999] */
  readonly betas?: readonly [number, number];
  /** Adam/AdamW `eps`. @defaultValue 1e-8 */
  readonly eps?: number;
  /** L2 penalty added to the gradient (Adam, SGD) or decoupled decay (AdamW). @defaultValue 0 (AdamW: 0.01, as PyTorch) */
  readonly weightDecay?: number;
  /** Adam/AdamW `amsgrad`. @defaultValue false */
  readonly amsgrad?: boolean;
  /** SGD `momentum`. @defaultValue 0 */
  readonly momentum?: number;
  /** SGD `dampening`. @defaultValue 0 */
  readonly dampening?: number;
  /** SGD `nesterov`. @defaultValue false */
  readonly nesterov?: boolean;
}

/**
 * Updates parameters in place from their gradients, with PyTorch's exact update formulas (state kept in
 * float32 as PyTorch keeps it, arithmetic in float64 rounded on store).
 */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** Steps taken so far. */
  readonly steps: number;
  /** One update of every parameter that is not frozen, at learning rate `lr`. */
  step(params: ParamSet, lr: number): void;
  /** The optimizer's state as named tensors, for checkpoints (`adam.m.<param>`, ...). */
  stateTensors(): Record<string, TensorData>;
  /** Restores state written by `stateTensors` after `steps` steps. */
  loadState(state: Readonly<Record<string, TensorData>>, steps: number): void;
}
