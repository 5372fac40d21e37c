import { createRegistry } from '@recur/cli';
import { definePlugin, type PluginRegistry, type TokenizerPart } from '@recur/runtime';
import { readTokenizerJson } from '@recur/tokenizers';

/** The text that makes the test tokenizer end its thread. */
export const CRASH_TEXT = '__end_this_worker_thread__';

/**
 * A tokenizer.json tokenizer that ends the thread it runs in when it is given CRASH_TEXT. Served by
 * `recur serve`, that thread is a pipeline worker: the tests use it to kill a worker mid-request.
 */
const crashingTokenizer = definePlugin<'tokenizer', { path: string }>({
  kind: 'tokenizer',
  type: 'crashing-tokenizer.v1',
  description: 'Test only: a tokenizer.json tokenizer that ends its worker thread on a magic text.',
  pathOptions: ['path'],
  options: {
    type: 'object',
    properties: { path: { type: 'string', minLength: 1 } },
    required: ['path'],
    additionalProperties: false,
  },
  async create(options, ctx) {
    const inner = await readTokenizerJson(ctx.resolvePath(options.path, `${ctx.pointer}/path`));
    const part: TokenizerPart = {
      vocabSize: inner.vocabSize,
      special: inner.special,
      encode: (text) => {
        if (text === CRASH_TEXT) process.exit(1); // in a worker thread: ends that thread only
        return inner.encode(text);
      },
      decode: (ids, o) => inner.decode(ids, o),
      tokenToId: (token) => inner.tokenToId(token),
    };
    return part;
  },
});

/** The built-in plugins and the crashing tokenizer; named as the workers' registry module. */
export function createCrashRegistry(): PluginRegistry {
  return createRegistry().register(crashingTokenizer);
}
