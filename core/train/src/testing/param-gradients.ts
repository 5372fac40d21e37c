/**
 * Gradient checks of trainable parts as training sees them: the part inside a small training graph
 * (float32 parameters, as `recur train` builds it), each parameter's gradient compared with central
 * differences of the loss along a random direction. For plugin authors: a cell, an embedding or a
 * head is checked in a few lines, without writing a backward pass.
 */
import { AssertionError } from 'node:assert';
import type { EncoderPart, GraphBuilder, TensorData } from '@recur/runtime';
import { ParamSet } from '../engine/param-set.js';
import { languageModelForward } from '../engine/lm-forward.js';
import { TrainSession } from '../engine/train-session.js';
import { buildTrainingGraph, type ForwardResult } from '../engine/training-graph.js';
import { Xoshiro128 } from '../rng/xoshiro128.js';

export interface ParamGradientOptions {
  /** Seed of the parameters' initial values and of the directions. @defaultValue 3 */
  readonly seed?: number;
  /** Step of the central differences (float32 arithmetic: not too small). @defaultValue 1e-2 */
  readonly eps?: number;
  /** Allowed |analytic - numeric| <= atol + rtol |numeric|. @defaultValue { atol: 2e-3, rtol: 0.02 } */
  readonly atol?: number;
  readonly rtol?: number;
}

/** One parameter's directional derivative: the autodiff's (gradient . direction) and the finite differences'. */
export interface ParamGradientResult {
  readonly name: string;
  readonly analytic: number;
  readonly numeric: number;
}

/**
 * Builds the training graph of `forward`, and for every parameter compares grad . d with
 * (L(p + eps d) - L(p - eps d)) / 2 eps along a random direction d of that parameter alone. Throws an
 * AssertionError naming the first parameter that differs; returns every result otherwise.
 *
 * @example
 * await checkParamGradients((g) => ({ loss: g.reduceSum(myHead.build(g.scope('head'), ...)) }), feeds);
 */
export async function checkParamGradients(
  forward: (g: GraphBuilder) => ForwardResult,
  feeds: Readonly<Record<string, TensorData>>,
  options: ParamGradientOptions = {},
): Promise<ParamGradientResult[]> {
  const eps = options.eps ?? 1e-2,
    atol = options.atol ?? 2e-3,
    rtol = options.rtol ?? 0.02;
  const graph = buildTrainingGraph(forward);
  const params = ParamSet.initialised(graph.params, options.seed ?? 3);
  const session = await TrainSession.create(graph, params, { threads: 1 });
  const results: ParamGradientResult[] = [];
  try {
    await session.step(feeds);
    const rng = new Xoshiro128((options.seed ?? 3) + 8);
    for (const p of params) {
      const d = Float32Array.from(p.value, () => rng.next() * 2 - 1);
      let analytic = 0;
      for (let i = 0; i < d.length; i++) analytic += p.grad[i] * d[i];
      const saved = Float32Array.from(p.value);
      const lossAt = async (sign: number) => {
        for (let i = 0; i < d.length; i++) p.value[i] = saved[i] + sign * eps * d[i];
        return (await session.step(feeds)).loss;
      };
      const numeric = ((await lossAt(1)) - (await lossAt(-1))) / (2 * eps);
      p.value.set(saved);
      results.push({ name: p.name, analytic, numeric });
      if (!(Math.abs(numeric - analytic) <= atol + rtol * Math.abs(numeric))) {
        throw new AssertionError({
          message: `${p.name}: gradient . d = ${analytic}, finite differences ${numeric}`,
          actual: analytic,
          expected: numeric,
          operator: 'gradient',
        });
      }
    }
  } finally {
    await session.release();
  }
  return results;
}

/** Sizes of the language model `checkEncoderGradients` wraps around an encoder. */
export interface EncoderGradientOptions extends ParamGradientOptions {
  /** The encoder's input size (the embedding's dim). */
  readonly inputDim: number;
  /** Vocabulary of the wrapping model. @defaultValue 7 */
  readonly vocab?: number;
  /** Steps and batch of the random batch; lengths are ragged (T, then shorter). @defaultValue { steps: 6, batch: 3 } */
  readonly steps?: number;
  readonly batch?: number;
}

/**
 * Checks the gradients of an encoder (any cell) inside a small language model
 * Embedding -> encoder -> Linear on a random ragged batch: the encoder's and the wrapping layers'
 * parameters, as `recur train` differentiates them. The check the custom-cell guide shows.
 *
 * @example
 * const encoder = await createPart(registry, 'encoder', { type: 'recurrent', cell: { type: 'mgu' }, hidden: 5, layers: 2, bidirectional: true }, { inputDim: 4 });
 * await checkEncoderGradients(encoder, { inputDim: 4 }); // throws naming a parameter whose gradient is off
 */
export async function checkEncoderGradients(
  encoder: EncoderPart,
  options: EncoderGradientOptions,
): Promise<ParamGradientResult[]> {
  const vocab = options.vocab ?? 7,
    T = options.steps ?? 6,
    B = options.batch ?? 3;
  const rng = new Xoshiro128((options.seed ?? 3) + 2);
  const ids = BigInt64Array.from({ length: T * B }, () => BigInt(rng.below(vocab)));
  const feeds: Record<string, TensorData> = {
    ids: { dtype: 'int64', dims: [T, B], data: ids },
    targets: { dtype: 'int64', dims: [T, B], data: BigInt64Array.from(ids, (id) => (id + 1n) % BigInt(vocab)) },
    lengths: { dtype: 'int32', dims: [B], data: Int32Array.from({ length: B }, (_, b) => Math.max(1, T - 2 * b)) },
  };
  return checkParamGradients(
    (g) => languageModelForward(g, encoder, { vocab, embed: options.inputDim }),
    feeds,
    options,
  );
}
