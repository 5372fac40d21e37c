/**
 * `npm run bench -- train`: training throughput of Recur's engine against the PyTorch CPU reference
 * (`../shared/reference/torch_train.py`, run in the same process tree with the same sizes):
 * Embedding(8000, 128) -> LSTM(128 -> 256) -> Linear(256 -> 8000), mean cross-entropy, Adam(lr 1e-3),
 * batch 32 x 64 steps per training step (forward, backward, optimizer step), and the GRU variant.
 * Recur builds the model from the registry's cell on the encoder's Scan path, differentiates it, and
 * runs forward + backward in ONNX Runtime with Adam in JavaScript, as a Scan loop (the default) and
 * unrolled over the 64 steps. Also reported: the time to build the training graph and to create its ONNX
 * Runtime session. PyTorch and Recur alternate in pairs (lib/protocol.ts); `ratio` is the median pair ratio
 * of Recur's tokens/s over PyTorch's (> 1: Recur faster). Writes bench/results/train.json unless the
 * machine was loaded.
 */
import { fileURLToPath } from 'node:url';
import type { EncoderPart, TensorData } from '@recur/runtime';
import { recurrentRegistry } from '@recur/recurrent';
import { buildTrainingGraph, createPart, languageModelForward, ParamSet, Trainer, Xoshiro128 } from '@recur/train';
import { median } from './lib/stats.js';
import { referenceMap, runReference, type ReferenceResult } from './lib/reference.js';
import { formatTable, machineDescription, type BenchRow } from './lib/results.js';
import { alternatingPairs, comparedRow, finishRun, loadSnapshot, type ProtocolOptions } from './lib/protocol.js';

export interface TrainBenchOptions extends ProtocolOptions {
  readonly vocab?: number;
  readonly embed?: number;
  readonly hidden?: number;
  readonly batch?: number;
  readonly steps?: number;
  /** Timed training steps per measurement (the median is reported), as the reference's `--repeats`. @defaultValue 10 */
  readonly repeats?: number;
  /** Intra-op threads, as the reference's `--threads`. @defaultValue 2 */
  readonly threads?: number;
  readonly cells?: readonly ('lstm' | 'gru')[];
  /** The engine's default (Scan) and the unrolled training graph of SPIKE.md. @defaultValue both */
  readonly loops?: readonly Loop[];
}

/** What `--smoke` runs: sizes small enough to see every code path work in seconds. */
const SMOKE = { vocab: 50, embed: 8, hidden: 8, batch: 2, steps: 4, repeats: 2, pairs: 1 };

interface Sizes {
  vocab: number;
  embed: number;
  hidden: number;
  batch: number;
  steps: number;
  repeats: number;
  threads: number;
}

type Loop = 'scan' | 'unrolled';

interface RecurMeasurement {
  readonly cell: string;
  readonly loop: Loop;
  readonly tokensPerSecond: number;
  readonly graphBuildMs: number;
  readonly sessionCreateMs: number;
  readonly nodes: number;
  readonly stepMs: number;
}

