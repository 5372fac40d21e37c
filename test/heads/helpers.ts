import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinEmbeddings } from '@recur/embedding';
import { builtinHeads } from '@recur/heads';
import { builtinRecurrent } from '@recur/recurrent';
import { load, memoryLogger, PluginRegistry, writeSafetensors, type Pipeline } from '@recur/runtime';
import { builtinTokenizers, tokenizerFromJson } from '@recur/tokenizers';

/** The plugins these tests need, registered explicitly. */
export function headsRegistry(): PluginRegistry {
  return new PluginRegistry().register(
    ...builtinTokenizers,
    ...builtinEmbeddings,
    ...builtinRecurrent,
    ...builtinHeads,
  );
}

function addedTokens(specials: readonly string[]) {
  return specials.map((content, id) => ({
    id,
    content,
    special: true,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
  }));
}

/**
 * A character-level tokenizer.json: a BPE model without merges whose vocabulary is the special
 * tokens followed by one token per character of `alphabet`; the Fuse decoder joins tokens as they are.
 */
export function charTokenizerJson(
  alphabet: string,
  specials: readonly string[] = ['<pad>', '<unk>', '<s>', '</s>'],
): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  [...specials, ...new Set(alphabet)].forEach((t, i) => (vocab[t] = i));
  return {
    version: '1.0',
    added_tokens: addedTokens(specials),
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      vocab,
      merges: [],
      unk_token: specials.includes('<unk>') ? '<unk>' : null,
      dropout: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
    },
  };
}

/** GPT-2's reversible map from bytes to printable characters. */
function bytesToUnicode(): Map<number, string> {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [b, String.fromCharCode(cs[i])]));
}

/** A byte-level BPE tokenizer.json without merges: every UTF-8 byte is one token (after the specials). */
export function byteTokenizerJson(specials: readonly string[] = ['<pad>', '<unk>', '<s>']): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  specials.forEach((t, i) => (vocab[t] = i));
  for (const [byte, char] of bytesToUnicode()) vocab[char] = specials.length + byte;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    added_tokens: addedTokens(specials),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      vocab,
      merges: [],
      unk_token: null,
      dropout: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
    },
  };
}

export const tokenizerOf = (json: Record<string, unknown>) => tokenizerFromJson(json, 'test tokenizer');

export const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz .,!?\n';

/**
 * Writes `files` and `spec` into a fresh temporary folder, creates seeded untrained weights with
 * `load(..., { initialize })` (multiplying the tensors whose names start with a key of `scale`), writes them as the spec's
 * weights file and loads the pipeline from the spec file, as a user would.
 */
export async function tinyPipeline(
  spec: Record<string, unknown>,
  files: Readonly<Record<string, unknown>>,
  seed = 7,
  scale: Readonly<Record<string, number>> = {},
): Promise<{ pipeline: Pipeline; dir: string }> {
  const dir = await writeSpecDir(spec, files);
  const registry = headsRegistry();
  const fresh = await load(join(dir, 'spec.json'), { registry, initialize: { seed } });
  // Untrained weights are scaled where a test needs a sharper model (outputs that depend on the input).
  const weights = new Map(
    [...fresh.initializedWeights].map(([name, t]) => {
      const factor = Object.entries(scale).find(([prefix]) => name.startsWith(prefix))?.[1];
      return [
        name,
        factor === undefined ? t : { ...t, data: Float32Array.from(t.data as Float32Array, (v) => v * factor) },
      ];
    }),
  );
  await writeSafetensors(join(dir, 'weights.safetensors'), weights);
  await fresh.dispose();
  // Warnings (a hostile over-long input cut to the limit) are expected in these tests: kept, not printed.
  return { pipeline: await load(join(dir, 'spec.json'), { registry, logger: memoryLogger() }), dir };
}

/** Writes `files` and the spec (weights: weights.safetensors) into a fresh temporary folder. */
export async function writeSpecDir(
  spec: Record<string, unknown>,
  files: Readonly<Record<string, unknown>>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-heads-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(content));
  await writeFile(join(dir, 'spec.json'), JSON.stringify({ ...spec, weights: 'weights.safetensors' }, null, 2));
  return dir;
}

/** Collects a stream's pieces. */
export async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of stream) pieces.push(piece);
  return pieces;
}
