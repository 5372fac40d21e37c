/**
 * The `train` conformance handler: for each `train[]` case of a PyTorch fixture folder, builds the
 * language model from the registry's cell (through the encoder's Scan path, so the cell's `step` is what
 * the autodiff differentiates), loads PyTorch's initial weights, and compares the initial loss, every
 * gradient, and the weights after the case's optimizer steps with PyTorch's.
 */
import { join } from 'node:path';
import { OrtBackend, readSafetensors, type EncoderPart, type PluginRegistry, type TensorData } from '@recur/runtime';
import {
  compareTensors,
  formatResult,
  runConformance,
  summaryLine,
  type CaseResult,
  type ConformanceCase,
  type ConformanceHandler,
  type Tolerance,
} from '@recur/runtime/internal';
import { TrainErrors } from '../errors.js';
import { languageModelForward } from '../engine/lm-forward.js';
import { ParamSet } from '../engine/param-set.js';
import { TrainSession } from '../engine/train-session.js';
import { buildTrainingGraph } from '../engine/training-graph.js';
import { createOptimizer } from '../optim/create-optimizer.js';
import { parseLmCase, type LmTrainCase } from './lm-case.js';
import { createPart } from './standalone-parts.js';
import { torchLmTensors, type TorchRecurrentImport } from './torch-lm-weights.js';

/** Tolerances of the fixtures' README. */
export const LOSS_GRAD_TOLERANCE: Tolerance = { atol: 1e-6, rtol: 1e-4 };
export const WEIGHTS_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };

export interface TrainConformanceOptions {
  /** Where the cells come from. @defaultValue the registry of `@recur/recurrent` (imported at run time) */
  readonly registry?: PluginRegistry;
  /** PyTorch state dict -> encoder weights. @defaultValue `importTorchRecurrent` of `@recur/recurrent` */
  readonly importTorch?: TorchRecurrentImport;
  /** ONNX Runtime threads. @defaultValue 1 */
  readonly threads?: number;
}

/** The handler for `recur conformance DIR --kind train`. */
export function trainConformanceHandler(options: TrainConformanceOptions = {}): ConformanceHandler {
  return {
    kind: 'train',
    description:
      'Trains the tiny PyTorch language models (Embedding -> cell -> Linear): initial loss, every gradient, and the weights after the optimizer steps.',
    async run(testCase: ConformanceCase, env): Promise<readonly CaseResult[]> {
      const c = parseLmCase(testCase);
      const { registry, importTorch } = await recurrentDefaults(options);
      return [await runCase(c, join(env.dir, c.file), registry, importTorch, options.threads ?? 1)];
    },
  };
}

/** What `@recur/train` contributes to `recur conformance`: its `train` handler. */
export function conformanceHandlers(registry?: PluginRegistry): ConformanceHandler[] {
  return [trainConformanceHandler(registry ? { registry } : {})];
}

/**
 * Runs every `train` case of the fixture folder `dir`, printing one line per case and the summary
 * line through `out`.
 *
 * @example
 * const { passed, failed } = await runTrainConformance('test/fixtures/pytorch', console.log);
 */
export async function runTrainConformance(
  dir: string,
  out: (line: string) => void,
  options: TrainConformanceOptions = {},
): Promise<{ passed: number; failed: number; skipped: number }> {
  const backend = new OrtBackend();
  try {
    const report = await runConformance(dir, {
      handlers: [trainConformanceHandler(options)],
      backend,
      kind: 'train',
      onResult: (r) => {
        out(formatResult(r));
      },
    });
    out(summaryLine(report));
    return { passed: report.passed, failed: report.failed, skipped: report.skipped };
  } finally {
    await backend.dispose();
  }
}

