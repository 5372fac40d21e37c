/**
 * Reverse-mode differentiation over graph-builder nodes. Walks the nodes backwards from the seeded
 * values, calls each operator's rule with the gradients of its outputs, and accumulates contributions
 * per value. Gradient nodes go into `request.builder`, which may be the forward graph itself (a training
 * graph is forward + backward) or a reverse Scan body.
 */
import { GraphBuilder, type NodeRecord, type Value } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import { isDeferred, isSparse, sumContributions, type Contribution } from './contribution.js';
import { normAxis, isFloat, type Scope } from '@recur/runtime/internal';
import { GradContext } from './grad-context.js';
import { gradRule, NON_DIFFERENTIABLE } from './rules/index.js';
import type { RuleResult } from './rules/types.js';

export interface BackpropRequest {
  /** Where gradient nodes are emitted. */
  readonly builder: GraphBuilder;
  /** Infos of every forward value (inputs, parameters, node outputs, enclosing graphs' values). */
  readonly scope: Scope;
  /** The forward nodes, in topological order. */
  readonly nodes: readonly NodeRecord[];
  /** Gradients flowing into forward values (the loss's seed; a Scan body's output gradients). */
  readonly seeds: ReadonlyMap<string, readonly Contribution[]>;
  /** Values whose gradients are wanted: parameters, graph inputs, a body's inputs and outer values. */
  readonly wrt: ReadonlySet<string>;
}

/** Contributions to the gradient of each `wrt` value (a value the seeds do not reach maps to none). */
export function backprop(request: BackpropRequest): Map<string, Contribution[]> {
  const { builder, scope, nodes, seeds, wrt } = request;
  const active = activeValues(nodes, wrt, scope);
  checkRules(nodes, active, new Set(seeds.keys()));
  const grads = new Map<string, Contribution[]>();
  const add = (name: string, c: Contribution | undefined): void => {
    if (!c) return;
    const list = grads.get(name);
    if (list) list.push(c);
    else grads.set(name, [c]);
  };
  for (const [name, list] of seeds) for (const c of list) add(name, c);
  const ctx = new GradContext(builder, scope);

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node.outputs.some((o) => grads.has(o))) continue;
    const needs = node.inputs.map((n) => n !== '' && active.has(n) && isFloat(scope.get(n)));
    const outer = implicitInputs(node);
    const needsOuter = new Set([...outer].filter((n) => active.has(n) && isFloat(scope.get(n))));
    if (!needs.some(Boolean) && needsOuter.size === 0) continue;
    if (passTransposedFactors(node, grads, add) || fuseLogSoftmaxScatter(node, grads, add, ctx)) continue;
    const rule = gradRule(node.opType)!;
    const dy = node.outputs.map((o) => sumOnce(builder, grads, o));
    const out = rule({ ctx, node, dy, needs, needsOuter, backprop });
    const result: RuleResult = Array.isArray(out)
      ? { inputs: out as readonly (Contribution | undefined)[] }
      : (out as RuleResult);
    result.inputs.forEach((c, k) => {
      if (needs[k]) add(node.inputs[k], c);
    });
    if (result.outer)
      for (const [name, list] of result.outer) if (needsOuter.has(name)) for (const c of list) add(name, c);
  }

  const out = new Map<string, Contribution[]>();
  for (const name of wrt) out.set(name, grads.get(name) ?? []);
  return out;
}

const NATIVE_RECURRENT = new Set(['LSTM', 'GRU', 'RNN']);

/**
 * Fails before any gradient node is emitted when an operator between the seeds and the differentiated
 * values has no rule, naming the first such node (in forward order).
 */
function checkRules(nodes: readonly NodeRecord[], active: ReadonlySet<string>, seeds: ReadonlySet<string>): void {
  const node = missingRule(nodes, active, seeds);
  if (!node) return;
  const hint = NATIVE_RECURRENT.has(node.opType)
    ? 'the native recurrent operators have no gradient: build the encoder on its Scan path (`path: "scan"`), as recur train does'
    : 'a part built from differentiable graph-builder ops';
  throw TrainErrors.NO_GRADIENT(
    `no gradient rule for operator ${node.opType} (node ${node.name}), which lies between the loss and the parameters`,
    { pointer: node.name, operator: node.opType, expected: hint },
  );
}

/**
 * The first node (in forward order) between the seeds and the active values that has no rule,
 * looking into the bodies of the nodes on that path (a cell's step inside a Scan) as well: the
 * reverse pass would otherwise reach the node after a rule of another part failed on the unknown
 * shapes it leaves behind.
 */
function missingRule(
  nodes: readonly NodeRecord[],
  active: ReadonlySet<string>,
  seeds: ReadonlySet<string>,
): NodeRecord | undefined {
  const needed = new Set(seeds);
  const missing: NodeRecord[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node.outputs.some((o) => needed.has(o)) || NON_DIFFERENTIABLE.has(node.opType)) continue;
    const reads = [...node.inputs, ...implicitInputs(node)];
    if (!reads.some((n) => active.has(n))) continue;
    for (const n of reads) if (n) needed.add(n);
    if (!gradRule(node.opType)) missing.push(node);
    for (const body of Object.values(node.attrs)) {
      if (!(body instanceof GraphBuilder)) continue;
      const inBody = missingRule(body.nodes, bodyActive(body), new Set(body.outputs.map((o) => o.name)));
      if (inBody) missing.push(inBody);
    }
  }
  return missing.at(-1);
}

