/**
 * Assembles the spec schema from the core schema and every registered plugin's option schema.
 *
 * Layout of the result (one JSON Schema 2020-12 document, so one ajv pass checks a whole spec):
 * - top level: the core keys (`core-schema.ts`), unknown keys refused, and one `if/then` per task
 *   that makes its `slots` required when `task` names it;
 * - `$defs/plugin.<kind>.<versioned type>`: a plugin's options plus `type`, unknown keys refused;
 * - `$defs/part.<kind>`: any registered plugin of that kind. `type` is an enum of every name the
 *   registry resolves for the kind, and one `if/then` per plugin applies that plugin's schema. `if/then`
 *   rather than `oneOf` keeps the errors clean: a misspelled type fails only the enum, and a valid
 *   type reports only its own plugin's problems.
 */
import { E } from '../errors/runtime-errors.js';
import { PART_KINDS, type JsonSchema, type PartKind, type PluginDefinition } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { coreProperties, SLOT_KEYS } from './core-schema.js';
import { KEYWORD_KIND, KEYWORD_PART, KEYWORD_PATH, KEYWORD_PLUGIN, KEYWORD_TASK } from './schema-keywords.js';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Kinds that appear as blocks in a spec; tasks are named by `task` instead. */
export const BLOCK_KINDS: readonly PartKind[] = PART_KINDS.filter((k) => k !== 'task');

/** Name of the `$defs` entry holding a plugin's schema. */
export function pluginDefName(plugin: Pick<PluginDefinition, 'kind' | 'type'>): string {
  return `plugin.${plugin.kind}.${plugin.type}`;
}

/** For each plugin of a kind, the names that resolve to it (its type, its bare name if newest, aliases). */
function namesByPlugin(registry: PluginRegistry, kind: PartKind): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of registry.names(kind)) {
    const owner = registry.find(kind, name);
    if (!owner) continue;
    const list = out.get(owner.type) ?? [];
    list.push(name);
    out.set(owner.type, list);
  }
  return out;
}

function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function pluginSchema(plugin: PluginDefinition, names: readonly string[]): JsonSchema {
  const { $schema: _dialect, $id: _id, ...options } = copyJson(plugin.options);
  const properties = { ...((options['properties'] as Record<string, JsonSchema> | undefined) ?? {}) };
  for (const option of plugin.pathOptions ?? []) {
    const property = properties[option];
    if (!property || typeof property !== 'object') {
      throw E.PLUGIN_INVALID(
        `plugin ${plugin.kind} "${plugin.type}": pathOptions names "${option}", which is not a property of its options schema`,
        {
          expected: `one of: ${Object.keys(properties).join(', ') || '(no properties)'}`,
        },
      );
    }
    properties[option] = { ...property, [KEYWORD_PATH]: plugin.kind === 'tokenizer' ? 'tokenizer' : 'file' };
  }
  if ('type' in properties) {
    throw E.PLUGIN_INVALID(
      `plugin ${plugin.kind} "${plugin.type}": its options may not define "type"; Recur adds it`,
      {},
    );
  }
  const open = options['additionalProperties'] !== undefined || options['unevaluatedProperties'] !== undefined;
  return {
    ...options,
    description: typeof options['description'] === 'string' ? options['description'] : plugin.description,
    [KEYWORD_PLUGIN]: `${plugin.kind}:${plugin.type}`,
    properties: {
      type: {
        type: 'string',
        description: `Selects this plugin: ${names.map((n) => `\`${n}\``).join(', ')}.`,
      },
      ...properties,
    },
    ...(open ? {} : { additionalProperties: false }),
  };
}

function partSchemaFor(kind: PartKind, registry: PluginRegistry): JsonSchema {
  const names = registry.names(kind);
  const byPlugin = namesByPlugin(registry, kind);
  const typeSchema: JsonSchema = {
    type: 'string',
    [KEYWORD_KIND]: kind,
    description: `A registered ${kind}: a versioned name (\`name.v1\`) or a bare name, which means the newest version.`,
    // An empty enum is not a valid schema; `not: {}` refuses every name just the same.
    ...(names.length > 0 ? { enum: names } : { not: {} }),
  };
  const branches = registry.list(kind).map((plugin) => ({
    if: { required: ['type'], properties: { type: { enum: byPlugin.get(plugin.type) ?? [plugin.type] } } },
    then: { $ref: `#/$defs/${pluginDefName(plugin)}` },
  }));
  return {
    type: 'object',
    [KEYWORD_PART]: kind,
    description: `A ${kind} block: \`type\` names a registered ${kind} plugin; the other keys are that plugin's options.`,
    required: ['type'],
    properties: { type: typeSchema },
    ...(branches.length > 0 ? { allOf: branches } : {}),
  };
}

function taskRules(registry: PluginRegistry): JsonSchema[] {
  const byPlugin = namesByPlugin(registry, 'task');
  const rules: JsonSchema[] = [];
  for (const task of registry.list('task')) {
    const slots = [...(task.slots ?? [])];
    if (slots.length === 0) continue;
    const unknown = slots.filter((s) => !SLOT_KEYS.includes(s));
    if (unknown.length > 0) {
      throw E.PLUGIN_INVALID(
        `task "${task.type}": slots ${unknown.map((s) => `"${s}"`).join(', ')} are not spec keys`,
        { expected: `slots among: ${SLOT_KEYS.join(', ')}` },
      );
    }
    rules.push({
      if: { required: ['task'], properties: { task: { enum: byPlugin.get(task.type) ?? [task.type] } } },
      then: { [KEYWORD_TASK]: task.type, required: slots },
    });
  }
  return rules;
}

/**
 * The JSON Schema (2020-12) of a spec for the plugins in `registry`. A fresh object each call; the
 * validator compiled from it is cached per registry by `compiledSpecValidator`.
 *
 * @throws RECUR_E_PLUGIN_INVALID when a plugin's declaration cannot be merged (a `pathOptions` entry
 *   that is no option, an option named `type`, task slots that are not spec keys).
 */
export function buildSpecSchema(registry: PluginRegistry): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const kind of BLOCK_KINDS) {
    defs[`part.${kind}`] = partSchemaFor(kind, registry);
    const byPlugin = namesByPlugin(registry, kind);
    for (const plugin of registry.list(kind))
      defs[pluginDefName(plugin)] = pluginSchema(plugin, byPlugin.get(plugin.type) ?? [plugin.type]);
  }
  const taskNames = registry.names('task');
  const task: JsonSchema = {
    type: 'string',
    [KEYWORD_KIND]: 'task',
    description: `The task this pipeline performs; it decides which parts the spec needs. Registered tasks: ${taskNames.map((n) => `\`${n}\``).join(', ') || '(none)'}.`,
    ...(taskNames.length > 0 ? { enum: taskNames } : { not: {} }),
  };
  const rules = taskRules(registry);
  return {
    $schema: SCHEMA_DIALECT,
    title: 'Recur pipeline spec',
    description:
      'A declarative NLP pipeline: a tokenizer, an embedding, a recurrent encoder and a task head, with its weights.',
    type: 'object',
    required: ['name', 'task'],
    properties: coreProperties(task),
    additionalProperties: false,
    ...(rules.length > 0 ? { allOf: rules } : {}),
    $defs: defs,
  };
}

/**
 * The assembled schema as pretty JSON text, for a static copy that specs can name in `$schema`
 * (`core/runtime/schema/pipeline.schema.json`, written by `recur docs --write` with the built-ins).
 */
export function renderSpecSchema(registry: PluginRegistry): string {
  return `${JSON.stringify(buildSpecSchema(registry), null, 2)}\n`;
}
