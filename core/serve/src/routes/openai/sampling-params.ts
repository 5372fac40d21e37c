import type { ServeLimits } from '../../config/serve-config.js';
import { ServeErrors as E } from '../../errors.js';
import type { GenerateSettings, PipelineInfo } from '../../worker/protocol.js';
import type { SamplingBody } from './openai-schemas.js';

/** What one OpenAI request asks the worker to do. */
export interface SamplingPlan {
  /** Settings shared by every choice (the library's names). */
  readonly settings: GenerateSettings;
  /** Choices per prompt. */
  readonly n: number;
  /** The seed of choice i (of each prompt), or undefined for a random one. */
  seedOf(choice: number): number | undefined;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

/** Default `max_tokens` when neither the request nor the spec says. */
const DEFAULT_MAX_TOKENS = 256;

/**
 * Maps the OpenAI sampling fields to the library's generation settings and applies the server's
 * limits. Parameters that Recur does not implement are refused only when they would change the
 * answer (`presence_penalty: 0` passes, `0.5` does not), so that default-filled client requests work.
 */
export function samplingPlan(
  body: SamplingBody,
  info: PipelineInfo,
  limits: ServeLimits,
  prompts: number,
  extraStop: readonly string[] = [],
): SamplingPlan {
  refuseUnsupported(body);
  const asked = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const field = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  if (asked !== undefined && asked > limits.maxTokens) {
    throw E.MAX_TOKENS(`${field} is ${asked}, above the limit of ${limits.maxTokens} tokens (limits.maxTokens)`, {
      param: field,
      pointer: `/${field}`,
      limit: limits.maxTokens,
    });
  }
  const maxNewTokens = asked ?? Math.min(info.defaultMaxNewTokens ?? DEFAULT_MAX_TOKENS, limits.maxTokens);
  if (body.min_tokens != null && body.min_tokens > maxNewTokens) {
    throw E.INVALID_REQUEST(
      `min_tokens is ${body.min_tokens}, more than the ${maxNewTokens} tokens this request may generate (${asked !== undefined ? field : 'the default max_tokens'})`,
      { param: 'min_tokens', pointer: '/min_tokens', expected: `at most ${maxNewTokens}` },
    );
  }
  const n = body.n ?? 1;
  if (n * prompts > limits.maxInputs) {
    throw E.TOO_MANY_INPUTS(
      `the request asks for ${n * prompts} generations (${prompts} prompt(s) x n ${n}), more than the limit of ${limits.maxInputs} (limits.maxInputs)`,
      { param: 'n', pointer: '/n', limit: limits.maxInputs },
    );
  }
  const stop = [...new Set([...(typeof body.stop === 'string' ? [body.stop] : (body.stop ?? [])), ...extraStop])];
  const settings: GenerateSettings = {
    maxNewTokens,
    ...(body.min_tokens != null ? { minNewTokens: body.min_tokens } : {}),
    maxInputTokens: Math.min(limits.maxInputTokens, info.maxInputTokens ?? Infinity),
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
    // vLLM's -1 and llama.cpp's 0 both mean "no top-k".
    ...(body.top_k != null ? { topK: Math.max(0, body.top_k) } : {}),
    ...(body.repetition_penalty != null ? { repetitionPenalty: body.repetition_penalty } : {}),
    ...(stop.length > 0 ? { stop } : {}),
  };
  const seed = body.seed ?? undefined;
  return {
    settings,
    n,
    // Choice i samples with seed + i, so that n choices differ and each one is reproducible.
    seedOf: (choice) => (seed === undefined ? undefined : ((seed % 2 ** 32) + 2 ** 32 + choice) % 2 ** 32),
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
  };
}

function refuseUnsupported(body: SamplingBody): void {
  const refuse = (param: string, why: string) => {
    throw E.UNSUPPORTED_PARAMETER(
      `${param} ${why}; see the OpenAI compatibility table in docs/guides/chatbot-backend.md`,
      { param, pointer: `/${param}` },
    );
  };
  if (body.presence_penalty) refuse('presence_penalty', 'is not supported (use repetition_penalty)');
  if (body.frequency_penalty) refuse('frequency_penalty', 'is not supported (use repetition_penalty)');
  if (body.logprobs !== undefined && body.logprobs !== null && body.logprobs !== false && body.logprobs !== 0)
    refuse('logprobs', 'is not supported');
  if (body['top_logprobs']) refuse('top_logprobs', 'is not supported');
  if (body.logit_bias && Object.keys(body.logit_bias).length > 0) refuse('logit_bias', 'is not supported');
  for (const tool of ['tools', 'tool_choice', 'functions', 'function_call']) {
    const v = body[tool];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== 'none')
      refuse(tool, 'is not supported: these models do not call tools');
  }
  const format = body['response_format'] as { type?: string } | null | undefined;
  if (format && format.type !== 'text')
    refuse('response_format', `type "${format.type}" is not supported (only "text")`);
  if (body['echo'] === true) refuse('echo', 'is not supported');
  if (typeof body['best_of'] === 'number' && body['best_of'] !== (body.n ?? 1)) refuse('best_of', 'is not supported');
  if (typeof body['suffix'] === 'string' && body['suffix'].length > 0) refuse('suffix', 'is not supported');
}
