import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../server/serve-context.js';

/** `GET /healthz` (the process answers), `GET /readyz` (models loaded, not draining), `GET /metrics`. */
export function healthRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const pipelines = Object.fromEntries(
      [...ctx.pipelines].map(([name, p]) => [name, p.ready ? 'ready' : 'restarting']),
    );
    const status = ctx.isLeaving ? 'draining' : ctx.ready ? 'ready' : 'not-ready';
    return reply.code(status === 'ready' ? 200 : 503).send({ status, pipelines });
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render()),
  );
}
