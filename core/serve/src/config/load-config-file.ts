import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { RecurAggregateError, type RecurError } from '@recur/runtime';
import { ServeErrors as E } from '../errors.js';
import { SERVE_CONFIG_SCHEMA } from './config-schema.js';
import type { ServeOptions, ServedPipelineConfig } from './serve-config.js';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(SERVE_CONFIG_SCHEMA);

/** The part of a `ServeOptions` a configuration file supplies (everything but the registry). */
export type ConfigFileOptions = Omit<ServeOptions, 'registry'>;

/**
 * Reads and validates a `--config` file. Relative paths in it (pipeline specs, allowRoots) resolve
 * against the file's folder. Every schema problem is reported at once, each with its JSON pointer.
 */
export async function loadConfigFile(path: string): Promise<ConfigFileOptions> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw E.CONFIG_INVALID(
      `cannot read configuration file ${file}: ${(err as Error).message}`,
      { file },
      { cause: err },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw E.CONFIG_INVALID(`configuration file ${file} is not JSON: ${(err as Error).message}`, {
      file,
      expected: 'a JSON object',
    });
  }
  return parseConfig(doc, file);
}

/** Validates a configuration object; `file` is where relative paths resolve from. */
export function parseConfig(doc: unknown, file: string): ConfigFileOptions {
  if (!validate(doc)) throw configErrors(validate.errors ?? [], file);
  const cfg = doc as Record<string, unknown> & {
    pipelines?: ServedPipelineConfig[];
    auth?: { apiKeys?: string[] };
    allowRoots?: string[];
  };
  const dir = dirname(file);
  const cors = cfg['cors'] as ServeOptions['cors'] | undefined;
  if (cors && cors.origins === '*' && cors.credentials === true) {
    throw E.CONFIG_INVALID(
      'cors: origins "*" cannot be combined with credentials: true (browsers refuse it); list the origins',
      { file, pointer: '/cors/credentials', expected: 'an explicit origins list' },
    );
  }
  if (cors && cors.origins === undefined) {
    throw E.CONFIG_INVALID('cors needs "origins"', {
      file,
      pointer: '/cors/origins',
      expected: '"*" or ["https://chat.example.com"]',
    });
  }
  const pick = <K extends string>(key: K) => (cfg[key] !== undefined ? { [key]: cfg[key] } : {}) as Record<K, never>;
  return {
    ...pick('host'),
    ...pick('port'),
    ...pick('limits'),
    ...pick('timeouts'),
    ...pick('chatTemplate'),
    ...pick('logLevel'),
    ...pick('workerNice'),
    ...pick('playground'),
    ...pick('allowPlugins'),
    ...(cors ? { cors } : {}),
    ...(cfg.auth?.apiKeys ? { apiKeys: cfg.auth.apiKeys } : {}),
    ...(cfg.allowRoots ? { allowRoots: cfg.allowRoots.map((r) => resolve(dir, r)) } : {}),
    pipelines: (cfg.pipelines ?? []).map((p) => ({ ...p, spec: resolve(dir, p.spec) })),
  };
}

function configErrors(errors: readonly ErrorObject[], file: string): RecurError {
  const list = errors
    .filter((e) => e.keyword !== 'oneOf' || errors.length === 1)
    .map((e) => {
      const pointer = e.instancePath || '/';
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
          : '';
      return E.CONFIG_INVALID(`${pointer} ${e.message ?? 'is invalid'}${extra}`, { file, pointer: e.instancePath });
    });
  if (list.length === 1) return list[0];
  return new RecurAggregateError(
    E.CONFIG_INVALID.code,
    `configuration file ${file} has ${list.length} problems`,
    list,
    {
      exitCode: E.CONFIG_INVALID.exitCode,
      httpStatus: E.CONFIG_INVALID.httpStatus,
    },
  );
}
