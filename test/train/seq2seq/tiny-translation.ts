import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRegistry } from '@recur/cli';
import { memoryLogger, mulberry32, OrtBackend, composeContext, type Logger, type TensorData } from '@recur/runtime';
import { OBJECTIVES, type Objective, type ObjectiveSetup } from '@recur/train';
import { charTokenizerJson } from '../../heads/helpers.js';

/** Letters of the toy languages; ids are the 4 special tokens, then these in order. */
export const ALPHABET = 'abcdefgh';
export const SPECIALS = ['<pad>', '<unk>', '<s>', '</s>'] as const;
export const BOS = 2;
export const EOS = 3;
export const idsOf = (text: string): number[] => [...text].map((c) => SPECIALS.length + ALPHABET.indexOf(c));

/** The toy task: the target is the source reversed. Deterministic pseudo-random words of 2-6 letters. */
export function reversePairs(count: number, seed = 1): { source: string; target: string }[] {
  const random = mulberry32(seed);
  const next = (n: number) => Math.floor(random() * n);
  return Array.from({ length: count }, () => {
    const source = Array.from({ length: 2 + next(5) }, () => ALPHABET[next(ALPHABET.length)]).join('');
    return { source, target: [...source].reverse().join('') };
  });
}

export interface TinySizes {
  readonly attention: 'bahdanau' | 'luong';
  readonly layers?: number;
  readonly embed?: number;
  readonly hidden?: number;
}

/** A small translation spec over the toy alphabet; `path` is the source encoder's path. */
export function tinySpec(
  sizes: TinySizes,
  path: 'scan' | 'auto',
  train: Record<string, unknown> = {},
): Record<string, unknown> {
  const embed = sizes.embed ?? 6;
  const hidden = sizes.hidden ?? 7;
  return {
    name: 'tiny-mt',
    task: 'translation',
    source: {
      tokenizer: { type: 'tokenizer.json', path: 'model/src.tokenizer.json' },
      embedding: { type: 'lookup', dim: embed },
      encoder: { type: 'recurrent', cell: { type: 'gru' }, hidden: hidden - 2, bidirectional: true, path },
    },
    target: {
      tokenizer: { type: 'tokenizer.json', path: 'model/tgt.tokenizer.json' },
      embedding: { type: 'lookup', dim: embed - 2 },
    },
    decoder: {
      type: 'attention-decoder',
      cell: { type: 'gru' },
      hidden,
      layers: sizes.layers ?? 1,
      attention: sizes.attention,
    },
    head: { type: 'seq2seq', search: { beam: 1, maxLength: 12 } },
    weights: 'model/weights.safetensors',
    runtime: { threads: 1 },
    train,
  };
}

/** A folder under test/dist with both tokenizers and the pairs as two files of aligned lines. */
export async function tinyFolder(
  pairs: readonly { source: string; target: string }[],
): Promise<{ dir: string; data: readonly [string, string] }> {
  const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-seq2seq-'));
  await mkdir(join(dir, 'model'));
  const tokenizer = JSON.stringify(charTokenizerJson(ALPHABET, SPECIALS));
  await writeFile(join(dir, 'model/src.tokenizer.json'), tokenizer);
  await writeFile(join(dir, 'model/tgt.tokenizer.json'), tokenizer);
  const data = [join(dir, 'train.src'), join(dir, 'train.tgt')] as const;
  await writeFile(data[0], pairs.map((p) => p.source).join('\n') + '\n');
  await writeFile(data[1], pairs.map((p) => p.target).join('\n') + '\n');
  return { dir, data };
}

/**
 * The seq2seq objective as `recur train` creates it, on a spec object already on the training
 * path; `loadInference` is left to the caller's test (it throws here).
 */
export async function tinyObjective(
  spec: Record<string, unknown>,
  dir: string,
  data: readonly string[],
  batchSize: number,
  logger: Logger = memoryLogger(),
): Promise<{ objective: Objective; backend: OrtBackend }> {
  const registry = createRegistry();
  const backend = new OrtBackend({ logger });
  const setup: ObjectiveSetup = {
    spec,
    specPath: join(dir, 'spec.json'),
    specDir: dir,
    ctx: composeContext({ registry, spec, specDir: dir, backend, logger }),
    registry,
    mode: 'train',
    train: data,
    dev: [],
    devFraction: 0,
    batchSize,
    seed: 3,
    onBadRecord: 'error',
    logger,
    onSkipped: () => undefined,
    threads: 1,
    loadInference: () => Promise.reject(new Error('not used in this test')),
  };
  return { objective: await OBJECTIVES['seq2seq'].create(setup), backend };
}

/** A float tensor's values as a plain array. */
export const valuesOf = (t: TensorData): number[] => Array.from(t.data as Float32Array);
