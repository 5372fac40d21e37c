/** @recur/train: reverse-mode autodiff over the graph builder, ONNX training graphs, optimizers. */
export { TrainErrors } from './errors.js';
export { addGradients, type Gradients } from './autodiff/gradients.js';
export { backprop, type BackpropRequest } from './autodiff/backprop.js';
export { differentiableOps, differentiableOpsByFamily, NON_DIFFERENTIABLE } from './autodiff/rules/index.js';
export { renderOperatorReference } from './docs/operator-reference.js';
export { gradCheck, randoms, randomInput, type TensorSpec, type GradCheckOptions } from './testing/grad-check.js';
export {
  checkParamGradients,
  checkEncoderGradients,
  type ParamGradientOptions,
  type ParamGradientResult,
  type EncoderGradientOptions,
} from './testing/param-gradients.js';
export { inferGraph, Scope, type ValueInfo, type InfoDim } from '@recur/runtime/internal';
export { ParamSet, type Param } from './engine/param-set.js';
export {
  buildTrainingGraph,
  gradOutputName,
  LOSS_OUTPUT,
  type ForwardResult,
  type TrainingGraph,
  type TrainingGraphOptions,
} from './engine/training-graph.js';
export { TrainSession, type StepResult, type TrainSessionOptions } from './engine/train-session.js';
export { languageModelForward, LM_PARAMS, type LmSizes } from './engine/lm-forward.js';
export type { Optimizer, OptimizerConfig } from './optim/optimizer.js';
export { AdamOptimizer } from './optim/adam.js';
export { SgdOptimizer } from './optim/sgd.js';
export { createOptimizer, OPTIMIZERS } from './optim/create-optimizer.js';
export { clipGradientNorm, gradientNorm } from './optim/clip.js';
export { learningRate, type ScheduleConfig, type SchedulePosition } from './optim/schedule.js';
export { Xoshiro128 } from './rng/xoshiro128.js';
export { dropoutMask } from './rng/dropout.js';
export {
  runTrainConformance,
  trainConformanceHandler,
  conformanceHandlers,
  LOSS_GRAD_TOLERANCE,
  WEIGHTS_TOLERANCE,
  type TrainConformanceOptions,
} from './conformance/train-conformance.js';
export { parseLmCase, type LmTrainCase } from './conformance/lm-case.js';
export { createPart } from './conformance/standalone-parts.js';
export * from './data/index.js';
export { Trainer, type TrainerOptions, type TrainStepReport } from './engine/trainer.js';
export { applyDropout, type MaskInput } from './engine/training-graph.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  restoreCheckpoint,
  CHECKPOINT_KEYS,
  type Checkpoint,
} from './checkpoint/checkpoint.js';
export * from './tokenizer-training/index.js';
export * from './vectors/index.js';
export { unrollScans } from './engine/unroll-scans.js';
export * from './metrics/index.js';
export * from './progress/index.js';
export { crossEntropyLoss, IGNORE_TARGET } from './engine/losses.js';
export { trainPipeline, defaultOutDir } from './pipeline/train-pipeline.js';
export type { TrainPipelineOptions, TrainPipelineResult } from './pipeline/train-options.js';
export type {
  Objective,
  ObjectiveDefinition,
  ObjectiveSetup,
  ObjectiveFactory,
  TrainBatch,
  DevResult,
  TokenizerPreparation,
} from './pipeline/objective.js';
export { OBJECTIVES } from './pipeline/objectives.js';
export { trainSpecTokenizer, type SpecTokenizerBlock, type TokenizerDefaults } from './pipeline/spec-tokenizer.js';
export { pretrainedEmbedding, type VectorInitBlock } from './pipeline/pretrained-embedding.js';
export { evaluatePipeline } from './pipeline/evaluate-pipeline.js';
export { openRun, type OpenRun } from './pipeline/open-run.js';
