import { TrainErrors } from '../errors.js';

type Json = Record<string, unknown>;

/**
 * Turns the autodiff's "no gradient rule" for a node into an error that names the part of the spec
 * the node belongs to: node names carry the scope of the part that built them
 * (`encoder.layer0_scan/Softsign_15`), and a recurrent encoder's step nodes come from its cell. Any
 * other error, or a node no spec block owns, is returned unchanged.
 */
export function blameUntrainablePart(err: unknown, spec: Json): unknown {
  if (!TrainErrors.NO_GRADIENT.is(err)) return err;
  const node = err.details.pointer ?? '';
  const operator = typeof err.details['operator'] === 'string' ? err.details['operator'] : '';
  const path = node.split('/')[0].split('.');
  let block: Json | undefined;
  let pointer = '';
  let cursor: unknown = spec;
  for (const segment of path) {
    const next = isObject(cursor) ? cursor[segment] : undefined;
    if (!isObject(next)) break;
    cursor = next;
    pointer += `/${segment}`;
    if (typeof next['type'] === 'string') block = next;
  }
  if (!block || !operator) return err;
  const owner =
    isObject(block['cell']) && typeof block['cell']['type'] === 'string'
      ? { kind: 'cell', block: block['cell'], pointer: `${pointer}/cell` }
      : { kind: 'part', block, pointer };
  const type = String(owner.block['type']);
  return TrainErrors.UNTRAINABLE_OPERATOR(
    `${owner.kind} "${type}" uses operator ${operator}, which has no gradient rule, so this spec cannot be trained (node ${node}); build it from the operators listed in docs/reference/differentiable-operators.md`,
    { pointer: owner.pointer, plugin: type, operator, node, expected: 'operators with a gradient rule' },
    { cause: err },
  );
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
