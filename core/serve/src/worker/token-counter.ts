import {
  composeContext,
  type Backend,
  type Logger,
  type Pipeline,
  type PluginRegistry,
  type TokenizerPart,
} from '@recur/runtime';

/** Counts tokens of text with the pipeline's own tokenizer, for `usage` in OpenAI answers. */
export interface TokenCounter {
  count(text: string): number;
}

/** A backend that is never used: a tokenizer opens no session. */
const NO_BACKEND: Backend = {
  session: () => Promise.reject(new Error('a tokenizer opens no ONNX session')),
  dispose: () => Promise.resolve(),
};

/**
 * A second instance of the pipeline's tokenizer (the spec's `/tokenizer` block, created through the
 * same registry), or undefined when the pipeline has none there. The pipeline keeps its parts to
 * itself, and counting must not go through a generation.
 */
export async function tokenCounterFor(
  pipeline: Pipeline,
  registry: PluginRegistry,
  logger: Logger,
): Promise<TokenCounter | undefined> {
  const block = pipeline.spec['tokenizer'];
  if (!block || typeof block !== 'object') return undefined;
  try {
    const ctx = composeContext({
      registry,
      spec: pipeline.spec,
      specDir: pipeline.specDir,
      backend: NO_BACKEND,
      logger,
    });
    const tokenizer: TokenizerPart = await ctx.part('tokenizer', '/tokenizer');
    return { count: (text) => (text.length === 0 ? 0 : tokenizer.encode(text).length) };
  } catch (err) {
    logger.warn('token counts are unavailable for this pipeline (usage reports 0)', { error: (err as Error).message });
    return undefined;
  }
}
