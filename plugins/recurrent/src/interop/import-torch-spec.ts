import { type TensorData, type WeightStore } from '@recur/runtime';
import { parseTypeName } from '@recur/runtime/internal';
import { E } from '../errors.js';
import { importTorchRecurrent, type TorchRecurrentKind } from './import-torch.js';

/** What a spec's weights must hold: every declared parameter's name and shape, and the spec itself. */
export interface TorchImportTarget {
  /** Parameter name -> shape, as the spec declares them (`pipeline.initializedWeights` gives them). */
  readonly params: ReadonlyMap<string, readonly number[]>;
  /** The filled spec: part blocks are read for the recurrent layers' configuration. */
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface TorchImportOptions {
  /**
   * Source prefix -> part of the spec (`{ 'rnn.': 'encoder', 'embed.': 'embedding', 'out.': 'head' }`).
   * A part is a dotted path of spec blocks, which is also its weights' prefix (`source.encoder`).
   */
  readonly map: Readonly<Record<string, string>>;
  /** `nonlinearity` of the source `nn.RNN` modules, checked against the spec's `activation`. */
  readonly nonlinearity?: 'tanh' | 'relu';
}

/** What went where: one line per part, for the command's report. */
export interface TorchImportReport {
  readonly parts: readonly {
    readonly part: string;
    readonly from: string;
    readonly module: string;
    readonly tensors: number;
  }[];
  readonly sourceTensors: number;
}

/**
 * Fills every parameter of a spec from a PyTorch state dict, strictly. Each mapped part is converted
 * as the module its parameters fit: a `recurrent` encoder with an `lstm`, `gru` or `rnn` cell from
 * `nn.LSTM`/`nn.GRU`/`nn.RNN` (gates reordered, see importTorchRecurrent; layers, directions, hidden
 * size and biases checked against the spec), and a part with one matrix and at most one vector (a
 * lookup embedding, a classifier or language-model head) from `nn.Embedding` or `nn.Linear`
 * (`weight`, `bias`, same layout). Refuses, listing every name: source tensors left unused
 * (RECUR_E_RECURRENT_TORCH_UNUSED) and parameters left unfilled (RECUR_E_RECURRENT_TORCH_UNFILLED).
 *
 * @example
 * const pipeline = await load('lm.json', { registry, initialize: { seed: 0 } });
 * const params = new Map([...pipeline.initializedWeights].map(([n, t]) => [n, t.dims]));
 * const { weights } = importTorchStateDict(await readSafetensors('model.safetensors'), { params, spec: pipeline.spec },
 *   { map: { 'embed.': 'embedding', 'rnn.': 'encoder', 'out.': 'head' } });
 */
export function importTorchStateDict(
  stateDict: WeightStore | Readonly<Record<string, TensorData>>,
  target: TorchImportTarget,
  options: TorchImportOptions,
): { weights: Record<string, TensorData>; report: TorchImportReport } {
  const names = isStore(stateDict) ? stateDict.names() : Object.keys(stateDict);
  const get = (name: string): TensorData | undefined =>
    isStore(stateDict)
      ? stateDict.get(name)
      : Object.prototype.hasOwnProperty.call(stateDict, name)
        ? stateDict[name]
        : undefined;
  const weights: Record<string, TensorData> = {};
  const used = new Set<string>();
  const parts: { part: string; from: string; module: string; tensors: number }[] = [];

  for (const [from, part] of Object.entries(options.map)) {
    const block = blockAt(target.spec, part);
    const own = [...target.params.keys()].filter((n) => n.startsWith(`${part}.`));
    if (!block || own.length === 0) {
      throw E.TORCH_UNSUPPORTED(`--map ${from}=${part}: the spec has no part "${part}" with parameters`, {
        expected: `one of ${partsOf(target.spec, target.params.keys()).join(', ')}`,
        suggestions: partsOf(target.spec, target.params.keys()),
      });
    }
    const source = names.filter((n) => n.startsWith(from));
    if (source.length === 0) {
      throw E.TORCH_MISSING(`--map ${from}=${part}: the state dict has no tensor whose name starts with "${from}"`, {
        expected: `one of the prefixes ${sourcePrefixes(names).join(', ')}`,
        suggestions: sourcePrefixes(names),
      });
    }
    const sub = Object.fromEntries(source.map((n) => [n.slice(from.length), get(n)!]));
    const converted = recurrentKind(block, options.nonlinearity, part)
      ? importTorchRecurrent(sub, recurrentConfig(block, options.nonlinearity, part, sub), part)
      : importLinear(sub, target.params, own, from, part);
    for (const [name, tensor] of Object.entries(converted)) {
      const dims = target.params.get(name);
      if (!dims)
        throw E.TORCH_UNUSED(`${from}: the converted tensor ${name} is not a parameter of the spec`, {
          unused: [name],
        });
      if (dims.length !== tensor.dims.length || dims.some((d, i) => d !== tensor.dims[i])) {
        throw E.TORCH_SHAPE(
          `${name} from "${from}" is [${tensor.dims.join(', ')}], the spec's parameter is [${dims.join(', ')}]`,
          { tensor: name, expected: `[${dims.join(', ')}]`, actual: `[${tensor.dims.join(', ')}]` },
        );
      }
      weights[name] = tensor;
    }
    for (const n of source) used.add(n);
    parts.push({ part, from, module: moduleName(block, options.nonlinearity, part), tensors: source.length });
  }

  const unused = names.filter((n) => !used.has(n));
  if (unused.length > 0) {
    throw E.TORCH_UNUSED(`${unused.length} tensor(s) of the state dict are under no --map prefix: ${list(unused)}`, {
      unused,
      expected: `--map PREFIX=PART for each of the prefixes ${sourcePrefixes(unused).join(', ')}`,
    });
  }
  const unfilled = [...target.params.keys()].filter((n) => !(n in weights));
  if (unfilled.length > 0) {
    const partsLeft = partsOf(target.spec, unfilled);
    throw E.TORCH_UNFILLED(
      `${unfilled.length} parameter(s) of the spec are not filled (parts ${partsLeft.join(', ')}): ${list(unfilled)}`,
      { unfilled, expected: `--map PREFIX=${partsLeft[0]}` },
    );
  }
  return { weights, report: { parts, sourceTensors: names.length } };
}

const RECURRENT_CELLS: Readonly<Record<string, 'lstm' | 'gru' | 'rnn'>> = { lstm: 'lstm', gru: 'gru', rnn: 'rnn' };

/** The torch kind of a `recurrent` block with a built-in cell, undefined for any other part. */
function recurrentKind(
  block: Readonly<Record<string, unknown>>,
  nonlinearity: 'tanh' | 'relu' | undefined,
  part: string,
): TorchRecurrentKind | undefined {
  const cell = block['cell'] as Record<string, unknown> | undefined;
  if (!cell || typeof cell['type'] !== 'string') return undefined;
  const family = RECURRENT_CELLS[parseTypeName(cell['type'])?.baseName ?? cell['type']];
  if (!family) {
    throw E.TORCH_UNSUPPORTED(
      `part "${part}" uses cell "${cell['type']}", which has no PyTorch counterpart to import from`,
      { expected: 'a recurrent encoder with an lstm, gru or rnn cell' },
    );
  }
  if (family !== 'rnn') return family;
  const activation = (cell['activation'] as string | undefined) ?? 'tanh';
  if (nonlinearity !== undefined && nonlinearity !== activation) {
    throw E.TORCH_MISMATCH(
      `part "${part}": the PyTorch nn.RNN has nonlinearity "${nonlinearity}", the spec's rnn cell activation "${activation}"`,
      { pointer: `/${part.replaceAll('.', '/')}/cell/activation`, expected: nonlinearity, actual: activation },
    );
  }
  return activation === 'relu' ? 'rnn_relu' : 'rnn_tanh';
}

function recurrentConfig(
  block: Readonly<Record<string, unknown>>,
  nonlinearity: 'tanh' | 'relu' | undefined,
  part: string,
  sub: Readonly<Record<string, TensorData>>,
) {
  return {
    kind: recurrentKind(block, nonlinearity, part)!,
    layers: (block['layers'] as number | undefined) ?? 1,
    bidirectional: (block['bidirectional'] as boolean | undefined) ?? false,
    hidden: block['hidden'] as number,
    // PyTorch's bias=False modules have no bias tensors; Recur's B is then zeros.
    bias: Object.keys(sub).some((n) => n.startsWith('bias_')),
  };
}

/** nn.Embedding / nn.Linear onto a part with one matrix and at most one vector. */
function importLinear(
  sub: Readonly<Record<string, TensorData>>,
  params: ReadonlyMap<string, readonly number[]>,
  own: readonly string[],
  from: string,
  part: string,
): Record<string, TensorData> {
  const matrices = own.filter((n) => params.get(n)!.length === 2);
  const vectors = own.filter((n) => params.get(n)!.length === 1);
  if (matrices.length !== 1 || vectors.length > 1 || matrices.length + vectors.length !== own.length) {
    throw E.TORCH_UNSUPPORTED(
      `part "${part}" has parameters ${own.join(', ')}: no PyTorch nn.Embedding, nn.Linear or recurrent module maps onto it`,
      { expected: 'a lookup embedding, a linear head or a recurrent encoder with an lstm, gru or rnn cell' },
    );
  }
  const out: Record<string, TensorData> = {};
  const take = (source: string, name: string) => {
    const t = sub[source];
    if (!t)
      throw E.TORCH_MISSING(
        `part "${part}" needs "${from}${source}" (nn.Embedding / nn.Linear), which the state dict does not have`,
        { tensor: from + source, suggestions: Object.keys(sub).map((n) => from + n) },
      );
    out[name] = t;
  };
  take('weight', matrices[0]);
  if (vectors[0]) take('bias', vectors[0]);
  const extra = Object.keys(sub).filter((n) => n !== 'weight' && !(n === 'bias' && vectors[0]));
  if (extra.length > 0) {
    throw E.TORCH_UNUSED(
      `part "${part}" takes "${from}weight"${vectors[0] ? ` and "${from}bias"` : ''}; the state dict also has ${list(extra.map((n) => from + n))} under "${from}"`,
      { unused: extra.map((n) => from + n) },
    );
  }
  return out;
}

function moduleName(
  block: Readonly<Record<string, unknown>>,
  nonlinearity: 'tanh' | 'relu' | undefined,
  part: string,
): string {
  const kind = recurrentKind(block, nonlinearity, part);
  return kind ? `nn.${kind === 'lstm' ? 'LSTM' : kind === 'gru' ? 'GRU' : 'RNN'}` : 'nn.Embedding/nn.Linear';
}

function blockAt(spec: Readonly<Record<string, unknown>>, part: string): Readonly<Record<string, unknown>> | undefined {
  let cursor: unknown = spec;
  for (const key of part.split('.'))
    cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>)[key] : undefined;
  return typeof cursor === 'object' &&
    cursor !== null &&
    typeof (cursor as Record<string, unknown>)['type'] === 'string'
    ? (cursor as Record<string, unknown>)
    : undefined;
}

/** The spec parts that own the named parameters: the longest dotted prefix of a name that is a spec block. */
function partsOf(spec: Readonly<Record<string, unknown>>, names: Iterable<string>): string[] {
  const parts = [...names].map((n) => {
    const segments = n.split('.');
    let owner = segments[0];
    for (let k = 1; k < segments.length; k++)
      if (blockAt(spec, segments.slice(0, k).join('.'))) owner = segments.slice(0, k).join('.');
    return owner;
  });
  return [...new Set(parts)];
}

/** Distinct first segments of names, with the dot: `rnn.`, `embed.`. */
function sourcePrefixes(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => (n.includes('.') ? n.slice(0, n.indexOf('.') + 1) : n)))];
}

function list(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')} and ${names.length - 12} more`;
}

function isStore(v: unknown): v is WeightStore {
  return typeof (v as WeightStore).get === 'function' && typeof (v as WeightStore).names === 'function';
}
