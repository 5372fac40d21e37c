import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readSafetensors, writeSafetensors, type TensorData } from '@recur/runtime';
import { dequantizeWeightStore, provenanceMetadata, type LoadedSpec } from '@recur/runtime/internal';
import { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint.js';
import { ParamSet } from '../engine/param-set.js';
import { Trainer } from '../engine/trainer.js';
import { buildTrainingGraph } from '../engine/training-graph.js';
import { TrainErrors } from '../errors.js';
import type { OptimizerConfig } from '../optim/optimizer.js';
import { MetricsLog } from '../progress/metrics-log.js';
import { ProgressBar } from '../progress/progress-bar.js';
import type { DevResult } from './objective.js';
import { blameUntrainablePart } from './untrainable-part.js';
import { prepareRunLayout } from './run-layout.js';
import { numberOr, openRun } from './open-run.js';
import type { TrainPipelineOptions, TrainPipelineResult } from './train-options.js';

type Json = Record<string, unknown>;

/** Folder of a run's checkpoint and metrics log, beside the weights unless `--out` says otherwise. */
export function defaultOutDir(weightsPath: string): string {
  return join(dirname(weightsPath), 'training');
}

/**
 * `recur train`: trains the spec the runtime serves. The task's objective builds the training graph
 * from the pipeline's own parts (encoders on their differentiable `scan` path), the engine runs
 * forward and backward on ONNX Runtime, and the weights that score best on the dev data are written
 * to the spec's `weights` file with their provenance. A checkpoint after each epoch (and every
 * `checkpointEvery` steps) makes the run resumable; an abort (Ctrl-C) stops after the current step
 * and leaves one.
 */
export async function trainPipeline(specPath: string, options: TrainPipelineOptions): Promise<TrainPipelineResult> {
  const started = Date.now();
  const run = await openRun(specPath, options, 'train');
  const { spec, loaded, setup, weightsPath, backend, logger, objectiveName, specText, trainFiles } = run;
  const train = (spec['train'] ?? {}) as Json;
  const { seed, threads, batchSize } = setup;
  const epochs = options.epochs ?? numberOr(train['epochs'], 10);
  const layout = prepareRunLayout(
    weightsPath,
    resolve(options.cwd ?? process.cwd(), options.out ?? defaultOutDir(weightsPath)),
    String(spec['name']),
  );
  const { out, checkpoint: checkpointPath } = layout;
  logger.info(`run layout: weights ${layout.weights}; checkpoint and metrics in ${out}`);
  const objective = await run.definition.create(setup);
  logger.info(`training ${String(spec['name'])} (${objectiveName})`, { ...objective.summary });

  const graphStarted = Date.now();
  let graph: ReturnType<typeof buildTrainingGraph>;
  try {
    graph = buildTrainingGraph((g) => objective.forward(g), {
      name: 'train',
      ...(objective.frozen ? { frozen: objective.frozen } : {}),
    });
  } catch (err) {
    throw blameUntrainablePart(err, spec);
  }
  const params = await initialParams(
    graph.params,
    seed,
    options.initFrom ? resolve(options.cwd ?? process.cwd(), options.initFrom) : undefined,
    objective.initialValues?.(),
  );
  for (const name of objective.frozen ?? []) {
    const p = params.get(name);
    if (p) p.frozen = true;
  }
  const stepsPerEpoch = objective.epoch(0).length;
  const optimizer = optimizerConfig((train['optimizer'] ?? {}) as Json);
  const trainer = await Trainer.create(graph, params, {
    optimizer,
    schedule: train['schedule'] ?? {},
    totalSteps: stepsPerEpoch * epochs,
    stepsPerEpoch,
    seed,
    threads,
    ...(typeof train['clip'] === 'number' ? { clip: train['clip'] } : {}),
  });
  logger.info(
    `training graph: ${graph.nodeCount} nodes, ${params.size} parameters, session ready in ${Date.now() - graphStarted} ms; ${stepsPerEpoch} steps per epoch`,
  );

  let startEpoch = 0;
  let startBatch = 0;
  let best: { metric: string; value: number; epoch: number; higherIsBetter: boolean } | undefined;
  let stale = 0;
  if (options.resume) {
    if (!existsSync(checkpointPath))
      throw TrainErrors.RESUME_MISSING(`--resume: no checkpoint at ${checkpointPath}`, { file: checkpointPath });
    const ckpt = await loadCheckpoint(checkpointPath);
    restoreCheckpoint(trainer, ckpt, checkpointPath);
    startEpoch = Number(ckpt.extra['epoch'] ?? 0);
    startBatch = Number(ckpt.extra['batch'] ?? 0);
    stale = Number(ckpt.extra['stale'] ?? 0);
    if (ckpt.extra['best']) best = JSON.parse(ckpt.extra['best']) as typeof best;
    logger.info(`resumed at epoch ${startEpoch + 1}, batch ${startBatch}, step ${trainer.stepCount}`);
  }

  const log = MetricsLog.open(join(out, 'metrics.jsonl'));
  const progress = new ProgressBar({ epochs, ...(options.progress ? { stream: options.progress } : {}) });
  const tokenizerBytes = await tokenizerFiles(loaded);
  const early = train['earlyStopping'] as Json | undefined;
  const patience = numberOr(early?.['patience'], Infinity);
  const evalEvery = numberOr(train['evalEvery'], 0);
  const checkpointEvery = numberOr(train['checkpointEvery'], 0);
  log.write({
    kind: 'start',
    spec: String(spec['name']),
    objective: objectiveName,
    resumed: options.resume === true,
    step: trainer.stepCount,
    epochs,
    stepsPerEpoch,
    batchSize,
    seed,
    params: params.size,
    command: options.command ?? '',
    data: trainFiles,
    ...objective.summary,
  });

  const currentWeights = (): Map<string, TensorData> => new Map(Object.entries(params.tensors()));
  const writeWeights = async (note: string) => {
    await writeSafetensors(weightsPath, params.tensors(), {
      ...provenanceMetadata({
        spec: JSON.parse(specText) as Json,
        modelSpec: run.modelSpec,
        ...(tokenizerBytes ? { tokenizer: tokenizerBytes } : {}),
        ...(options.command ? { trainingCommand: options.command } : {}),
        data: trainFiles.join(' '),
      }),
      'recur.training': note,
    });
  };
  const checkpoint = async (epoch: number, batch: number) =>
    saveCheckpoint(checkpointPath, trainer, {
      epoch: String(epoch),
      batch: String(batch),
      stale: String(stale),
      ...(best ? { best: JSON.stringify(best) } : {}),
    });
  const evaluate = async (epoch: number): Promise<DevResult> => {
    const result = await objective.evaluate(currentWeights());
    log.write({
      kind: 'dev',
      epoch: epoch + 1,
      step: trainer.stepCount,
      metric: result.metric,
      value: result.value,
      ...(result.details ? { details: result.details } : {}),
    });
    const better =
      best === undefined || (result.higherIsBetter ? result.value > best.value : result.value < best.value);
    if (Number.isNaN(result.value) || better) {
      if (!Number.isNaN(result.value))
        best = { metric: result.metric, value: result.value, epoch: epoch + 1, higherIsBetter: result.higherIsBetter };
      stale = 0;
      await writeWeights(`epoch ${epoch + 1}, step ${trainer.stepCount}, dev ${result.metric} ${result.value}`);
    } else {
      stale += 1;
    }
    progress.log(
      `epoch ${epoch + 1}: dev ${result.metric} ${formatMetric(result.value)}${best ? ` (best ${formatMetric(best.value)} at epoch ${best.epoch})` : ''}`,
    );
    return result;
  };

  let interrupted = false;
  let stepsThisRun = 0;
  let lastDev: { name: string; value: number } | undefined;
  let epoch = startEpoch;
  try {
    outer: for (; epoch < epochs; epoch++) {
      const batches = objective.epoch(epoch);
      for (let b = epoch === startEpoch ? startBatch : 0; b < batches.length; b++) {
        if (options.signal?.aborted || (options.maxSteps !== undefined && stepsThisRun >= options.maxSteps)) {
          interrupted = true;
          await checkpoint(epoch, b);
          break outer;
        }
        const batch = batches[b];
        const report = await trainer.step(batch.feeds, batch.dims);
        stepsThisRun += 1;
        objective.afterStep?.(batch, report.outputs);
        progress.update({
          epoch,
          step: b + 1,
          steps: batches.length,
          loss: report.loss,
          tokens: batch.tokens,
          ...(lastDev ? { dev: lastDev } : {}),
        });
        if (trainer.stepCount % 10 === 0 || b === batches.length - 1) {
          log.write({
            kind: 'step',
            epoch: epoch + 1,
            step: trainer.stepCount,
            loss: report.loss,
            lr: report.lr,
            gradNorm: report.gradNorm,
            tokens: batch.tokens,
          });
        }
        if (checkpointEvery > 0 && trainer.stepCount % checkpointEvery === 0) await checkpoint(epoch, b + 1);
        if (evalEvery > 0 && trainer.stepCount % evalEvery === 0) {
          const r = await evaluate(epoch);
          lastDev = { name: r.metric, value: r.value };
        }
      }
      if (evalEvery === 0 || !best) {
        const r = await evaluate(epoch);
        lastDev = { name: r.metric, value: r.value };
      }
      startBatch = 0;
      await checkpoint(epoch + 1, 0);
      if (stale >= patience) {
        progress.log(`early stopping: dev ${best?.metric} has not improved for ${stale} evaluations`);
        epoch += 1;
        break;
      }
    }
    if (interrupted && !existsSync(weightsPath)) await writeWeights(`interrupted at step ${trainer.stepCount}`);
  } finally {
    progress.done();
    log.write({
      kind: interrupted ? 'interrupted' : 'end',
      step: trainer.stepCount,
      seconds: (Date.now() - started) / 1000,
      ...(best ? { best } : {}),
    });
    log.close();
    await objective.release?.();
    await trainer.release();
    await backend.dispose();
  }
  return {
    weights: weightsPath,
    checkpoint: checkpointPath,
    metricsLog: join(out, 'metrics.jsonl'),
    steps: trainer.stepCount,
    epochs: Math.min(epoch, epochs),
    interrupted,
    seconds: (Date.now() - started) / 1000,
    ...(best ? { best: { metric: best.metric, value: best.value, epoch: best.epoch } } : {}),
  };
}

async function initialParams(
  decls: Parameters<typeof ParamSet.initialised>[0],
  seed: number,
  initFrom: string | undefined,
  initial: ReadonlyMap<string, Float32Array> | undefined,
): Promise<ParamSet> {
  if (initFrom) {
    const store = dequantizeWeightStore(await readSafetensors(initFrom));
    return ParamSet.fromTensors(decls, (name) => store.get(name));
  }
  const params = ParamSet.initialised(decls, seed);
  for (const [name, values] of initial ?? []) params.get(name)?.value.set(values);
  return params;
}

function optimizerConfig(block: Json): OptimizerConfig {
  return {
    name: typeof block['type'] === 'string' ? block['type'] : 'adam',
    lr: numberOr(block['lr'], 0.001),
    ...(Array.isArray(block['betas']) ? { betas: block['betas'] as [number, number] } : {}),
    ...(typeof block['eps'] === 'number' ? { eps: block['eps'] } : {}),
    ...(typeof block['weightDecay'] === 'number' ? { weightDecay: block['weightDecay'] } : {}),
  };
}

async function tokenizerFiles(loaded: LoadedSpec): Promise<Uint8Array[] | undefined> {
  const files = loaded.files.filter((f) => f.pointer.endsWith('/tokenizer/path') && existsSync(f.path));
  if (files.length === 0) return undefined;
  return Promise.all(files.map((f) => readFile(f.path)));
}

function formatMetric(v: number): string {
  return Number.isNaN(v) ? 'n/a' : v.toFixed(4);
}
