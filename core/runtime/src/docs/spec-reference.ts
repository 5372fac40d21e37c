/**
 * The spec reference page (`docs/reference/spec.md`), generated from the assembled schema: every
 * top-level key, every nested option, every registered plugin and task, each with its type, default
 * and description. A property without a description is an error, for plugins as for the core: the
 * page is the documentation, so an undocumented option must not ship.
 */
import { E } from '../errors/runtime-errors.js';
import type { RecurError } from '../errors/recur-error.js';
import type { JsonSchema, PartKind } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { BLOCK_KINDS, buildSpecSchema, pluginDefName } from '../spec/build-schema.js';
import { describeSchema, partKindOf } from '../spec/describe-schema.js';
import { code, GENERATED_NOTE, table } from './markdown.js';

type Row = [key: string, type: string, defaultValue: string, required: string, description: string];

/** Flattens an object schema's properties into rows (`train.optimizer.lr`), checking descriptions. */
function rows(schema: JsonSchema, prefix: string, where: string, missing: (where: string) => RecurError): Row[] {
  const out: Row[] = [];
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  for (const [key, property] of Object.entries(properties)) {
    const name = `${prefix}${key}`;
    if (
      typeof property !== 'object' ||
      property === null ||
      typeof property['description'] !== 'string' ||
      property['description'].trim() === ''
    ) {
      throw missing(`${where}/properties/${key}`);
    }
    const kind = partKindOf(property);
    const type = kind
      ? `${kind} block (see ${kind === 'task' ? 'Tasks' : `Parts: ${kind}`})`
      : describeSchema(property);
    const fallback = property['default'] === undefined ? '' : code(JSON.stringify(property['default']));
    out.push([code(name), type, fallback, required.has(key) ? 'yes' : '', property['description']]);
    if (!kind && property['properties'] !== undefined)
      out.push(...rows(property, `${name}.`, `${where}/properties/${key}`, missing));
    const items = property['items'] as JsonSchema | undefined;
    if (!kind && items && typeof items === 'object' && items['properties'] !== undefined) {
      out.push(...rows(items, `${name}[].`, `${where}/properties/${key}/items`, missing));
    }
  }
  return out;
}

const HEADER = ['key', 'type', 'default', 'required', 'description'];

function names(registry: PluginRegistry, kind: PartKind, type: string): string[] {
  return registry.names(kind).filter((n) => registry.find(kind, n)?.type === type);
}

/**
 * Renders the spec reference for the plugins in `registry` as markdown.
 * @throws RECUR_E_PLUGIN_INVALID naming the schema location of a property that has no description.
 */
export function renderSpecReference(registry: PluginRegistry): string {
  const schema = buildSpecSchema(registry);
  const defs = schema['$defs'] as Record<string, JsonSchema>;
  const out: string[] = [
    '# Spec reference',
    '',
    GENERATED_NOTE,
    '',
    'A pipeline spec is one JSON object, validated against a JSON Schema (2020-12) assembled from the core keys below and the option',
    'schemas of the registered plugins. Name the schema in `$schema` and editors complete the spec. A part is a block whose `type`',
    "names a registered plugin, followed by that plugin's options. Type names are versioned (`lstm.v1`); a bare name (`lstm`) means",
    'the newest version, and `recur fill` writes the versioned name back. Paths are relative to the spec file and may not leave its',
    'folder unless the caller allows another root. `--set key.path=value` overrides any key from the command line.',
    '',
    '## Top-level keys',
    '',
    table(
      HEADER,
      rows(schema, '', '#', (where) =>
        E.INTERNAL(`the core spec schema property ${where} has no description`, { pointer: where }),
      ),
    ),
    '',
    '## Tasks',
    '',
  ];
  const tasks = registry.list('task');
  if (tasks.length === 0) out.push('No task is registered.', '');
  for (const task of tasks) {
    out.push(`### ${code(task.type)}`, '', task.description, '');
    out.push(`Names: ${names(registry, 'task', task.type).map(code).join(', ')}.`);
    if (task.slots && task.slots.length > 0) out.push(`Requires: ${task.slots.map(code).join(', ')}.`);
    out.push('');
    if (task.callOptions) {
      const missing = (where: string): RecurError =>
        E.PLUGIN_INVALID(
          `plugin task "${task.type}": the call option schema property ${where} has no description; every option needs one for the spec reference`,
          { pointer: where },
        );
      out.push(
        `Call options (\`run(input, { ... })\`, \`recur run --options '{...}'\`, the HTTP \`options\` object), checked before the call runs; every call also takes \`signal\` (an AbortSignal):`,
        '',
        table(
          HEADER.filter((h) => h !== 'default' && h !== 'required'),
          rows(task.callOptions, '', '#', missing).map(([key, type, , , description]) => [key, type, description]),
        ),
        '',
      );
    }
  }
  out.push('## Parts', '');
  for (const kind of BLOCK_KINDS) {
    out.push(`### Parts: ${kind}`, '');
    const plugins = registry.list(kind);
    if (plugins.length === 0) out.push(`No ${kind} is registered.`, '');
    for (const plugin of plugins) {
      const def = defs[pluginDefName(plugin)];
      out.push(
        `#### ${code(plugin.type)}`,
        '',
        plugin.description,
        '',
        `Names: ${names(registry, kind, plugin.type).map(code).join(', ')}.`,
        '',
      );
      const missing = (where: string): RecurError =>
        E.PLUGIN_INVALID(
          `plugin ${kind} "${plugin.type}": the option schema property ${where} has no description; every option needs one for the spec reference`,
          {
            pointer: where,
          },
        );
      out.push(table(HEADER, rows(def, '', '#', missing)), '');
    }
  }
  return out.join('\n');
}
