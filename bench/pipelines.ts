import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FileWeightStore } from '@recur/runtime/internal';
import { formatTable, machineDescription, type BenchRow } from './lib/results.js';
import { runReference, type ReferenceResult } from './lib/reference.js';
import {
  comparedRow,
  finishRun,
  interleavedPairs,
  loadSnapshot,
  type PairSides,
  type ProtocolOptions,
} from './lib/protocol.js';

const run = promisify(execFile);

/**
 * `npm run bench -- pipelines`: the shipped pipelines end to end.
 *   - Against PyTorch (../shared/reference's torch_classify.py and torch_generate.py, at the shipped models'
 *     shapes read from their weights files): classification at batch 64 and one sentence, sampled
 *     generation with 1 and 32 streams. Recur (pipelines-compare-child.ts) and PyTorch alternate in pairs,
 *     the two pipelines' pairs round by round (lib/protocol.ts); each row is the median pair ratio with
 *     its spread and 95% interval. Target: every ratio >= 1.5.
 *   - Recur alone (pipelines-child.ts): throughput and latency, the share of each call spent outside
 *     session.run (Recur's own overhead), and each pipeline's peak RSS, in a child process per pipeline.
 * Written to bench/results/pipelines.json unless the machine was loaded.
 */
export async function runPipelinesBench(options: ProtocolOptions = {}): Promise<void> {
  const before = loadSnapshot();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // A neighbour on this shared host slows one measurement by up to 2x for a few seconds, independently
  // for the two sides of a pair: the median of 7 pair ratios moved up to 37% between quiet runs, of 15
  // up to 19%. Many short pairs (about 7 s a pipeline) narrow it where longer measurements do not.
  // The host also changes state every 10-30 s: Recur's one-sentence call takes 0.57-0.6 ms in one
  // state and 0.85-0.9 ms in the other (about its speed on one thread, 0.83-0.93 ms in a 75 s trace),
  // while PyTorch's 10 ms barely moves, so that row's median follows the share of each state in the
  // run (10.8-13.4 over three quiet runs of 41 pairs). Interleaving the two pipelines spreads each
  // one's pairs over the whole run, twice the stretch of host states: 12.4-13.0 over the next five.
  const pairCount = options.pairs ?? (options.smoke ? 1 : 41);
  const smokeArgs = options.smoke ? ['--smoke'] : [];
  const references: ReferenceResult[] = [];
  const present = COMPARED.filter((c) => {
    const there = existsSync(join(process.cwd(), 'pipelines', `${c.pipeline}.json`));
    if (!there) log(`pipelines/${c.pipeline}.json is not there yet; skipped`);
    return there;
  });
  const comparisons = new Map<string, PairSides>();
  for (const c of present) {
    // Both sides time the same number of repeats per measurement (fewer in a smoke run).
    const repeatArgs = ['--repeats', `${options.smoke ? 1 : c.repeats}`];
    const args = [
      ...c.referenceArgs(await modelShapes(c.pipeline)),
      ...(options.smoke ? c.smokeArgs : []),
      ...repeatArgs,
    ];
    log(`${c.pipeline} against PyTorch (${c.script} ${args.join(' ')})`);
    comparisons.set(c.pipeline, {
      reference: async () => {
        const ref = await runReference(c.script, args);
        references.push(ref);
        // Keyed as Recur's side is: by the suffix that names the case (", batch 64", ", 1 stream").
        return new Map(
          c.rows.map((r) => {
            const row = ref.rows.find((x) => x.case.endsWith(r.referenceSuffix));
            if (!row)
              throw new Error(
                `${c.script} reported no case ending in "${r.referenceSuffix}" (it has: ${ref.rows.map((x) => x.case).join(', ')})`,
              );
            return [r.key, row.value];
          }),
        );
      },
      recur: async () =>
        new Map(
          Object.entries(
            (await child('pipelines-compare-child.js', [c.pipeline, ...smokeArgs, ...repeatArgs])) as Record<
              string,
              number
            >,
          ),
        ),
    });
  }
  // Round by round: a sentiment pair, then a generation pair, and again, so both comparisons spread
  // over the whole run (lib/protocol.ts).
  const pairs = await interleavedPairs(pairCount, comparisons, log);
  const compared: BenchRow[] = present.flatMap((c) =>
    c.rows.map((r) =>
      comparedRow(pairs.get(c.pipeline)!, {
        case: r.case,
        recurCase: r.key,
        referenceCase: r.key,
        unit: r.unit,
        higherIsBetter: r.higherIsBetter,
      }),
    ),
  );
  log('');
  log(formatTable(compared, 'pytorch'));
  log(
    `(ratio: median of ${pairCount} pair ratios, > 1: Recur better; 95% interval: where that median lies; target >= 1.5 for every row. Recur's figures include tokenising.)`,
  );
  log('');

  const rows: unknown[] = [];
  for (const name of ['sentiment', 'generation', 'translation']) {
    if (!existsSync(join(process.cwd(), 'pipelines', `${name}.json`))) continue;
    const measured = (await child('pipelines-child.js', [name, ...smokeArgs])) as {
      case: string;
      unit: string;
      value: number;
      target?: string;
      met?: boolean;
    }[];
    for (const r of measured) {
      log(
        `${r.case.padEnd(58)} ${r.value.toFixed(r.unit === 'share' ? 3 : 1).padStart(10)} ${r.unit}${r.target ? `  (target ${r.target}: ${r.met ? 'met' : 'MISSED'})` : ''}`,
      );
      rows.push(r);
    }
  }
  finishRun(
    join(process.cwd(), 'bench/results/pipelines.json'),
    {
      name: 'pipelines',
      date: new Date().toISOString(),
      machine: machineDescription(),
      ...(references[0]
        ? {
            reference: `${references[0].reference}, ${references[0].threads} threads (../shared/reference/torch_classify.py, torch_generate.py)`,
          }
        : {}),
      settings: { pairs: pairCount, repeats: Object.fromEntries(COMPARED.map((c) => [c.pipeline, c.repeats])) },
      compared: compared.map((r) => ({ ...r, target: '>= 1.5', met: r.ratio >= 1.5 })),
      rows: rows as never,
    },
    before,
    options,
    log,
  );
}