export async function runTrainBench(options: TrainBenchOptions = {}): Promise<void> {
  const before = loadSnapshot();
  const o = options.smoke ? { ...SMOKE, ...options } : options;
  const {
    vocab = 8000,
    embed = 128,
    hidden = 256,
    batch = 32,
    steps = 64,
    repeats = 10,
    threads = 2,
    pairs: pairCount = 3,
  } = o;
  const cells = o.cells ?? ['lstm', 'gru'];
  const loops = o.loops ?? ['scan', 'unrolled'];
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const committed = fileURLToPath(new URL('../results/train.json', import.meta.url));
  const sizes: Sizes = { vocab, embed, hidden, batch, steps, repeats, threads };
  const caseName = (cell: string) => `train ${cell} lm v${vocab} e${embed} h${hidden} b${batch} s${steps}`;
  const rowName = (cell: string, loop: Loop) => (loop === 'scan' ? caseName(cell) : `${caseName(cell)} (unrolled)`);

  // Alternating pairs per cell (lib/protocol.ts): PyTorch's step and Recur's, the median pair ratio reported.
  const references: ReferenceResult[] = [];
  const measured = new Map<string, RecurMeasurement[]>();
  const rows: BenchRow[] = [];
  for (const cell of cells) {
    log(`${cell}:`);
    const pairs = await alternatingPairs(
      pairCount,
      {
        reference: async () => {
          log(`  PyTorch reference (torch_train.py, ${threads} threads, ${repeats} repeats)`);
          const ref = await runReference('torch_train.py', [
            '--vocab',
            `${vocab}`,
            '--embed',
            `${embed}`,
            '--hidden',
            `${hidden}`,
            '--batch',
            `${batch}`,
            '--steps',
            `${steps}`,
            '--threads',
            `${threads}`,
            '--repeats',
            `${repeats}`,
            '--cell',
            cell,
          ]);
          references.push(ref);
          return referenceMap(ref);
        },
        recur: async () => {
          const values = new Map<string, number>();
          for (const loop of loops) {
            log(`  Recur (${loop})`);
            const m = await measureRecur(cell, loop, sizes);
            log(
              `    ${m.tokensPerSecond.toFixed(0)} tokens/s (step ${m.stepMs.toFixed(0)} ms), graph ${m.graphBuildMs.toFixed(0)} ms, session ${m.sessionCreateMs.toFixed(0)} ms`,
            );
            const key = `${cell}/${loop}`;
            measured.set(key, [...(measured.get(key) ?? []), m]);
            values.set(rowName(cell, loop), m.tokensPerSecond);
          }
          return values;
        },
      },
      log,
    );
    for (const loop of loops)
      rows.push(
        comparedRow(pairs, {
          case: rowName(cell, loop),
          referenceCase: caseName(cell),
          unit: 'tokens/s',
          higherIsBetter: true,
        }),
      );
  }

  const creation: { cell: string; loop: Loop; nodes: number; graphBuildMs: number; sessionCreateMs: number }[] = [];
  for (const cell of cells)
    for (const loop of loops) {
      const ours = measured.get(`${cell}/${loop}`)!;
      creation.push({
        cell,
        loop,
        nodes: ours[0].nodes,
        graphBuildMs: Math.round(Math.min(...ours.map((m) => m.graphBuildMs))),
        sessionCreateMs: Math.round(Math.min(...ours.map((m) => m.sessionCreateMs))),
      });
    }

  log('');
  log(formatTable(rows, 'pytorch'));
  for (const c of creation)
    log(
      `${c.cell} ${c.loop}: training graph ${c.nodes} nodes, built in ${c.graphBuildMs} ms, session created in ${c.sessionCreateMs} ms`,
    );
  log(`(ratio = median over ${pairCount} pairs of Recur tokens/s over PyTorch's; target >= 0.5, goal 1.0)`);
  const first = references[0];
  finishRun(
    committed,
    {
      name: 'train',
      date: new Date().toISOString(),
      machine: machineDescription(),
      reference: `${first.reference}, ${first.threads} threads (../shared/reference/torch_train.py)`,
      settings: {
        vocab,
        embed,
        hidden,
        batch,
        steps,
        repeats,
        threads,
        pairs: pairCount,
        optimizer: 'adam lr 1e-3',
        loops: 'scan: forward Scan + reverse Scan (default); unrolled: 64 copies of the step (core/train/SPIKE.md)',
        backend: 'onnxruntime-node CPU, graph optimization all; Adam in JavaScript',
      },
      sessionCreation: creation,
      rows,
    },
    before,
    o,
    log,
  );
}

async function measureRecur(cell: string, loop: Loop, s: Sizes): Promise<RecurMeasurement> {
  let t0 = performance.now();
  const encoder: EncoderPart = await createPart(
    recurrentRegistry(),
    'encoder',
    { type: 'recurrent', cell: { type: cell }, hidden: s.hidden, path: 'scan' },
    { inputDim: s.embed },
  );
  const graph = buildTrainingGraph(
    (g) => languageModelForward(g, encoder, { vocab: s.vocab, embed: s.embed }),
    loop === 'unrolled' ? { unroll: s.steps } : {},
  );
  const graphBuildMs = performance.now() - t0;
  const params = ParamSet.initialised(graph.params, 0);
  t0 = performance.now();
  const trainer = await Trainer.create(graph, params, {
    optimizer: { name: 'adam', lr: 1e-3 },
    threads: s.threads,
    seed: 0,
  });
  const sessionCreateMs = performance.now() - t0;
  try {
    const rng = new Xoshiro128(0);
    const n = s.batch * s.steps;
    const batch: Record<string, TensorData> = {
      ids: {
        dtype: 'int64',
        dims: [s.steps, s.batch],
        data: BigInt64Array.from({ length: n }, () => BigInt(rng.below(s.vocab))),
      },
      targets: {
        dtype: 'int64',
        dims: [s.steps, s.batch],
        data: BigInt64Array.from({ length: n }, () => BigInt(rng.below(s.vocab))),
      },
      lengths: { dtype: 'int32', dims: [s.batch], data: new Int32Array(s.batch).fill(s.steps) },
    };
    const dims = { T: s.steps, B: s.batch };
    // As the reference: two untimed steps, then the median of `repeats` timed ones.
    for (let i = 0; i < 2; i++) await trainer.step(batch, dims);
    const times: number[] = [];
    for (let i = 0; i < s.repeats; i++) {
      const start = performance.now();
      await trainer.step(batch, dims);
      times.push(performance.now() - start);
    }
    const stepMs = median(times);
    return {
      cell,
      loop,
      tokensPerSecond: n / (stepMs / 1000),
      graphBuildMs,
      sessionCreateMs,
      nodes: graph.nodeCount,
      stepMs,
    };
  } finally {
    await trainer.release();
  }
}
