import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Logger, type PluginRegistry } from '@recur/runtime';
import { loadSpecFile, type SpecFileRef } from '@recur/runtime/internal';
import type { PipelineFiles, ServedFile } from './protocol.js';

/** Base of the URLs references are resolved against, as a browser resolves them against the spec's URL. */
const BASE = new URL('https://spec.invalid/files/');

/** Roles a page needs to run the pipeline; `train-input` files (datasets, vectors) are never served. */
const SERVED_ROLES: ReadonlySet<SpecFileRef['role']> = new Set(['weights', 'tokenizer', 'file']);

/**
 * The files of a pipeline that the playground may read. The spec file is validated once more as it is
 * written on disk (without `--set` overrides, which the served file does not carry), and each file
 * reference that exists and stays inside the spec's folder is served at the path a browser resolves
 * it to from the spec's URL. By convention, the model card is `MODEL_CARD.md` and the metrics log
 * `training/metrics.jsonl` in the folder of the weights (as `recur train --out` writes them).
 */
export async function findPipelineFiles(
  specPath: string,
  registry: PluginRegistry,
  allowRoots: readonly string[],
  logger: Logger,
): Promise<PipelineFiles> {
  let refs: readonly SpecFileRef[];
  try {
    refs = (await loadSpecFile(specPath, { registry, allowRoots: [...allowRoots], purpose: 'run' })).files;
  } catch (err) {
    logger.warn('the playground does not serve this spec: as written on disk (without --set) it is not valid', {
      spec: specPath,
      error: (err as Error).message,
    });
    return { served: [], spec: undefined, card: undefined, metricsLog: undefined };
  }
  const spec = routeOf(basename(specPath))!;
  const served: ServedFile[] = [{ route: spec, path: specPath }];
  for (const ref of refs) {
    const route = routeOf(ref.value);
    if (route === undefined || !ref.exists || !SERVED_ROLES.has(ref.role)) continue;
    if (!served.some((f) => f.route === route)) served.push({ route, path: ref.path });
  }
  const weights = refs.find((r) => r.role === 'weights');
  const folder = weights ? dirname(weights.path) : undefined;
  return {
    served,
    spec,
    card: folder ? await fileOrUndefined(join(folder, 'MODEL_CARD.md')) : undefined,
    metricsLog: folder ? await fileOrUndefined(join(folder, 'training', 'metrics.jsonl')) : undefined,
  };
}

/** The route of a reference as written, or undefined when a browser would resolve it outside the spec's folder. */
export function routeOf(reference: string): string | undefined {
  let url: URL;
  try {
    url = new URL(reference, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE.origin || !url.pathname.startsWith(BASE.pathname) || url.search || url.hash) return undefined;
  const route = decodeURIComponent(url.pathname.slice(BASE.pathname.length));
  return route.length > 0 && !route.endsWith('/') ? route : undefined;
}

async function fileOrUndefined(path: string): Promise<string | undefined> {
  const s = await stat(path).catch(() => undefined);
  return s?.isFile() ? path : undefined;
}
