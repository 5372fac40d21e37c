import type { GraphBuilder, Value } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import { backprop } from './backprop.js';
import { sumContributions } from './contribution.js';
import { GradContext, scalarTensor } from './grad-context.js';
import { inferGraph, Scope, isFloat, knownSize } from '@recur/runtime/internal';

/** What `addGradients` returns. */
export interface Gradients {
  /** The gradient of the loss with respect to each requested value, in the graph. */
  readonly grads: ReadonlyMap<string, Value>;
  /** Requested values the loss does not depend on (their gradient is zeros). */
  readonly unused: readonly string[];
}

/**
 * Appends to `g` the gradient of the scalar `loss` with respect to each value named in `wrt` (parameters
 * or float graph inputs), by reverse-mode differentiation of the nodes already in `g`. The training graph
 * is then `g` itself: mark the loss and the returned gradients as outputs.
 *
 * @example
 * const g = new GraphBuilder('lm');
 * const loss = buildForward(g);                          // any graph-builder ops
 * const { grads } = addGradients(g, loss, g.params.map((p) => p.name));
 * for (const [name, grad] of grads) g.output(grad, `grad.${name}`, 'float32');
 */
export function addGradients(g: GraphBuilder, loss: Value, wrt: readonly string[]): Gradients {
  const scope = Scope.of(g);
  inferGraph(g, scope);
  const lossInfo = scope.get(loss.name);
  if (!isFloat(lossInfo) || (lossInfo!.dims && knownSize(lossInfo!.dims) !== 1)) {
    throw TrainErrors.NOT_DIFFERENTIABLE(
      `the loss '${loss.name}' must be a float scalar; it is ${lossInfo ? `${lossInfo.dtype} [${lossInfo.dims?.join(', ') ?? '?'}]` : 'unknown'}`,
      { expected: 'float32 or float64 with one element' },
    );
  }
  for (const name of wrt) {
    if (!scope.get(name))
      throw TrainErrors.NOT_DIFFERENTIABLE(`'${name}' is not a value of the graph`, {
        suggestions: g.params.map((p) => p.name).slice(0, 5),
      });
  }
  const nodes = [...g.nodes];
  const one = g.constant(scalarTensor(lossInfo!.dtype, 1, lossInfo!.dims?.map(() => 1) ?? []), 'seed');
  const contributions = backprop({ builder: g, scope, nodes, seeds: new Map([[loss.name, [one]]]), wrt: new Set(wrt) });
  const ctx = new GradContext(g, scope);
  const grads = new Map<string, Value>();
  const unused: string[] = [];
  for (const name of wrt) {
    const sum = sumContributions(g, contributions.get(name));
    if (sum) grads.set(name, sum);
    else {
      unused.push(name);
      grads.set(name, ctx.zerosLike(name));
    }
  }
  return { grads, unused };
}
