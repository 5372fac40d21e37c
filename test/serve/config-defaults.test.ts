import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CHAT_TEMPLATE, resolveServeConfig, SERVE_CONFIG_SCHEMA, SERVE_DEFAULTS } from '@recur/serve';

interface SchemaNode {
  readonly default?: unknown;
  readonly description?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
}

/** Every property of the schema that states a default, by dotted path (`limits.bodyBytes`, `pipelines[].replicas`). */
function schemaDefaults(node: SchemaNode, prefix = ''): [path: string, value: unknown, description: string][] {
  const out: [string, unknown, string][] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    if ('default' in child) out.push([path, child.default, child.description ?? '']);
    out.push(...schemaDefaults(child, `${path}.`));
    if (child.items) out.push(...schemaDefaults(child.items, `${path}[].`));
  }
  return out;
}

/** The cells of the markdown table row whose first cell names `field` (rows may name several fields). */
function guideDefault(guide: string, field: string): string | undefined {
  for (const line of guide.split('\n')) {
    const cells = line.split(' | ').map((c) => c.replace(/^\| |`/g, '').trim());
    const fields = cells[0]?.split(', ') ?? [];
    const at = fields.indexOf(field);
    if (at >= 0 && cells.length >= 3) return cells[1].split(', ')[at];
  }
  return undefined;
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

describe('recur serve: defaults are stated once (SERVE_DEFAULTS)', () => {
  const defaults = schemaDefaults(SERVE_CONFIG_SCHEMA as unknown as SchemaNode);

  it('the configuration schema states a default for every option that has one, and says it in the description', () => {
    const paths = defaults.map(([path]) => path);
    for (const path of ['host', 'port', 'logLevel', 'workerNice', 'cors.maxAgeSeconds', 'pipelines[].replicas'])
      assert.ok(paths.includes(path), `${path} has no default in the schema`);
    for (const group of ['limits', 'timeouts'] as const) {
      for (const key of Object.keys(SERVE_DEFAULTS[group]))
        assert.ok(paths.includes(`${group}.${key}`), `${group}.${key} has no default in the schema`);
    }
    for (const [path, value, description] of defaults)
      assert.ok(description.endsWith(` Default ${String(value)}.`), `${path}: ${description}`);
  });

  it('resolveServeConfig fills in exactly the defaults the schema documents', () => {
    const config = resolveServeConfig({ pipelines: [], registry: { module: 'x' }, cors: { origins: '*' } }, {});
    for (const [path, value] of defaults) {
      if (path.startsWith('pipelines[].')) continue; // per pipeline: checked against SERVE_DEFAULTS.pipeline below
      assert.deepEqual(at(config, path), value, `${path}: the server uses ${String(at(config, path))}`);
    }
    assert.deepEqual(
      defaults.filter(([path]) => path.startsWith('pipelines[].')).map(([path, value]) => [path.slice(12), value]),
      Object.entries(SERVE_DEFAULTS.pipeline),
    );
  });

  it('docs/guides/chatbot-backend.md gives the same defaults as the schema and the chat template', async () => {
    const guide = await readFile(resolve('docs/guides/chatbot-backend.md'), 'utf8');
    for (const [path, value] of defaults) {
      const cell = guideDefault(guide, path);
      assert.ok(cell !== undefined, `the guide's configuration table has no row for ${path}`);
      assert.ok(
        cell === String(value) || cell.startsWith(`${String(value)} (`),
        `${path}: the guide says ${cell}, the server uses ${String(value)}`,
      );
    }
    for (const [field, value] of Object.entries(DEFAULT_CHAT_TEMPLATE))
      assert.equal(guideDefault(guide, field), JSON.stringify(value), `chat template ${field}`);
  });
});
