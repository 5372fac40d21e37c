import type { FastifyInstance } from 'fastify';
import { renderChat, type ChatMessage, type ChatTemplate } from '../../chat/chat-template.js';
import type { ServeContext } from '../../server/serve-context.js';
import { CHAT_SHAPE, TEXT_SHAPE } from './completion-shapes.js';
import { chatCompletionBodySchema, completionBodySchema, type SamplingBody } from './openai-schemas.js';
import { runCompletion } from './run-completion.js';
import { samplingPlan } from './sampling-params.js';

interface ChatBody extends SamplingBody {
  readonly messages: readonly ChatMessage[];
}

interface CompletionBody extends SamplingBody {
  readonly prompt: string | readonly string[];
}

/**
 * The OpenAI-compatible routes: `POST /v1/chat/completions` (messages through the pipeline's chat
 * template), `POST /v1/completions` (raw prompts), `GET /v1/models` and `GET /v1/models/:model`.
 * `model` names a served text-generation pipeline.
 */
export function openAiRoutes(app: FastifyInstance, ctx: ServeContext): void {
  const created = Math.floor(Date.now() / 1000);
  const modelObject = (name: string) => ({ id: name, object: 'model', created, owned_by: 'recur' });
  const templates = new Map<string, ChatTemplate>();
  for (const [name, p] of ctx.pipelines) templates.set(name, { ...ctx.config.chatTemplate, ...p.config.chatTemplate });

  app.get('/v1/models', async () => ({
    object: 'list',
    data: [...ctx.pipelines.values()].filter((p) => p.info.generates).map((p) => modelObject(p.name)),
  }));

  app.get<{ Params: { model: string } }>('/v1/models/:model', async (request) =>
    modelObject(ctx.model(request.params.model).name),
  );

  app.post<{ Body: ChatBody }>(
    '/v1/chat/completions',
    { schema: { body: chatCompletionBodySchema } },
    async (request, reply) => {
      const served = ctx.model(request.body.model);
      const template = templates.get(served.name)!;
      const plan = samplingPlan(request.body, served.info, ctx.config.limits, 1, template.stop);
      const prompt = renderChat(request.body.messages, template);
      return runCompletion({ served, prompts: [prompt], plan, shape: CHAT_SHAPE }, reply, ctx);
    },
  );

  app.post<{ Body: CompletionBody }>(
    '/v1/completions',
    { schema: { body: completionBodySchema } },
    async (request, reply) => {
      const served = ctx.model(request.body.model);
      const prompts = typeof request.body.prompt === 'string' ? [request.body.prompt] : [...request.body.prompt];
      const plan = samplingPlan(request.body, served.info, ctx.config.limits, prompts.length);
      return runCompletion({ served, prompts, plan, shape: TEXT_SHAPE }, reply, ctx);
    },
  );
}
