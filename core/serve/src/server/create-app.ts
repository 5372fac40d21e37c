import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { ServeErrors as E } from '../errors.js';
import { healthRoutes } from '../routes/health-routes.js';
import { openAiRoutes } from '../routes/openai/openai-routes.js';
import { pipelineFileRoutes } from '../routes/pipeline-file-routes.js';
import { pipelineRoutes } from '../routes/pipeline-routes.js';
import { playgroundRoutes } from '../routes/playground-routes.js';
import { apiKeyHook } from './api-keys.js';
import { bodyReceiveDeadline, clientErrorHandler } from './client-errors.js';
import { errorHandler, sendError } from './http-errors.js';
import { boundedJsonBodies } from './json-body.js';
import { requestId } from './request-id.js';
import type { ServeContext } from './serve-context.js';

/**
 * The Fastify application: hooks (request id, draining, CORS, API keys, metrics), error handling
 * and every route. It only moves requests and tokens; workers compute.
 */
export async function createApp(ctx: ServeContext, logger: PinoLogger): Promise<FastifyInstance> {
  const { config, metrics } = ctx;
  const app = Fastify({
    // tsc needs this widening (pino's Logger makes Fastify infer an instance type the routes do not
    // accept); typescript-eslint's program resolves the types differently and calls it unnecessary
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (above)
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestId,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.limits.bodyBytes,
    requestTimeout: config.timeouts.receiveMs,
    // Node looks for requests past requestTimeout only every connectionsCheckingInterval (30 s by
    // default), so a slow client outlived a shorter receiveMs; look often enough to honour it.
    http: { connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.timeouts.receiveMs / 4))) },
    clientErrorHandler: clientErrorHandler(config.timeouts.receiveMs),
    keepAliveTimeout: config.timeouts.idleMs,
    // Draining answers with our own coded 503 (below), not Fastify's plain one.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });
  // Bodies are JSON only: other types are refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');
  boundedJsonBodies(app);
  bodyReceiveDeadline(app, config.timeouts.receiveMs);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // While draining, keep-alive clients are told to reconnect (through the balancer, elsewhere).
    if (ctx.isLeaving) void reply.header('connection', 'close');
    if (ctx.isDraining) throw E.SHUTTING_DOWN('the server is shutting down and takes no new requests', {});
  });
  if (config.cors) {
    await app.register(cors, {
      origin: config.cors.origins === '*' ? '*' : [...config.cors.origins],
      credentials: config.cors.credentials,
      maxAge: config.cors.maxAgeSeconds,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
    });
  }
  if (config.apiKeys.length > 0) app.addHook('onRequest', apiKeyHook(config.apiKeys));
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler(errorHandler(config.limits.bodyBytes));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, E.ROUTE_NOT_FOUND(`no route ${request.method} ${request.url.split('?')[0]}`, {})),
  );

  healthRoutes(app, ctx);
  pipelineRoutes(app, ctx);
  openAiRoutes(app, ctx);
  if (config.playground) {
    playgroundRoutes(app);
    pipelineFileRoutes(app, ctx);
  }
  return app;
}