/** The shapes of a shipped model, read from its weights file's header. */
interface ModelShapes {
  vocab: number;
  embed: number;
  hidden: number;
  layers: number;
}

async function modelShapes(pipeline: string): Promise<ModelShapes> {
  const spec = JSON.parse(readFileSync(join(process.cwd(), 'pipelines', `${pipeline}.json`), 'utf8')) as {
    weights: string;
  };
  const store = await FileWeightStore.open(join(process.cwd(), 'pipelines', spec.weights));
  const [vocab, embed] = store.info('embedding.table')!.dims;
  const recurrent = store.names().filter((n) => /^encoder\.layers\.\d+\.forward\.R$/.test(n));
  return { vocab: vocab, embed: embed, hidden: store.info(recurrent[0])!.dims[1], layers: recurrent.length };
}

interface ComparedCase {
  readonly pipeline: string;
  readonly script: string;
  /**
   * Timed repeats per measurement on each side (the median is taken). The one-sentence and one-stream
   * cases last milliseconds, so a few repeats let one scheduling hiccup move a run's ratio by a quarter;
   * many more would only lengthen the pairs, since a measurement lasts about as long as a neighbour's
   * slowdown whatever its repeats.
   */
  readonly repeats: number;
  readonly referenceArgs: (s: ModelShapes) => string[];
  readonly smokeArgs: readonly string[];
  readonly rows: readonly {
    key: string;
    referenceSuffix: string;
    case: string;
    unit: string;
    higherIsBetter: boolean;
  }[];
}

/** The model's sizes as both reference scripts take them, read from the shipped weights. */
function shapeArgs(s: ModelShapes): string[] {
  return ['--vocab', `${s.vocab}`, '--embed', `${s.embed}`, '--hidden', `${s.hidden}`, '--layers', `${s.layers}`];
}

/** The rows compared with PyTorch: the keys pipelines-compare-child.ts reports, and the reference's case names. */
const COMPARED: readonly ComparedCase[] = [
  {
    pipeline: 'sentiment',
    script: 'torch_classify.py',
    repeats: 20,
    referenceArgs: (s) => [...shapeArgs(s), '--batch', '64', '--length', '20'],
    smokeArgs: [],
    rows: [
      {
        key: 'batch64',
        referenceSuffix: ', batch 64',
        case: 'sentiment (BiLSTM classifier) batch 64 vs PyTorch',
        unit: 'sentences/s',
        higherIsBetter: true,
      },
      {
        key: 'one',
        referenceSuffix: ', one sentence',
        case: 'sentiment (BiLSTM classifier) one sentence vs PyTorch',
        unit: 'ms',
        higherIsBetter: false,
      },
    ],
  },
  {
    pipeline: 'generation',
    script: 'torch_generate.py',
    repeats: 5,
    referenceArgs: (s) => [...shapeArgs(s), '--streams', '1,32'],
    smokeArgs: ['--tokens', '8'],
    rows: [
      {
        key: 'streams1',
        referenceSuffix: ', 1 stream',
        case: 'generation (LSTM LM, sampled) 1 stream vs PyTorch',
        unit: 'tokens/s',
        higherIsBetter: true,
      },
      {
        key: 'streams32',
        referenceSuffix: ', 32 streams',
        case: 'generation (LSTM LM, sampled) 32 streams vs PyTorch',
        unit: 'tokens/s',
        higherIsBetter: true,
      },
    ],
  },
];

/** Runs a benchmark child script (its own process: its own peak RSS) and parses its last line of JSON. */
async function child(script: string, args: readonly string[]): Promise<unknown> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const { stdout } = await run(process.execPath, [path, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
