import * as ort from '@recur/runtime/onnxruntime';
import type { TensorData } from '@recur/runtime';
import { RuntimeErrors } from '@recur/runtime';
import type { ParamSet } from './param-set.js';
import { LOSS_OUTPUT, type TrainingGraph } from './training-graph.js';

export interface TrainSessionOptions {
  /** Intra-op threads of ONNX Runtime (0 lets it choose). @defaultValue 0 */
  readonly threads?: number;
}

/** What one training step returns; gradients are already in each parameter's `grad`. */
export interface StepResult {
  readonly loss: number;
  readonly outputs: Readonly<Record<string, TensorData>>;
}

/**
 * One ONNX Runtime session for a training graph. Parameters are fed straight from their JavaScript
 * arrays (no copy) and gradients are written by ONNX Runtime into each parameter's `grad` array
 * (preallocated outputs), so a step moves no parameter data through JavaScript (SPIKE.md).
 */
export class TrainSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: TrainingGraph,
    private readonly paramFeeds: Record<string, ort.Tensor>,
    private readonly fetches: Record<string, ort.Tensor | null>,
  ) {}

  static async create(
    graph: TrainingGraph,
    params: ParamSet,
    options: TrainSessionOptions = {},
  ): Promise<TrainSession> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(graph.bytes, {
        intraOpNumThreads: options.threads ?? 0,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw RuntimeErrors.BACKEND_FAILED(
        `ONNX Runtime could not create the training session: ${(err as Error).message}`,
        {},
        { cause: err },
      );
    }
    const paramFeeds: Record<string, ort.Tensor> = {};
    for (const decl of graph.params) {
      const p = params.get(decl.name);
      if (!p)
        throw RuntimeErrors.INTERNAL(
          `the training graph declares parameter ${decl.name}, which the parameter set lacks`,
        );
      paramFeeds[decl.name] = new ort.Tensor('float32', p.value, [...p.dims]);
    }
    const fetches: Record<string, ort.Tensor | null> = { [LOSS_OUTPUT]: null };
    for (const [name, out] of graph.gradOutputs) {
      const p = params.get(name)!;
      fetches[out] = new ort.Tensor('float32', p.grad, [...p.dims]);
    }
    for (const name of graph.extraOutputs) fetches[name] = null;
    return new TrainSession(session, graph, paramFeeds, fetches);
  }

  /** Runs forward and backward on one batch; fills every trained parameter's gradient. */
  async step(data: Readonly<Record<string, TensorData>>): Promise<StepResult> {
    const feeds: Record<string, ort.Tensor> = { ...this.paramFeeds };
    for (const [name, t] of Object.entries(data)) feeds[name] = toOrt(t);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(feeds, this.fetches);
    } catch (err) {
      throw RuntimeErrors.BACKEND_FAILED(
        `training step failed in ONNX Runtime: ${(err as Error).message}`,
        {},
        { cause: err },
      );
    }
    const outputs: Record<string, TensorData> = {};
    for (const name of this.graph.extraOutputs) outputs[name] = fromOrt(out[name]);
    return { loss: Number(out[LOSS_OUTPUT].data[0]), outputs };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function toOrt(t: TensorData): ort.Tensor {
  const type = t.dtype === 'float16' ? 'float16' : t.dtype;
  return new ort.Tensor(type, t.data as ort.Tensor.DataType, [...t.dims]);
}

function fromOrt(t: ort.Tensor): TensorData {
  return { dtype: t.type as TensorData['dtype'], dims: [...t.dims], data: t.data as TensorData['data'] };
}
