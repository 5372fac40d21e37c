import { join } from 'node:path';
import {
  PluginRegistry,
  readSafetensors,
  type PartBlock,
  type Session,
  type TensorData,
  type WeightStore,
} from '@recur/runtime';
import {
  compareTensors,
  toFloat32,
  type CaseResult,
  type ConformanceCase,
  type ConformanceEnv,
  type ConformanceHandler,
} from '@recur/runtime/internal';
import { importTorchRecurrent, type TorchRecurrentKind } from '../interop/import-torch.js';
import { createPart } from './standalone-context.js';
import { encoderModel, ENCODER_GRAPH_IO } from './encoder-graph.js';

/** The fields of an `rnn` case of a PyTorch fixture folder (see its index.json `conventions`). */
interface RnnCase extends ConformanceCase {
  readonly kind: TorchRecurrentKind;
  readonly bidirectional: boolean;
  readonly layers: number;
  readonly hidden: number;
  readonly file: string;
  readonly onnx?: string;
}

const CELL_BLOCKS: Readonly<Record<string, PartBlock>> = {
  rnn_tanh: { type: 'rnn.v1', activation: 'tanh' },
  rnn_relu: { type: 'rnn.v1', activation: 'relu' },
  rnn: { type: 'rnn.v1', activation: 'tanh' },
  lstm: { type: 'lstm.v1' },
  gru: { type: 'gru.v1' },
};

const PATHS = ['native', 'scan'] as const;

/**
 * Runs the `rnn` cases of a PyTorch fixture folder. Each state-dict case is imported with
 * `importTorchRecurrent`, run with its inputs (lengths and initial states included) on the native
 * and the Scan path, and passes when `y`, `h_n` (and `c_n`) match on both. A case with an `.onnx`
 * file adds a case of its own (`<name>.onnx`) that runs that file as an `onnx-file` encoder.
 *
 * `registry` must hold `recurrent.v1`, `onnx-file.v1` and the cells the cases use.
 */
export function pytorchRnnHandler(registry: PluginRegistry): ConformanceHandler {
  return {
    kind: 'rnn',
    description: 'PyTorch nn.RNN/LSTM/GRU state dicts (native and Scan paths) and their torch.onnx.export files.',
    async run(testCase: ConformanceCase, env: ConformanceEnv): Promise<CaseResult[]> {
      const c = testCase as RnnCase;
      const cell = CELL_BLOCKS[c.kind];
      if (!cell) return [{ name: c.name, status: 'failed', detail: `unknown kind ${JSON.stringify(c.kind)}` }];
      const store = await readSafetensors(join(env.dir, c.file));
      const io = caseTensors(store);
      const inputDim = io.x.dims[2];
      const results: CaseResult[] = [];

      const weights = importTorchRecurrent(
        store,
        { kind: c.kind, layers: c.layers, bidirectional: c.bidirectional, hidden: c.hidden, from: 'param.' },
        'encoder',
      );
      const errors: string[] = [];
      let failure: string | undefined;
      for (const path of PATHS) {
        const encoder = await createPart(
          registry,
          'encoder',
          { type: 'recurrent.v1', cell, hidden: c.hidden, layers: c.layers, bidirectional: c.bidirectional, path },
          { inputDim },
          { logger: env.logger },
        );
        const model = encoderModel(encoder, inputDim, weights, Object.keys(io.initial));
        const outcome = await runAndCompare(env, `${c.name}:${path}`, model, io, true);
        if (outcome.problem) failure ??= `${path}: ${outcome.problem}`;
        errors.push(`${path} ${outcome.maxAbs.toExponential(1)}`);
      }
      results.push({
        name: c.name,
        status: failure ? 'failed' : 'passed',
        detail: failure ?? `max |err| ${errors.join(', ')}`,
      });

      if (c.onnx) {
        const outputs: Record<string, string> = { sequence: 'y', h: 'h_n', ...(io.expected.c ? { c: 'c_n' } : {}) };
        const encoder = await createPart(
          registry,
          'encoder',
          { type: 'onnx-file.v1', path: join(env.dir, c.onnx), outputs },
          { inputDim },
          { specDir: env.dir, logger: env.logger },
        );
        const model = encoderModel(encoder, inputDim, {}, []);
        const outcome = await runAndCompare(env, `${c.name}.onnx`, model, { ...io, initial: {} }, false);
        results.push({
          name: `${c.name}.onnx`,
          status: outcome.problem ? 'failed' : 'passed',
          detail: outcome.problem ?? `onnx-file encoder, max |err| ${outcome.maxAbs.toExponential(1)}`,
        });
      }
      return results;
    },
  };
}

interface CaseTensors {
  readonly x: TensorData;
  readonly lengths: TensorData;
  readonly initial: Readonly<Record<string, TensorData>>;
  readonly expected: { readonly y: TensorData; readonly [state: string]: TensorData | undefined };
}

function caseTensors(store: WeightStore): CaseTensors {
  const need = (name: string) => {
    const t = store.get(name);
    if (!t) throw new Error(`${store.source} has no tensor "${name}"`);
    return t;
  };
  const x = need('input.x');
  const [T, B] = x.dims as [number, number];
  const given = store.get('input.lengths');
  const lengths: TensorData = {
    dtype: 'int32',
    dims: [B],
    data: given ? Int32Array.from(toFloat32(given)) : new Int32Array(B).fill(T),
  };
  const initial: Record<string, TensorData> = {};
  const h0 = store.get('input.h0');
  const c0 = store.get('input.c0');
  if (h0) initial['h'] = h0;
  if (c0) initial['c'] = c0;
  const c = store.get('output.c_n');
  return { x, lengths, initial, expected: { y: need('output.y'), h: need('output.h_n'), ...(c ? { c } : {}) } };
}

async function runAndCompare(
  env: ConformanceEnv,
  name: string,
  model: Uint8Array,
  io: CaseTensors,
  withLengths: boolean,
): Promise<{ maxAbs: number; problem?: string }> {
  const session: Session = await env.backend.session({ name, model });
  try {
    const feeds: Record<string, TensorData> = { [ENCODER_GRAPH_IO.x]: io.x };
    if (withLengths || session.inputNames.includes(ENCODER_GRAPH_IO.lengths))
      feeds[ENCODER_GRAPH_IO.lengths] = io.lengths;
    for (const [s, t] of Object.entries(io.initial)) feeds[ENCODER_GRAPH_IO.initial(s)] = t;
    const got = await session.run(feeds);
    let maxAbs = 0;
    const checks: [string, string, TensorData | undefined][] = [
      ['y', ENCODER_GRAPH_IO.sequence, io.expected.y],
      ...Object.entries(io.expected)
        .filter(([k]) => k !== 'y')
        .map(([s, t]): [string, string, TensorData | undefined] => [`${s}_n`, ENCODER_GRAPH_IO.final(s), t]),
    ];
    for (const [label, output, expected] of checks) {
      if (!expected) continue;
      const actual = got[output];
      if (!actual) return { maxAbs: Infinity, problem: `no output ${output}` };
      const c = compareTensors(actual, expected);
      maxAbs = Math.max(maxAbs, c.maxAbs);
      if (!c.ok) return { maxAbs, problem: `${label} ${c.problem}` };
    }
    return { maxAbs };
  } finally {
    await session.release();
  }
}
