import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { E } from '../errors/runtime-errors.js';
import type { PluginDefinition } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';

/**
 * Imports the plugin modules a spec lists, each only when the caller allowed it, and registers
 * their definitions in a registry scoped to that pipeline. A module exports its plugins as
 * `default` (one definition or an array) or as `plugins`.
 */
export async function loadSpecPlugins(
  specifiers: readonly unknown[],
  specDir: string,
  allow: readonly string[] | true,
  registry: PluginRegistry,
): Promise<PluginRegistry> {
  if (specifiers.length === 0) return registry;
  const scoped = registry.child();
  for (const [i, spec] of specifiers.entries()) {
    const pointer = `/plugins/${i}`;
    if (typeof spec !== 'string' || spec.length === 0) {
      throw E.SPEC_INVALID('a plugin entry must be a module name or a relative path', { pointer, expected: 'string' });
    }
    if (allow !== true && !allow.includes(spec)) {
      throw E.PLUGIN_NOT_ALLOWED(
        `the spec lists plugin "${spec}", which was not allowed; loading a plugin runs its code, so allow it explicitly (CLI: --allow-plugin ${spec}; library: load(spec, { allowPlugins: ["${spec}"] }))`,
        {
          pointer,
          expected: 'a plugin listed in allowPlugins',
        },
      );
    }
    const url = resolveSpecifier(spec, specDir, pointer);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (err) {
      throw E.PLUGIN_LOAD(`could not import plugin "${spec}": ${(err as Error).message}`, { pointer }, { cause: err });
    }
    const exported = mod['plugins'] ?? mod['default'];
    const list = (Array.isArray(exported) ? exported : [exported]).filter((p) => p !== undefined);
    if (list.length === 0)
      throw E.PLUGIN_LOAD(
        `plugin module "${spec}" exports no plugin definitions (export them as default or as "plugins")`,
        { pointer },
      );
    scoped.register(...(list as PluginDefinition[]));
  }
  return scoped;
}

function resolveSpecifier(spec: string, specDir: string, pointer: string): string {
  if (spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec))
    return pathToFileURL(resolve(specDir, spec)).href;
  try {
    return pathToFileURL(createRequire(resolve(specDir, 'spec.json')).resolve(spec)).href;
  } catch {
    // ESM-only packages have no "require" condition; fall back to Node's own resolution from here.
    try {
      return import.meta.resolve(spec);
    } catch (err) {
      throw E.PLUGIN_LOAD(
        `plugin package "${spec}" is not installed where the spec is (${specDir})`,
        { pointer },
        { cause: err },
      );
    }
  }
}
