/**
 * `npm run bench -- encoder`: Recur's recurrent encoder against the PyTorch CPU reference
 * (`../shared/reference/torch_encoder.py`, run in the same process tree, same sizes):
 *   - forward throughput of RNN, LSTM and GRU at batch 32 x 64 steps x input 128 -> hidden 256;
 *   - batch-1 single-step latency, one `session.run` per step with the state in and out (the
 *     text-generation case);
 *   - the Scan path against the native operator at batch 32.
 * Prints a table and writes bench/results/encoder.json; `ratio` > 1 means Recur is better.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GraphBuilder, OrtBackend, type EncoderPart, type Session, type SessionOptions, type TensorData } from '@recur/runtime';
import { createPart, encoderModel, recurrentRegistry, type RecurrentEncoder } from '@recur/recurrent';
import { medianSeconds } from './lib/stats.js';
import { referenceValue, runReference } from './lib/reference.js';
import { formatTable, machineDescription, row, writeResults, type BenchRow } from './lib/results.js';

export interface EncoderBenchOptions {
  readonly batch?: number;
  readonly steps?: number;
  readonly input?: number;
  readonly hidden?: number;
  /** Timed repetitions per measurement (medians are reported). @defaultValue 20 */
  readonly repeats?: number;
  /** Intra-op threads, as the reference's `--threads`. @defaultValue 2 */
  readonly threads?: number;
  /** Where the JSON goes. @defaultValue bench/results/encoder.json */
  readonly out?: string;
  readonly log?: (line: string) => void;
}

const KINDS = ['lstm', 'gru', 'rnn'] as const;
/** Steps per timed latency sample, as the reference script does. */
const STEPS_PER_SAMPLE = 100;

export async function runEncoderBench(options: EncoderBenchOptions = {}): Promise<void> {
  const { batch = 32, steps = 64, input = 128, hidden = 256, repeats = 20, threads = 2 } = options;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const out = options.out ?? fileURLToPath(new URL('../results/encoder.json', import.meta.url));

  log(`PyTorch reference: torch_encoder.py --batch ${batch} --steps ${steps} --input ${input} --hidden ${hidden} --threads ${threads} --repeats ${repeats}`);
  const reference = await runReference('torch_encoder.py', ['--batch', `${batch}`, '--steps', `${steps}`, '--input', `${input}`, '--hidden', `${hidden}`, '--threads', `${threads}`, '--repeats', `${repeats}`]);
  log(`reference: ${reference.reference}, ${reference.threads} threads`);

  const registry = recurrentRegistry();
  const backend = new OrtBackend();
  const sessionOptions: SessionOptions = { threads };
  const rows: BenchRow[] = [];
  try {
    for (const kind of KINDS) {
      const forwardCase = `${kind} forward b${batch} s${steps} i${input} h${hidden}`;
      const stepCase = `${kind} step b1 i${input} h${hidden}`;
      const encoder = (path: 'native' | 'scan') => createPart(registry, 'encoder', { type: 'recurrent', cell: { type: kind }, hidden, path }, { inputDim: input }) as Promise<RecurrentEncoder>;
      const native = await encoder('native');
      const weights = seededWeights(native, input);

      const nativeRate = await forwardRate(backend, sessionOptions, native, input, weights, steps, batch, repeats);
      rows.push(row(forwardCase, 'sequences/s', nativeRate, referenceValue(reference, forwardCase), true));
      log(`${forwardCase}: ${nativeRate.toFixed(0)} sequences/s`);

      const stepMicros = await stepLatency(backend, sessionOptions, native, input, hidden, weights, repeats);
      rows.push(row(stepCase, 'us/step', stepMicros, referenceValue(reference, stepCase), false));
      log(`${stepCase}: ${stepMicros.toFixed(1)} us/step`);

      const scanRate = await forwardRate(backend, sessionOptions, await encoder('scan'), input, weights, steps, batch, repeats);
      rows.push(row(`${kind} Scan path vs native, forward b${batch} s${steps}`, 'sequences/s', scanRate, nativeRate, true));
      log(`${kind} Scan path: ${scanRate.toFixed(0)} sequences/s`);
    }
  } finally {
    await backend.dispose();
  }

  log('');
  log(formatTable(rows, 'pytorch'));
  log('(ratio > 1: Recur better; Scan rows compare the Scan path with Recur\'s native path, target >= 0.33)');
  writeResults(out, {
    name: 'encoder',
    date: new Date().toISOString(),
    machine: machineDescription(),
    reference: `${reference.reference}, ${reference.threads} threads (../shared/reference/torch_encoder.py)`,
    settings: { threads, repeats, stepsPerLatencySample: STEPS_PER_SAMPLE, backend: 'onnxruntime-node CPU, graph optimization all' },
    rows,
  });
  log(`wrote ${out}`);
}

