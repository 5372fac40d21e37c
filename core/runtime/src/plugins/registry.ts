import { E } from '../errors/runtime-errors.js';
import { nearestNames } from '../errors/suggest.js';
import { PART_KINDS, type AnyPluginDefinition, type PartKind, type PluginDefinition } from './plugin-api.js';
import { RUNTIME_VERSION, satisfies } from '../version.js';

/**
 * The catalogue of registered plugins: its lookup tables are the one place a plugin definition is
 * kept (a pipeline's container binds the registry itself, never a copy of each plugin). Registration is
 * explicit and validated: a duplicate versioned type or an incompatible runtime range is refused
 * with its own code. Lookups accept versioned names and bare aliases (bare = newest version).
 */
export class PluginRegistry {
  private readonly byKind = new Map<PartKind, Map<string, PluginDefinition>>();

  constructor(private readonly parent?: PluginRegistry) {
    for (const kind of PART_KINDS) this.byKind.set(kind, new Map());
  }

  /**
   * A registry that sees every plugin of this one plus its own: the plugins a spec lists are
   * registered there, so they are scoped to that pipeline and never leak into the process.
   */
  child(): PluginRegistry {
    return new PluginRegistry(this);
  }

  register(...plugins: readonly AnyPluginDefinition[]): this {
    for (const plugin of plugins) {
      if (!plugin || typeof plugin !== 'object' || !('baseName' in plugin) || !('version' in plugin)) {
        throw E.PLUGIN_INVALID('register() takes values returned by definePlugin()', {});
      }
      if (plugin.runtime !== undefined && !satisfies(RUNTIME_VERSION, plugin.runtime)) {
        throw E.PLUGIN_VERSION(
          `plugin ${plugin.kind} "${plugin.type}" requires @recur/runtime ${plugin.runtime}, but ${RUNTIME_VERSION} is loaded`,
          {
            expected: plugin.runtime,
          },
        );
      }
      const table = this.byKind.get(plugin.kind)!;
      if (table.has(plugin.type) || this.parent?.find(plugin.kind, plugin.type)?.type === plugin.type) {
        throw E.PLUGIN_DUPLICATE(
          `plugin ${plugin.kind} "${plugin.type}" is already registered; versioned names never change meaning, so publish "${plugin.baseName}.v${plugin.version + 1}" instead`,
          {},
        );
      }
      for (const alias of plugin.aliases ?? []) {
        if (this.find(plugin.kind, alias))
          throw E.PLUGIN_DUPLICATE(
            `alias "${alias}" of ${plugin.kind} "${plugin.type}" already names another plugin`,
            {},
          );
      }
      table.set(plugin.type, plugin);
    }
    return this;
  }

  /** All plugins of a kind, sorted by type. */
  list(kind: PartKind): PluginDefinition[] {
    const own = [...this.byKind.get(kind)!.values()];
    const inherited = this.parent ? this.parent.list(kind) : [];
    return [...inherited, ...own].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** Every name a spec may use for this kind: versioned types, bare aliases, extra aliases. */
  names(kind: PartKind): string[] {
    const names = new Set<string>();
    for (const p of this.list(kind)) {
      names.add(p.type);
      names.add(p.baseName);
      for (const a of p.aliases ?? []) names.add(a);
    }
    return [...names].sort();
  }

  /** The plugin a name refers to, or undefined. */
  find(kind: PartKind, name: string): PluginDefinition | undefined {
    const all = this.list(kind);
    const exact = all.find((p) => p.type === name);
    if (exact) return exact;
    let newest: PluginDefinition | undefined;
    for (const p of all) {
      if (p.baseName === name && (!newest || p.version > newest.version)) newest = p;
      if (p.aliases?.includes(name)) return p;
    }
    return newest;
  }

  /** The plugin a name refers to; throws RECUR_E_PLUGIN_UNKNOWN with the nearest names otherwise. */
  resolve(kind: PartKind, name: string, pointer?: string): PluginDefinition {
    const found = this.find(kind, name);
    if (found) return found;
    const known = this.names(kind);
    const suggestions = nearestNames(name, known);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    throw E.PLUGIN_UNKNOWN(
      `"${name}" is not a registered ${kind}.${hint} Registered: ${known.join(', ') || '(none)'}`,
      {
        ...(pointer !== undefined ? { pointer } : {}),
        expected: `a registered ${kind}: ${known.join(', ')}`,
        suggestions,
      },
    );
  }
}
