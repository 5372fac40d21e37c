import type { FastifyInstance } from 'fastify';
import type { ServeLimits } from '../config/serve-config.js';
import { ServeErrors as E } from '../errors.js';
import { RequestWork } from '../server/request-work.js';
import type { ServeContext } from '../server/serve-context.js';
import type { PipelineInfo } from '../worker/protocol.js';

interface PipelineBody {
  readonly inputs: unknown;
  readonly options?: Record<string, unknown>;
}

const bodySchema = {
  type: 'object',
  required: ['inputs'],
  additionalProperties: false,
  properties: {
    inputs: { description: 'One input (a string for text tasks) or an array of inputs.' },
    options: {
      type: 'object',
      description: 'Call-time options of the task (`topK`, `maxNewTokens`, ...).',
      not: { anyOf: [{ required: ['signal'] }] },
    },
  },
} as const;

/**
 * `GET /v1/pipelines` lists the served pipelines; `POST /v1/pipelines/:name` runs one on
 * `{"inputs": ..., "options": {...}}` and answers exactly what `pipeline.run(inputs, options)`
 * returns. The server's limits bound the options: input tokens, `maxNewTokens`, inputs per request.
 */
export function pipelineRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get('/v1/pipelines', async () => ({
    pipelines: [...ctx.pipelines.values()].map((p) => ({
      name: p.name,
      task: p.info.task,
      generates: p.info.generates,
    })),
  }));

  app.post<{ Params: { name: string }; Body: PipelineBody }>(
    '/v1/pipelines/:name',
    { schema: { body: bodySchema } },
    async (request, reply) => {
      const served = ctx.pipeline(request.params.name);
      const { limits, timeouts } = ctx.config;
      const inputs = request.body.inputs;
      if (Array.isArray(inputs) && inputs.length > limits.maxInputs) {
        throw E.TOO_MANY_INPUTS(
          `the request has ${inputs.length} inputs, more than the limit of ${limits.maxInputs} (limits.maxInputs)`,
          { pointer: '/inputs', param: 'inputs', limit: limits.maxInputs },
        );
      }
      const options = boundedOptions(request.body.options ?? {}, served.info, limits);
      const work = new RequestWork(reply, timeouts.requestMs, ctx.shutdownSignal, ctx.metrics, served.name);
      try {
        const result = await served.run(inputs, options, work.signal);
        return reply.send(result);
      } catch (err) {
        throw work.translate(err);
      } finally {
        work.done();
      }
    },
  );
}

/**
 * Call options with the server's limits applied: a request may ask for fewer input tokens than the
 * server allows, never more (the smaller bound wins); generation gets a bounded `maxNewTokens`.
 */
function boundedOptions(
  options: Record<string, unknown>,
  info: PipelineInfo,
  limits: ServeLimits,
): Record<string, unknown> {
  const inputLimit = Math.min(limits.maxInputTokens, info.maxInputTokens ?? Infinity);
  const asked = options['maxInputTokens'];
  const out: Record<string, unknown> = {
    ...options,
    maxInputTokens: typeof asked === 'number' && asked < inputLimit ? asked : inputLimit,
  };
  if (info.generates) {
    const max = options['maxNewTokens'];
    if (typeof max === 'number' && max > limits.maxTokens) {
      throw E.MAX_TOKENS(`options.maxNewTokens ${max} is above the limit of ${limits.maxTokens} (limits.maxTokens)`, {
        pointer: '/options/maxNewTokens',
        param: 'options.maxNewTokens',
        limit: limits.maxTokens,
      });
    }
    if (max === undefined) out['maxNewTokens'] = Math.min(info.defaultMaxNewTokens ?? 50, limits.maxTokens);
  }
  return out;
}
