import { definePlugin, partSchema, type CellPart, type EncoderBuildOptions, type EncoderOutputs, type EncoderPart, type GraphBuilder, type PartBlock, type Value } from '@recur/runtime';
import { E } from '../errors.js';
import { stepMask, type DirectionCell, type LayerOutput } from './layer.js';
import { buildNativeLayer } from './native-layer.js';
import { buildScanLayer } from './scan-layer.js';
import { ENCODER_POOLINGS, poolSequence, type EncoderPooling } from './pooling.js';

export const ENCODER_PATHS = ['auto', 'native', 'scan'] as const;
export type EncoderPath = (typeof ENCODER_PATHS)[number];

export type RecurrentEncoderOptions = {
  readonly cell: PartBlock;
  readonly hidden: number;
  readonly layers?: number;
  readonly bidirectional?: boolean;
  readonly dropout?: number;
  readonly path?: EncoderPath;
  readonly pooling?: EncoderPooling;
};

/** The recurrent encoder as trainers and tests see it: its configuration besides the contract. */
export interface RecurrentEncoder extends EncoderPart {
  readonly cell: CellPart;
  readonly inputDim: number;
  readonly hidden: number;
  readonly layers: number;
  readonly directions: 1 | 2;
  /** Dropout between layers; applied only by training, through `EncoderBuildOptions.betweenLayers`. */
  readonly dropout: number;
  /** The path actually used: `auto` resolved. */
  readonly path: 'native' | 'scan';
  /** Parameter scope of one layer and direction, under the encoder's own: `layers.0.backward`. */
  scopeOf(layer: number, direction: number): string;
}

const DIRECTION_NAMES = ['forward', 'backward'] as const;

/**
 * x [T, B, inputDim], lengths [B] int32 -> sequence [T, B, dirs*hidden] (padded steps are zero),
 * final states [layers*dirs, B, hidden] per cell state (`h`, `c`), in PyTorch's order (layer-major,
 * forward then backward). Initial states, when given, have the same shape as the final ones.
 * Parameters: `<scope>.layers.<l>.<forward|backward>.<cell params>` (`encoder.layers.0.forward.W`).
 */
export const recurrentEncoder = definePlugin<'encoder', RecurrentEncoderOptions>({
  kind: 'encoder',
  type: 'recurrent.v1',
  description: 'A stack of recurrent layers (any registered cell), uni- or bidirectional, honouring sequence lengths.',
  options: {
    type: 'object',
    properties: {
      cell: { ...partSchema('cell'), description: 'The recurrent cell: `{ "type": "lstm" }`, `gru`, `rnn` (with `activation`) or a plugin cell.' },
      hidden: { type: 'integer', minimum: 1, maximum: 65536, description: 'State size of each direction.' },
      layers: { type: 'integer', minimum: 1, maximum: 64, default: 1, description: 'Number of stacked layers; each reads the previous layer\'s sequence.' },
      bidirectional: { type: 'boolean', default: false, description: 'Adds a backward direction per layer; outputs concatenate forward and backward.' },
      dropout: { type: 'number', minimum: 0, maximum: 0.99, default: 0, description: 'Dropout on each layer\'s output before the next layer, during training only.' },
      path: {
        enum: [...ENCODER_PATHS], default: 'auto',
        description: 'How layers run: the native ONNX operator, an ONNX Scan over the cell\'s step, or auto (native when the cell has one).',
      },
      pooling: {
        enum: [...ENCODER_POOLINGS], default: 'none',
        description: 'Also return one vector per sequence (`pooled`): top-layer final states (last), or the mean or max over valid steps.',
      },
    },
    required: ['cell', 'hidden'],
    additionalProperties: false,
  },
  async create(options, ctx): Promise<RecurrentEncoder> {
    const inputDim = ctx.dims.inputDim;
    if (inputDim === undefined) {
      throw E.INPUT_DIM('a recurrent encoder needs a part before it that reports its output size (an embedding)', { pointer: ctx.pointer });
    }
    const cell = await ctx.create('cell', options.cell, `${ctx.pointer}/cell`, { inputDim });
    const requested = options.path ?? 'auto';
    if (requested === 'native' && !cell.native) {
      throw E.NO_NATIVE(`cell "${options.cell.type}" has no native ONNX operator; use path "scan" or "auto"`, { pointer: `${ctx.pointer}/path`, expected: 'scan | auto' });
    }
    const path = requested === 'scan' || !cell.native ? 'scan' : 'native';
    const hidden = options.hidden;
    const layers = options.layers ?? 1;
    const directions = options.bidirectional ? 2 : 1;
    const pooling = options.pooling ?? 'none';
    const scopeOf = (layer: number, direction: number) => `layers.${layer}.${DIRECTION_NAMES[direction]}`;

    return {
      cell, inputDim, hidden, layers, directions, path, scopeOf,
      dropout: options.dropout ?? 0,
      outputDim: directions * hidden,
      build(g: GraphBuilder, x: Value, lengths: Value, initial?: Readonly<Record<string, Value>>, hooks?: EncoderBuildOptions): EncoderOutputs {
        let maskValue: Value | undefined;
        const mask = () => (maskValue ??= stepMask(g, x, lengths));
        let input = x;
        let inputSize = inputDim;
        const finals: LayerOutput['final'][] = [];
        for (let l = 0; l < layers; l++) {
          const cells: DirectionCell[] = Array.from({ length: directions }, (_, d) => {
            const scope = g.scope(scopeOf(l, d));
            return { scope, step: cell.declare(scope, inputSize, hidden) };
          });
          const layerInitial = initial ? sliceLayer(g, initial, cell.stateNames, l, directions) : undefined;
          const layerInput = {
            index: l, x: input, inputSize, lengths, mask, hidden, stateNames: cell.stateNames, directions: cells,
            ...(layerInitial ? { initial: layerInitial } : {}),
            ...(path === 'native' ? { native: cell.native! } : {}),
          };
          const out = path === 'native' ? buildNativeLayer(g, layerInput) : buildScanLayer(g, layerInput);
          finals.push(out.final);
          input = out.sequence;
          inputSize = directions * hidden;
          if (l < layers - 1 && hooks?.betweenLayers) input = hooks.betweenLayers(g, input, l);
        }
        const final: Record<string, Value> = {};
        for (const s of cell.stateNames) final[s] = layers === 1 ? finals[0]![s]! : g.concat(finals.map((f) => f[s]!), 0);
        const top = finals[layers - 1]![cell.stateNames[0]!]!;
        const pooled = pooling === 'none' ? undefined : poolSequence(g, pooling, input, top, mask(), directions * hidden);
        return { sequence: input, final, ...(pooled ? { pooled } : {}) };
      },
    };
  },
});

/** Rows [l*dirs, (l+1)*dirs) of each initial state [layers*dirs, B, H]. */
function sliceLayer(g: GraphBuilder, initial: Readonly<Record<string, Value>>, stateNames: readonly string[], l: number, dirs: number): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const s of stateNames) {
    const v = initial[s];
    if (v) out[s] = g.slice(v, [l * dirs], [(l + 1) * dirs], [0]);
  }
  return out;
}
