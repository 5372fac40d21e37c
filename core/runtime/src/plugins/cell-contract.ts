/**
 * Checks a cell plugin against the cell contract where it is built, before any graph runs: every
 * state it declares comes back from `step`, as float32 [batch, hidden]. A cell that breaks it would
 * otherwise fail inside ONNX Runtime (a Scan or Split shape message naming no part), or inside Recur.
 */
import { RecurError } from '../errors/recur-error.js';
import { E } from '../errors/runtime-errors.js';
import { GraphBuilder, type Value } from '../graph/graph-builder.js';
import { inferBody, inferGraph } from '../graph/shape-inference.js';
import { Scope, type InfoDim, type ValueInfo } from '../graph/value-info.js';
import type { CellPart, CellState } from './part-contracts.js';

/** Which cell is checked, for the error: its spec type and the JSON pointer of its block. */
export interface CellIdentity {
  readonly type: string;
  readonly pointer: string;
}

/**
 * Builds the cell's `project` and `step` once on a scratch graph with symbolic batch and time, and
 * infers the states' shapes statically. Throws RECUR_E_PLUGIN_CONTRACT naming the cell type and the
 * state; dimensions that static inference cannot know (a Reshape to a computed shape) pass.
 *
 * @example
 * checkCellContract(cell, { type: 'mgu', pointer: '/encoder/cell' }, 100, 256);
 */
export function checkCellContract(cell: CellPart, who: CellIdentity, inputSize: number, hidden: number): void {
  const fail = (
    what: string,
    expected: string,
    got: string,
    extra: Record<string, unknown> = {},
    cause?: unknown,
  ): RecurError =>
    E.PLUGIN_CONTRACT(
      `cell "${who.type}": ${what}; expected ${expected}, got ${got}`,
      { pointer: who.pointer, plugin: who.type, expected, got, ...extra },
      cause ? { cause } : undefined,
    );
  const names: unknown = cell.stateNames; // a plugin's value: checked, not trusted
  if (!isStateNameList(names)) {
    throw fail(
      'stateNames must list its state tensors',
      'distinct non-empty names such as ["h"] or ["h", "c"]',
      JSON.stringify(names),
    );
  }
  const g = new GraphBuilder('cell_probe');
  const x = g.input('x', 'float32', ['time', 'batch', inputSize]);
  let projected: Value;
  let body: GraphBuilder;
  let next: CellState;
  const states: Record<string, Value> = {};
  try {
    const step = cell.declare(g.scope('probe'), inputSize, hidden);
    projected = step.project ? step.project(g, x) : x;
    body = g.subgraph('step');
    for (const s of names) states[s] = body.input(`${s}_in`, 'float32', ['batch', hidden]);
    const scope = Scope.of(g);
    inferGraph(g, scope);
    const features = scope.get(projected.name)?.dims?.[2];
    const xt = body.input('x_t', 'float32', ['batch', typeof features === 'number' ? features : 'features']);
    next = step.step(body, xt, states);
    const stepScope = inferBody(body, scope);
    checkProjected(scope.get(projected.name), fail);
    for (const s of names) {
      const value = next?.[s];
      if (!value || typeof value.name !== 'string') {
        throw fail(
          `step returned no state "${s}"`,
          `one value per declared state (${names.join(', ')})`,
          `states ${Object.keys(next ?? {}).join(', ') || 'none'}`,
          { state: s },
        );
      }
      checkState(s, stepScope.get(value.name), hidden, fail);
    }
  } catch (err) {
    if (RecurError.is(err)) throw err;
    throw fail(
      'building its graph threw',
      'declare, project and step to build graph-builder ops',
      err instanceof Error ? err.message : String(err),
      {},
      err,
    );
  }
}

type Fail = (what: string, expected: string, got: string, extra?: Record<string, unknown>) => RecurError;

function checkState(state: string, info: ValueInfo | undefined, hidden: number, fail: Fail): void {
  if (!info) return;
  if (info.dtype !== 'float32')
    throw fail(`state "${state}" has element type ${info.dtype}`, 'float32', info.dtype, { state });
  if (!info.dims) return;
  const expected: InfoDim[] = ['batch', hidden];
  const fits = info.dims.length === 2 && info.dims.every((d, i) => d === null || d === expected[i]);
  if (!fits) throw fail(`state "${state}" has the wrong shape`, `[batch, ${hidden}]`, showDims(info.dims), { state });
}

function checkProjected(info: ValueInfo | undefined, fail: Fail): void {
  if (!info?.dims) return;
  const fits =
    info.dims.length === 3 &&
    (info.dims[0] === null || info.dims[0] === 'time') &&
    (info.dims[1] === null || info.dims[1] === 'batch');
  if (!fits)
    throw fail(
      'project must keep the time and batch axes of its input',
      '[time, batch, features]',
      showDims(info.dims),
    );
}

function showDims(dims: readonly InfoDim[]): string {
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Distinct non-empty strings, at least one. */
function isStateNameList(names: unknown): names is readonly string[] {
  if (!Array.isArray(names) || names.length === 0) return false;
  const list: readonly unknown[] = names;
  return list.every((n) => typeof n === 'string' && n !== '') && new Set(list).size === list.length;
}
