import { Container } from 'inversify';
import { E } from '../errors/runtime-errors.js';
import { nearestNames } from '../errors/suggest.js';
import { TOKENS } from './tokens.js';
import { PART_KINDS, type AnyPluginDefinition, type PartKind, type PluginDefinition } from './plugin-api.js';
import { RUNTIME_VERSION, satisfies } from '../version.js';

/**
 * The catalogue of registered plugins, backed by the root inversify container. Registration is
 * explicit and validated: a duplicate versioned type or an incompatible runtime range is refused
 * with its own code. Lookups accept versioned names and bare aliases (bare = newest version).
 */
export class PluginRegistry {
  private readonly byKind = new Map<PartKind, Map<string, PluginDefinition>>();

  constructor(
    readonly container: Container = new Container(),
    private readonly parent?: PluginRegistry,
  ) {
    for (const kind of PART_KINDS) this.byKind.set(kind, new Map());
  }

  /**
   * A registry that sees every plugin of this one plus its own: the plugins a spec lists are
   * registered there, so they are scoped to that pipeline and never leak into the process.
   */
  child(): PluginRegistry {
    return new PluginRegistry(new Container({ parent: this.container }), this);
  }

  register(...plugins: readonly AnyPluginDefinition[]): this {
    for (const plugin of plugins) {
      if (!plugin || typeof plugin !== 'object' || !('module' in plugin) || !('baseName' in plugin)) {
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
      table.set(plugin.type, plugin as PluginDefinition);
      this.container.load(plugin.module);
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
    if (exact) return this.fromContainer(exact);
    let newest: PluginDefinition | undefined;
    for (const p of all) {
      if (p.baseName === name && (!newest || p.version > newest.version)) newest = p;
      if (p.aliases?.includes(name)) return this.fromContainer(p);
    }
    return newest ? this.fromContainer(newest) : undefined;
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

  /** A child container for one pipeline, so plugin instances are scoped to it. */
  createPipelineContainer(): Container {
    // A child of this registry's container: it resolves every plugin binding visible here.
    return new Container({ parent: this.container });
  }

  private fromContainer(p: PluginDefinition): PluginDefinition {
    // A plugin is resolved through the container of the registry that registered it: inversify
    // does not fall back to a parent container for a service the child also binds (under other names).
    if (this.byKind.get(p.kind)!.get(p.type) !== p && this.parent) return this.parent.fromContainer(p);
    return this.container.get(TOKENS.plugin, { name: `${p.kind}:${p.type}` });
  }
}
