import type { FastifyInstance } from 'fastify';
import { ServeErrors as E } from '../errors.js';
import { sendFile } from '../playground/send-file.js';
import { readTrainingCurves } from '../playground/training-curves.js';
import type { ServeContext } from '../server/serve-context.js';

/**
 * Behind the API key, like every pipeline route: browsers may keep a copy but must ask again
 * (a 304 while the file is unchanged), and shared caches must not keep one.
 */
const FILE_CACHE = 'private, no-cache';

/**
 * What the playground reads about a served pipeline:
 * - `GET /v1/pipelines/:name/files`: what the routes below serve (`{ spec, files, card, curves }`);
 * - `GET /v1/pipelines/:name/files/<path>`: the spec file (`<path>` is its file name) and exactly
 *   the files it references inside its folder, at the paths those references resolve to from the
 *   spec's URL, so that a browser can load the pipeline from `.../files/<spec file name>`;
 * - `GET /v1/pipelines/:name/card`: its model card (markdown);
 * - `GET /v1/pipelines/:name/curves`: the loss and dev metric of its metrics log.
 * Anything else is a coded 404. The files a pipeline serves are listed by its worker at start-up.
 */
export function pipelineFileRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get<{ Params: { name: string } }>('/v1/pipelines/:name/files', (request, reply) => {
    const files = ctx.pipeline(request.params.name).info.files;
    return reply.send({
      spec: files.spec ?? null,
      files: files.served.map((f) => f.route),
      card: files.card !== undefined,
      curves: files.metricsLog !== undefined,
    });
  });

  app.get('/v1/pipelines/:name/files/*', async (request, reply) => {
    const { name, '*': route } = request.params as { name: string; '*': string };
    const files = ctx.pipeline(name).info.files;
    const file = files.served.find((f) => f.route === route);
    if (file && (await sendFile(request, reply, file.path, FILE_CACHE))) return reply;
    throw E.FILE_NOT_FOUND(
      `pipeline "${name}" serves no file "${route}": only its spec (${files.spec ?? 'none'}) and the files the spec references inside its folder`,
      { param: 'path', expected: files.served.map((f) => f.route).join(', ') || 'none' },
    );
  });

  app.get<{ Params: { name: string } }>('/v1/pipelines/:name/card', async (request, reply) => {
    const { card } = ctx.pipeline(request.params.name).info.files;
    if (card && (await sendFile(request, reply, card, FILE_CACHE))) return reply;
    throw E.FILE_NOT_FOUND(`pipeline "${request.params.name}" has no model card`, {
      expected: 'MODEL_CARD.md in the folder of its weights',
    });
  });

  app.get<{ Params: { name: string } }>('/v1/pipelines/:name/curves', async (request, reply) => {
    const { metricsLog } = ctx.pipeline(request.params.name).info.files;
    const curves = metricsLog && (await readTrainingCurves(metricsLog).catch(() => undefined));
    if (curves) return reply.header('cache-control', FILE_CACHE).send(curves);
    throw E.FILE_NOT_FOUND(`pipeline "${request.params.name}" has no training metrics log`, {
      expected: 'training/metrics.jsonl in the folder of its weights',
    });
  });
}
