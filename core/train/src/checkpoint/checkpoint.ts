import { rename } from 'node:fs/promises';
import { readSafetensors, writeSafetensors, type TensorData } from '@recur/runtime';
import { toFloat32 } from '@recur/runtime/internal';
import { TrainErrors } from '../errors.js';
import type { Trainer } from '../engine/trainer.js';
import { Xoshiro128 } from '../rng/xoshiro128.js';

/** Metadata keys of a training checkpoint (safetensors `__metadata__`, all strings). */
export const CHECKPOINT_KEYS = {
  format: 'recur.checkpoint',
  step: 'recur.train.step',
  optimizer: 'recur.train.optimizer',
  optimizerSteps: 'recur.train.optimizer_steps',
  rng: 'recur.train.rng',
} as const;

const PARAM = 'param.';
const OPTIM = 'optim.';

/** A checkpoint as read back: tensors and metadata, plus the caller's own fields (`extra`). */
export interface Checkpoint {
  readonly tensors: Readonly<Record<string, TensorData>>;
  readonly metadata: Readonly<Record<string, string>>;
  /** What the caller stored with `saveCheckpoint(..., extra)`: epoch, position in the data, best metric. */
  readonly extra: Readonly<Record<string, string>>;
}

/**
 * Writes everything a resumed run needs to continue exactly: parameters (`param.*`), optimizer state
 * (`optim.*`), generator state and step counters (metadata), and the caller's `extra` fields. The file is
 * written beside its final name and renamed into place, so an interrupted write never leaves a broken
 * checkpoint.
 */
export async function saveCheckpoint(
  path: string,
  trainer: Trainer,
  extra: Readonly<Record<string, string>> = {},
): Promise<void> {
  const tensors: Record<string, TensorData> = {};
  for (const p of trainer.params) tensors[PARAM + p.name] = { dtype: 'float32', dims: p.dims, data: p.value };
  for (const [name, t] of Object.entries(trainer.optimizer.stateTensors())) tensors[OPTIM + name] = t;
  const metadata: Record<string, string> = {
    [CHECKPOINT_KEYS.format]: '1',
    [CHECKPOINT_KEYS.step]: String(trainer.stepCount),
    [CHECKPOINT_KEYS.optimizer]: JSON.stringify(trainer.optimizer.config),
    [CHECKPOINT_KEYS.optimizerSteps]: String(trainer.optimizer.steps),
    [CHECKPOINT_KEYS.rng]: Array.from(trainer.rng.state, (w) => w.toString(16).padStart(8, '0')).join(''),
  };
  for (const [k, v] of Object.entries(extra)) metadata[`extra.${k}`] = v;
  const tmp = `${path}.partial`;
  await writeSafetensors(tmp, tensors, metadata);
  await rename(tmp, path);
}

export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const store = await readSafetensors(path);
  if (store.metadata[CHECKPOINT_KEYS.format] !== '1')
    throw TrainErrors.CHECKPOINT_INVALID(
      `${path} is not a Recur training checkpoint (no ${CHECKPOINT_KEYS.format} metadata)`,
      { file: path },
    );
  const tensors: Record<string, TensorData> = {};
  for (const name of store.names()) tensors[name] = store.get(name)!;
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(store.metadata)) if (k.startsWith('extra.')) extra[k.slice(6)] = v;
  return { tensors, metadata: store.metadata, extra };
}

/** Puts a checkpoint's parameters, optimizer state, generator and step count into `trainer`. */
export function restoreCheckpoint(trainer: Trainer, checkpoint: Checkpoint, source = 'checkpoint'): void {
  const saved = JSON.parse(checkpoint.metadata[CHECKPOINT_KEYS.optimizer] ?? '{}') as { name?: string };
  if (saved.name !== trainer.optimizer.config.name) {
    throw TrainErrors.CHECKPOINT_INVALID(
      `${source} was written by optimizer "${saved.name}", this run uses "${trainer.optimizer.config.name}"`,
      { file: source },
    );
  }
  for (const p of trainer.params) {
    const t = checkpoint.tensors[PARAM + p.name];
    if (!t)
      throw TrainErrors.CHECKPOINT_INVALID(`${source} has no parameter ${p.name}: it belongs to another model`, {
        file: source,
        tensor: p.name,
      });
    if (t.dims.join() !== p.dims.join())
      throw TrainErrors.CHECKPOINT_INVALID(
        `${source}: ${p.name} is [${t.dims.join(', ')}], the model declares [${p.dims.join(', ')}]`,
        { file: source, tensor: p.name },
      );
    p.value.set(toFloat32(t));
  }
  const optimState: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(checkpoint.tensors))
    if (name.startsWith(OPTIM)) optimState[name.slice(OPTIM.length)] = t;
  trainer.optimizer.loadState(optimState, Number(checkpoint.metadata[CHECKPOINT_KEYS.optimizerSteps] ?? 0));
  const hex = checkpoint.metadata[CHECKPOINT_KEYS.rng] ?? '';
  if (!/^[0-9a-f]{32}$/.test(hex))
    throw TrainErrors.CHECKPOINT_INVALID(`${source} has no valid generator state`, { file: source });
  trainer.rng = new Xoshiro128(Uint32Array.from({ length: 4 }, (_, i) => parseInt(hex.slice(i * 8, i * 8 + 8), 16)));
  trainer.stepCount = Number(checkpoint.metadata[CHECKPOINT_KEYS.step] ?? 0);
}