/** Values of a body that may carry a gradient: its inputs, what it reads from outside, and what they feed. */
function bodyActive(body: GraphBuilder): Set<string> {
  const active = new Set([...body.inputs.map((v) => v.name), ...outerReads(body)]);
  for (const node of body.nodes) {
    if (NON_DIFFERENTIABLE.has(node.opType)) continue;
    if ([...node.inputs, ...implicitInputs(node)].some((n) => active.has(n)))
      for (const o of node.outputs) if (o) active.add(o);
  }
  return active;
}

/**
 * A 2-D Transpose whose output gradient is only deferred matmuls (W^T used as a weight, as in x W^T)
 * hands them on flipped, so no [K, N] gradient is computed and then transposed.
 */
function passTransposedFactors(
  node: NodeRecord,
  grads: Map<string, Contribution[]>,
  add: (name: string, c: Contribution) => void,
): boolean {
  if (node.opType !== 'Transpose') return false;
  const perm = node.attrs['perm'] as number[] | undefined;
  if (!perm || perm.length !== 2 || perm[0] !== 1) return false;
  const list = grads.get(node.outputs[0]) ?? [];
  if (list.length === 0 || !list.every(isDeferred)) return false;
  for (const c of list) add(node.inputs[0], { ...c, transposed: !c.transposed });
  return true;
}

/**
 * LogSoftmax whose output gradient is one sparse scatter (a cross-entropy loss picking the target's
 * log-probability): dx = dy - softmax * rowsum(dy) computed as a scatter-add of the updates into
 * -softmax * rowsum(updates), three passes over the logits and no zero tensor.
 */
function fuseLogSoftmaxScatter(
  node: NodeRecord,
  grads: Map<string, Contribution[]>,
  add: (name: string, c: Contribution) => void,
  ctx: GradContext,
): boolean {
  if (node.opType !== 'LogSoftmax') return false;
  const list = grads.get(node.outputs[0]) ?? [];
  const sparse = list[0];
  if (list.length !== 1 || !sparse || !isSparse(sparse) || sparse.like !== node.outputs[0]) return false;
  const rank = ctx.rank(node.inputs[0], node);
  const axis = normAxis((node.attrs['axis'] as number | undefined) ?? -1, rank);
  if (normAxis(sparse.axis, rank) !== axis) return false;
  const g = ctx.g;
  const rowSum = g.reduceSum(sparse.updates, [axis], true);
  const base = g.mul(g.exp({ name: node.outputs[0] }), g.neg(rowSum));
  add(node.inputs[0], g.op1('ScatterElements', [base, sparse.indices, sparse.updates], { axis, reduction: 'add' }));
  return true;
}

/** Sums a value's contributions once, and keeps the sum as its only contribution. */
function sumOnce(g: GraphBuilder, grads: Map<string, Contribution[]>, name: string): Value | undefined {
  const list = grads.get(name);
  const sum = sumContributions(g, list);
  if (sum) grads.set(name, [sum]);
  return sum;
}

/** Values that depend on a `wrt` value through differentiable operators. */
function activeValues(nodes: readonly NodeRecord[], wrt: ReadonlySet<string>, scope: Scope): Set<string> {
  const active = new Set(wrt);
  for (const node of nodes) {
    if (NON_DIFFERENTIABLE.has(node.opType)) continue;
    const reads = [...node.inputs, ...implicitInputs(node)];
    if (!reads.some((n) => active.has(n))) continue;
    for (const o of node.outputs) if (o && isFloat(scope.get(o))) active.add(o);
  }
  return active;
}

const implicitCache = new WeakMap<NodeRecord, Set<string>>();

/** Names a node's body graphs (Scan, Loop, If) read from the enclosing graph. */
export function implicitInputs(node: NodeRecord): Set<string> {
  let found = implicitCache.get(node);
  if (found) return found;
  found = new Set<string>();
  for (const attr of Object.values(node.attrs)) {
    if (attr instanceof GraphBuilder) for (const n of outerReads(attr)) found.add(n);
  }
  implicitCache.set(node, found);
  return found;
}

/** Values a body reads without producing them: its enclosing graphs' values. */
export function outerReads(body: GraphBuilder): Set<string> {
  const local = new Set<string>([...body.inputs.map((v) => v.name), ...body.constants.keys()]);
  for (const n of body.nodes) for (const o of n.outputs) local.add(o);
  const reads = new Set<string>();
  for (const n of body.nodes) {
    for (const i of n.inputs) if (i && !local.has(i)) reads.add(i);
    for (const i of implicitInputs(n)) if (!local.has(i)) reads.add(i);
  }
  for (const o of body.outputs) if (!local.has(o.name)) reads.add(o.name);
  return reads;
}