/** Sequences per second of one forward pass over [steps, batch, input], median of `repeats`. */
async function forwardRate(backend: OrtBackend, options: SessionOptions, encoder: EncoderPart, input: number, weights: Record<string, TensorData>, steps: number, batch: number, repeats: number): Promise<number> {
  const session = await backend.session({ name: 'bench-forward', model: encoderModel(encoder, input, weights) }, options);
  try {
    const feeds = { x: randomTensor([steps, batch, input], 1), lengths: { dtype: 'int32', dims: [batch], data: new Int32Array(batch).fill(steps) } as TensorData };
    const seconds = await medianSeconds(() => session.run(feeds, { outputs: ['y'] }), { repeats });
    return batch / seconds;
  } finally {
    await session.release();
  }
}

/** Microseconds per step at batch 1: one run per step, the state fed back, as text generation does. */
async function stepLatency(backend: OrtBackend, options: SessionOptions, encoder: RecurrentEncoder, input: number, hidden: number, weights: Record<string, TensorData>, repeats: number): Promise<number> {
  const states = encoder.cell.stateNames;
  const session: Session = await backend.session({ name: 'bench-step', model: encoderModel(encoder, input, weights, states) }, options);
  try {
    const x = randomTensor([1, 1, input], 1);
    const lengths: TensorData = { dtype: 'int32', dims: [1], data: Int32Array.from([1]) };
    const outputs = states.map((s) => `final_${s}`);
    let state: Record<string, TensorData> = Object.fromEntries(states.map((s) => [`initial_${s}`, { dtype: 'float32', dims: [1, 1, hidden], data: new Float32Array(hidden) } as TensorData]));
    const sample = async () => {
      for (let i = 0; i < STEPS_PER_SAMPLE; i++) {
        const res = await session.run({ x, lengths, ...state }, { outputs });
        state = Object.fromEntries(states.map((s) => [`initial_${s}`, res[`final_${s}`]!]));
      }
    };
    return ((await medianSeconds(sample, { repeats: Math.max(5, repeats >> 1) })) / STEPS_PER_SAMPLE) * 1e6;
  } finally {
    await session.release();
  }
}

/** Uniform(-1/sqrt(H), 1/sqrt(H)) weights, as PyTorch initialises its modules; fixed seed. */
function seededWeights(encoder: RecurrentEncoder, input: number): Record<string, TensorData> {
  const g = new GraphBuilder('probe');
  encoder.build(g.scope('encoder'), g.input('x', 'float32', ['time', 'batch', input]), g.input('lengths', 'int32', ['batch']));
  return Object.fromEntries(g.params.map((p) => [p.name, randomTensor(p.dims, 1 / Math.sqrt(encoder.hidden))]));
}

let seed = 12345;
function randomTensor(dims: readonly number[], scale: number): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = ((seed / 2 ** 32) * 2 - 1) * scale;
  }
  return { dtype: 'float32', dims: [...dims], data };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEncoderBench().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