async function runCase(
  c: LmTrainCase,
  file: string,
  registry: PluginRegistry,
  importTorch: TorchRecurrentImport,
  threads: number,
): Promise<CaseResult> {
  const store = await readSafetensors(file);
  const encoder: EncoderPart = await createPart(
    registry,
    'encoder',
    {
      type: 'recurrent',
      cell: { type: c.cell },
      hidden: c.hidden,
      layers: c.layers,
      bidirectional: c.bidirectional,
      path: 'scan',
    },
    { inputDim: c.embed },
  );
  const graph = buildTrainingGraph((g) =>
    languageModelForward(g, encoder, { vocab: c.vocab, embed: c.embed, reduction: c.reduction }),
  );
  const init = torchLmTensors(store, 'init.', c, importTorch);
  const params = ParamSet.fromTensors(graph.params, (n) => init[n]);
  const initial = new Map([...params].map((p) => [p.name, Float32Array.from(p.value)]));
  const session = await TrainSession.create(graph, params, { threads });
  try {
    const ids = tensorOf(store, 'input.ids', file);
    const targets = tensorOf(store, 'input.targets', file);
    const feeds = {
      ids,
      targets,
      lengths: { dtype: 'int32' as const, dims: [c.B], data: new Int32Array(c.B).fill(c.T) },
    };
    const problems: string[] = [];
    let worst = 0;
    const check = (
      what: string,
      actual: TensorData,
      expected: TensorData,
      tol: Tolerance,
      exactWhere?: (i: number) => boolean,
    ) => {
      const r = compareTensors(actual, expected, tol);
      worst = Math.max(worst, r.maxAbs);
      if (!r.ok) problems.push(`${what}: ${r.problem}`);
      if (exactWhere) {
        const a = actual.data as Float32Array;
        for (let i = 0; i < a.length; i++) {
          if (exactWhere(i) && a[i] !== (expected.data as Float32Array)[i]) {
            problems.push(`${what}: element ${i} must stay exactly ${(expected.data as Float32Array)[i]}, is ${a[i]}`);
            break;
          }
        }
      }
    };

    const first = await session.step(feeds);
    check(
      'loss0',
      { dtype: 'float32', dims: [1], data: Float32Array.of(first.loss) },
      tensorOf(store, 'output.loss0', file),
      LOSS_GRAD_TOLERANCE,
    );
    const grads = torchLmTensors(store, 'grad.', c, importTorch);
    for (const p of params) {
      const expected = grads[p.name];
      const exp = expected.data as Float32Array;
      check(
        `grad ${p.name}`,
        { dtype: 'float32', dims: p.dims, data: p.grad },
        expected,
        LOSS_GRAD_TOLERANCE,
        (i) => exp[i] === 0,
      );
    }

    const optimizer = createOptimizer(c.optimizer);
    for (let s = 0; s < c.steps; s++) {
      if (s > 0) await session.step(feeds);
      optimizer.step(params, c.optimizer.lr);
    }
    const after = torchLmTensors(store, 'after.', c, importTorch);
    for (const p of params) {
      const expected = after[p.name];
      const before = initial.get(p.name)!;
      const exp = expected.data as Float32Array;
      // Weights PyTorch left untouched (embedding rows outside the batch, without decay) stay exactly so.
      check(
        `after ${p.name}`,
        { dtype: 'float32', dims: p.dims, data: p.value },
        expected,
        WEIGHTS_TOLERANCE,
        (i) => exp[i] === before[i],
      );
    }
    const summary = `${c.cell}, loss0 ${first.loss.toFixed(6)}, ${params.names.length} gradients, ${c.steps} ${c.optimizer.name} steps; max |err| ${worst.toExponential(2)}`;
    return problems.length === 0
      ? { name: c.name, status: 'passed', detail: summary }
      : {
          name: c.name,
          status: 'failed',
          detail: `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
        };
  } finally {
    await session.release();
  }
}

function tensorOf(store: { get(name: string): TensorData | undefined }, name: string, file: string): TensorData {
  const t = store.get(name);
  if (!t) throw TrainErrors.FIXTURE_INVALID(`${file} has no tensor ${name}`, { file });
  return t;
}

/** The registry and importer of `@recur/recurrent`, unless the caller gave its own. */
async function recurrentDefaults(
  options: TrainConformanceOptions,
): Promise<{ registry: PluginRegistry; importTorch: TorchRecurrentImport }> {
  if (options.registry && options.importTorch) return { registry: options.registry, importTorch: options.importTorch };
  // A variable specifier: @recur/train does not depend on any plugin package at build time.
  const specifier = '@recur/recurrent';
  let mod: { recurrentRegistry?: () => PluginRegistry; importTorchRecurrent?: TorchRecurrentImport };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    throw TrainErrors.FIXTURE_INVALID(
      `train conformance needs the recurrent cells of ${specifier}, which could not be imported: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  if (!mod.recurrentRegistry || !mod.importTorchRecurrent)
    throw TrainErrors.FIXTURE_INVALID(`${specifier} exports no recurrentRegistry/importTorchRecurrent`);
  return {
    registry: options.registry ?? mod.recurrentRegistry(),
    importTorch: options.importTorch ?? mod.importTorchRecurrent,
  };
}
