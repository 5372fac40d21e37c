import { PluginRegistry } from '@recur/runtime';
import type { RegistrySource } from '../config/serve-config.js';
import { ServeErrors as E } from '../errors.js';

/**
 * Imports the registry module a worker was given and calls its factory. The server names no plugin:
 * whoever starts it (the CLI, an embedding application) says which module builds the registry.
 */
export async function importRegistry(source: RegistrySource): Promise<PluginRegistry> {
  const name = source.export ?? 'createRegistry';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(source.module)) as Record<string, unknown>;
  } catch (err) {
    throw E.REGISTRY_MODULE(
      `cannot import the registry module ${source.module}: ${(err as Error).message}`,
      { expected: 'a file: URL or an installed package name' },
      { cause: err },
    );
  }
  const factory = mod[name];
  if (typeof factory !== 'function') {
    throw E.REGISTRY_MODULE(`the registry module ${source.module} has no function export "${name}"`, {
      expected: `export function ${name}(): PluginRegistry`,
    });
  }
  const registry: unknown = await (factory as () => unknown)();
  if (!isRegistry(registry)) {
    throw E.REGISTRY_MODULE(`${name}() in ${source.module} did not return a PluginRegistry`, {
      expected: 'a PluginRegistry from @recur/runtime',
    });
  }
  return registry;
}

/**
 * A PluginRegistry of this copy of @recur/runtime, or of another copy (a registry module installed
 * with its own dependencies): the worker only calls its methods.
 */
function isRegistry(value: unknown): value is PluginRegistry {
  if (value instanceof PluginRegistry) return true;
  return typeof value === 'object' && value !== null && typeof (value as { resolve?: unknown }).resolve === 'function';
}
