import type { TensorData } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import { clipGradientNorm, gradientNorm } from '../optim/clip.js';
import { createOptimizer } from '../optim/create-optimizer.js';
import type { Optimizer, OptimizerConfig } from '../optim/optimizer.js';
import { learningRate, type ScheduleConfig } from '../optim/schedule.js';
import { dropoutMask } from '../rng/dropout.js';
import { Xoshiro128 } from '../rng/xoshiro128.js';
import type { ParamSet } from './param-set.js';
import { TrainSession, type TrainSessionOptions } from './train-session.js';
import type { TrainingGraph } from './training-graph.js';

export interface TrainerOptions extends TrainSessionOptions {
  readonly optimizer: OptimizerConfig;
  /** @defaultValue constant */
  readonly schedule?: ScheduleConfig;
  /** Steps of the whole run, for decaying schedules. @defaultValue 1 */
  readonly totalSteps?: number;
  /** @defaultValue totalSteps */
  readonly stepsPerEpoch?: number;
  /** Clip the global gradient norm to this value; unset: no clipping. */
  readonly clip?: number;
  /** Seed of the run's generator (dropout masks; callers also draw batch order from `rng`). @defaultValue 0 */
  readonly seed?: number;
}

/** What one optimizer step reports. */
export interface TrainStepReport {
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly outputs: Readonly<Record<string, TensorData>>;
}

/**
 * One training graph with its parameters, optimizer, schedule and generator: `step(batch)` runs forward
 * and backward in ONNX Runtime, then clips and updates in JavaScript. Everything that makes a run
 * continue exactly after a resume (step count, optimizer state, generator state) is here.
 */
export class Trainer {
  /** Optimizer steps taken (also across resumes). */
  stepCount = 0;

  private constructor(
    readonly session: TrainSession,
    readonly graph: TrainingGraph,
    readonly params: ParamSet,
    readonly optimizer: Optimizer,
    public rng: Xoshiro128,
    private readonly options: TrainerOptions,
  ) {}

  static async create(graph: TrainingGraph, params: ParamSet, options: TrainerOptions): Promise<Trainer> {
    const session = await TrainSession.create(graph, params, options);
    return new Trainer(
      session,
      graph,
      params,
      createOptimizer(options.optimizer),
      new Xoshiro128(options.seed ?? 0),
      options,
    );
  }

  /** The learning rate of the next step. */
  get lr(): number {
    const total = this.options.totalSteps ?? 1;
    return learningRate(this.options.optimizer.lr, this.options.schedule ?? {}, {
      step: this.stepCount,
      totalSteps: total,
      stepsPerEpoch: this.options.stepsPerEpoch ?? total,
    });
  }

  /**
   * One optimizer step on `batch` (ids, targets, lengths, ...); `batchDims` sizes the symbolic dimensions
   * of the dropout masks (`{ T: 35, B: 32 }`).
   */
  async step(
    batch: Readonly<Record<string, TensorData>>,
    batchDims: Readonly<Record<string, number>>,
  ): Promise<TrainStepReport> {
    const feeds: Record<string, TensorData> = { ...batch };
    for (const m of this.graph.masks) {
      const dims = m.dims.map((d) => (typeof d === 'number' ? d : batchDims[d]));
      if (dims.some((d) => d === undefined))
        throw TrainErrors.GRAPH_UNSUPPORTED(
          `dropout mask ${m.name} has dimensions [${m.dims.join(', ')}]; the batch gives ${JSON.stringify(batchDims)}`,
        );
      feeds[m.name] = dropoutMask(this.rng, dims, m.rate);
    }
    const { loss, outputs } = await this.session.step(feeds);
    if (!Number.isFinite(loss))
      throw TrainErrors.DIVERGED(`the loss is ${loss} at step ${this.stepCount + 1}`, { step: this.stepCount + 1 });
    const gradNorm =
      this.options.clip !== undefined ? clipGradientNorm(this.params, this.options.clip) : gradientNorm(this.params);
    if (!Number.isFinite(gradNorm))
      throw TrainErrors.DIVERGED(`a gradient is not finite at step ${this.stepCount + 1}`, {
        step: this.stepCount + 1,
      });
    const lr = this.lr;
    this.optimizer.step(this.params, lr);
    this.stepCount += 1;
    return { loss, lr, gradNorm, outputs };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
