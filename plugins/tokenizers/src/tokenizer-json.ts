import { Tokenizer } from '@huggingface/tokenizers';
import {
  consoleLogger,
  definePlugin,
  nodeFileHost,
  TOKENS,
  type FileHost,
  type Logger,
  type TokenizerPart,
} from '@recur/runtime';
import { E } from './errors.js';
import { SafeTokenizer, type SafeTokenizerOptions } from './safe-tokenizer.js';
import type { AddedTokenEntry } from './special-tokens.js';

/** The options of a `tokenizer.json` block (a type alias, so that it fits the registry's option records). */
export type TokenizerJsonOptions = SafeTokenizerOptions & {
  /** The tokenizer.json file, relative to the spec. */
  readonly path: string;
};

/**
 * Builds a tokenizer from the parsed content of a Hugging Face `tokenizer.json` (BPE, byte-level BPE,
 * WordPiece, Unigram; original files whose `model` has no `type` included). `source` names the file
 * in messages. A file the library cannot load is RECUR_E_TOKENIZER_INVALID.
 *
 * The file's own `truncation` and `padding` blocks are ignored (as in transformers.js): use
 * `maxLength`. Decoding follows the Rust library: no `clean_up_tokenization_spaces` pass.
 */
export function tokenizerFromJson(
  json: unknown,
  source: string,
  options: SafeTokenizerOptions = {},
  logger: Logger = consoleLogger(),
): TokenizerPart {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw E.INVALID(`${source}: a tokenizer.json must hold a JSON object`, { file: source });
  }
  const added = readAddedTokens(json as Record<string, unknown>, source);
  let inner: Tokenizer;
  try {
    // The library iterates `added_tokens` unconditionally: give it the list even when the file has none.
    inner = new Tokenizer({ ...json, added_tokens: added }, { clean_up_tokenization_spaces: false });
  } catch (err) {
    throw E.INVALID(
      `${source}: the tokenizer library cannot load it: ${(err as Error).message}`,
      { file: source },
      { cause: err },
    );
  }
  if (!inner.model || inner.model.vocab.length === 0)
    throw E.INVALID(`${source}: the tokenizer has an empty vocabulary`, { file: source });
  return new SafeTokenizer(inner, added, source, logger, options);
}

/**
 * Reads and loads a tokenizer.json file through `host` (a pipeline's file host; Node's by default):
 * RECUR_E_IO when unreadable, RECUR_E_TOKENIZER_INVALID when not a tokenizer.
 */
export async function readTokenizerJson(
  path: string,
  options: SafeTokenizerOptions = {},
  logger?: Logger,
  host: FileHost = nodeFileHost,
): Promise<TokenizerPart> {
  // A folder, FIFO or device is refused at once, by what it is.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await host.read(path, 'tokenizer file'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw E.INVALID(`${path}: not JSON (${(err as Error).message})`, { file: path }, { cause: err });
  }
  return tokenizerFromJson(json, path, options, logger);
}

function readAddedTokens(json: Record<string, unknown>, source: string): AddedTokenEntry[] {
  const list = json['added_tokens'] ?? [];
  if (!Array.isArray(list)) throw E.INVALID(`${source}: "added_tokens" must be an array`, { file: source });
  return list.filter(
    (t): t is AddedTokenEntry =>
      typeof t === 'object' &&
      t !== null &&
      Number.isInteger((t as AddedTokenEntry).id) &&
      typeof (t as AddedTokenEntry).content === 'string',
  );
}

/** The `tokenizer.json` tokenizer part: a Hugging Face tokenizer file, loaded with @huggingface/tokenizers. */
export const tokenizerJson = definePlugin<'tokenizer', TokenizerJsonOptions>({
  kind: 'tokenizer',
  type: 'tokenizer.json.v1',
  description:
    'A Hugging Face tokenizer.json file (BPE, byte-level BPE, WordPiece, Unigram), loaded with @huggingface/tokenizers.',
  pathOptions: ['path'],
  options: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, description: 'The tokenizer.json file, relative to the spec file.' },
      maxLength: {
        type: 'integer',
        minimum: 1,
        maximum: 1_000_000,
        description:
          "At most this many token ids per text, special tokens included; longer texts lose their end. Unset: no limit (the file's own `truncation` block is ignored).",
      },
      addSpecialTokens: {
        type: 'boolean',
        default: true,
        description:
          "Add the special tokens the tokenizer's post-processor defines around each text (`[CLS] ... [SEP]`, `<s> ... </s>`).",
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async create(options, ctx) {
    const path = ctx.resolvePath(options.path, `${ctx.pointer}/path`);
    const { maxLength, addSpecialTokens } = options;
    return readTokenizerJson(
      path,
      {
        ...(maxLength !== undefined ? { maxLength } : {}),
        ...(addSpecialTokens !== undefined ? { addSpecialTokens } : {}),
      },
      ctx.logger,
      ctx.get(TOKENS.fileHost),
    );
  },
});
