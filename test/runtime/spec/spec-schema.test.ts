import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { PluginRegistry, RecurAggregateError, type JsonSchema } from '@recur/runtime';
import { buildSpecSchema, fillSpec, loadSpec, validateSpec, validateSpecFile } from '@recur/runtime/internal';
import {
  ALL_TEST_PLUGINS,
  check,
  classifierSpec,
  expectError,
  expectOneError,
  FIXTURES,
  testPlugin,
  testRegistry,
} from './test-plugins.js';
import { throwsWithCode } from '../../helpers/coded-error.js';

/** classifierSpec() with one block or key replaced. */
function spec(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...classifierSpec(), ...patch };
}

describe('spec schema: assembly', () => {
  const schema = buildSpecSchema(testRegistry());
  const defs = schema['$defs'] as Record<string, JsonSchema>;

  it('is a JSON Schema 2020-12 document with the core keys and unknown keys refused', () => {
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema['additionalProperties'], false);
    assert.deepEqual(schema['required'], ['name', 'task']);
    const keys = Object.keys(schema['properties'] as object);
    for (const key of [
      '$schema',
      'name',
      'version',
      'task',
      'plugins',
      'tokenizer',
      'embedding',
      'encoder',
      'decoder',
      'head',
      'source',
      'target',
      'weights',
      'runtime',
      'train',
    ]) {
      assert.ok(keys.includes(key), `missing core key ${key}`);
    }
  });

  it('puts each plugin in $defs and discriminates each kind by type (versioned names, bare aliases, aliases)', () => {
    assert.ok(defs['plugin.cell.cellx.v1'] && defs['plugin.cell.cellx.v2'] && defs['plugin.encoder.recurrent.v1']);
    const cellType = (defs['part.cell']['properties'] as Record<string, JsonSchema>)['type'];
    assert.deepEqual(cellType['enum'], ['cellx', 'cellx.v1', 'cellx.v2']);
    const taskEnum = (schema['properties'] as Record<string, JsonSchema>)['task']['enum'] as string[];
    assert.ok(taskEnum.includes('sentiment-analysis') && taskEnum.includes('text-classification.v1'));
    // The bare name selects the newest version's schema only.
    const branches = defs['part.cell']['allOf'] as { if: { properties: { type: { enum: string[] } } } }[];
    assert.deepEqual(
      branches.map((b) => b.if.properties.type.enum),
      [['cellx.v1'], ['cellx', 'cellx.v2']],
    );
  });

  it('lets plugins nest parts through partSchema', () => {
    const encoder = defs['plugin.encoder.recurrent.v1'];
    assert.equal((encoder['properties'] as Record<string, JsonSchema>)['cell']['$ref'], '#/$defs/part.cell');
  });

  it('gives every core property a description', () => {
    const walk = (s: JsonSchema, where: string): void => {
      for (const [key, prop] of Object.entries((s['properties'] ?? {}) as Record<string, JsonSchema>)) {
        assert.equal(typeof prop['description'], 'string', `${where}/${key} has no description`);
        walk(prop, `${where}/${key}`);
      }
    };
    walk(schema, '');
  });

  it('refuses a plugin whose pathOptions name no option, with RECUR_E_PLUGIN_INVALID', async () => {
    const bad = testPlugin({
      kind: 'tokenizer',
      type: 'badpath.v1',
      description: 'x',
      pathOptions: ['file'],
      options: { type: 'object', properties: {} },
    });
    const registry = new PluginRegistry().register(bad);
    throwsWithCode(() => buildSpecSchema(registry), 'RECUR_E_PLUGIN_INVALID');
    const result = await validateSpecFile(join(FIXTURES, 'classifier.json'), { registry });
    expectOneError(result, 'RECUR_E_PLUGIN_INVALID', '');
  });

  it('names the plugin whose option schema is not valid strict JSON Schema', async () => {
    const bad = testPlugin({
      kind: 'head',
      type: 'sloppy.v1',
      description: 'x',
      options: { type: 'object', properties: { n: { type: 'integer', minimun: 1, description: 'typo' } } },
    });
    const result = await check(classifierSpec(), { registry: new PluginRegistry().register(...ALL_TEST_PLUGINS, bad) });
    const error = expectOneError(result, 'RECUR_E_PLUGIN_INVALID', '');
    assert.match(error.message, /sloppy\.v1/);
  });

  it('answers a call without a registry with RECUR_E_USAGE instead of throwing', async () => {
    const result = await validateSpec(classifierSpec(), {} as Parameters<typeof validateSpec>[1]);
    expectOneError(result, 'RECUR_E_USAGE', '');
  });

  it('recompiles when plugins are registered after a first validation', async () => {
    const registry = new PluginRegistry().register(...ALL_TEST_PLUGINS);
    const withNewCell = spec({ encoder: { type: 'recurrent', cell: { type: 'mgu' }, hidden: 4 } });
    expectOneError(await check(withNewCell, { registry }), 'RECUR_E_PLUGIN_UNKNOWN', '/encoder/cell/type');
    registry.register(
      testPlugin({ kind: 'cell', type: 'mgu.v1', description: 'x', options: { type: 'object', properties: {} } }),
    );
    assert.deepEqual((await check(withNewCell, { registry })).errors, []);
  });
});

describe('spec schema: valid specs', () => {
  const registry = testRegistry();
  for (const [file, task] of [
    ['classifier.json', 'sentiment-analysis'],
    ['generation.json', 'text-generation'],
    ['translation.json', 'translation'],
  ] as const) {
    it(`accepts ${file} (${task})`, async () => {
      const result = await validateSpecFile(join(FIXTURES, file), { registry });
      assert.deepEqual(
        result.errors.map((e) => `${e.pointer} ${e.message}`),
        [],
      );
      assert.equal(result.ok, true);
      assert.equal(result.spec!.task, task, 'the task name is kept as written');
    });
  }

  it('resolves bare type names to the newest version and keeps versioned ones', async () => {
    const result = await validateSpecFile(join(FIXTURES, 'generation.json'), { registry });
    assert.equal(result.spec!.tokenizer!.type, 'tok.v1');
    const encoder = result.spec!.encoder as Record<string, Record<string, unknown>>;
    assert.equal(encoder['type'], 'recurrent.v1');
    assert.equal(encoder['cell']['type'], 'cellx.v1', 'an explicit older version stays');
    const translation = await validateSpecFile(join(FIXTURES, 'translation.json'), { registry });
    const source = translation.spec!.source!.encoder as Record<string, Record<string, unknown>>;
    assert.equal(source['cell']['type'], 'cellx.v2', 'the bare name means the newest version');
    assert.equal((translation.spec!.decoder as Record<string, Record<string, unknown>>)['cell']['type'], 'cellx.v2');
  });

  it('fillSpec writes every default out and versions every type name, leaving the input alone', () => {
    const input = classifierSpec();
    const before = JSON.stringify(input);
    const filled = fillSpec(input, registry) as Record<string, Record<string, unknown>>;
    assert.equal(JSON.stringify(input), before);
    assert.deepEqual(filled['encoder'], {
      type: 'recurrent.v1',
      cell: { type: 'cellx.v2', gates: 3 },
      hidden: 16,
      layers: 1,
      bidirectional: false,
      dropout: 0,
    });
    assert.deepEqual(filled['head'], { type: 'classifier.v1', labels: ['a', 'b'], pooling: 'last' });
    assert.deepEqual(filled['runtime'], {
      executionProviders: ['cpu'],
      threads: 0,
      maxBatch: 32,
      maxWaitMs: 5,
      maxInputTokens: 512,
      truncation: 'right',
      provenance: 'warn',
    });
    assert.equal(filled['train'], undefined, 'train stays opt-in');
    assert.deepEqual(fillSpec(filled, registry), filled, 'filling is idempotent');
  });

  it('fillSpec fills the train section when there is one', () => {
    const filled = fillSpec(spec({ train: { optimizer: { type: 'adamw' } } }), registry) as Record<
      string,
      Record<string, unknown>
    >;
    assert.deepEqual(filled['train']['optimizer'], {
      type: 'adamw',
      lr: 0.001,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    });
    assert.equal(filled['train']['epochs'], 10);
  });

  it('fillSpec throws RECUR_E_SPEC_INVALID listing every problem', () => {
    assert.throws(
      () => fillSpec(spec({ name: '', embedding: { type: 'lookup' } }), registry),
      (e: unknown) => e instanceof RecurAggregateError && e.code === 'RECUR_E_SPEC_INVALID' && e.errors.length === 2,
    );
  });

  it('loadSpec returns the spec, its folder and its files', async () => {
    const loaded = await loadSpec(classifierSpec(), { registry, specPath: join(FIXTURES, 'inline.json') });
    assert.equal(loaded.spec.name, 'test');
    assert.equal(loaded.specDir, FIXTURES.replace(/\/$/, ''));
    assert.deepEqual(
      loaded.files.map((f) => [f.pointer, f.exists]),
      [['/tokenizer/path', true]],
    );
  });

  it('loadSpec throws one RECUR_E_SPEC_INVALID that lists every error', async () => {
    const bad = spec({ nmae: 'x', embedding: { type: 'lookup', dim: -1 }, head: { type: 'clasifier' } });
    await assert.rejects(loadSpec(bad, { registry, specPath: join(FIXTURES, 'inline.json') }), (e: unknown) => {
      assert.ok(e instanceof RecurAggregateError);
      assert.equal(e.code, 'RECUR_E_SPEC_INVALID');
      assert.equal(e.exitCode, 1);
      assert.deepEqual(
        e.errors.map((x) => [x.pointer, x.code]),
        [
          ['/embedding/dim', 'RECUR_E_SPEC_INVALID'],
          ['/head/type', 'RECUR_E_PLUGIN_UNKNOWN'],
          ['/nmae', 'RECUR_E_SPEC_UNKNOWN_KEY'],
        ],
      );
      return true;
    });
  });
});

describe('spec schema: unknown keys and names', () => {
  const unknownKeys: [string, Record<string, unknown>, string, string][] = [
    ['a misspelled top-level key', spec({ tokenzier: {} }), '/tokenzier', 'tokenizer'],
    [
      'a misspelled plugin option',
      spec({ encoder: { type: 'recurrent', cell: { type: 'cellx' }, hidden: 4, layres: 2 } }),
      '/encoder/layres',
      'layers',
    ],
    [
      'a misspelled option of a nested part',
      spec({ encoder: { type: 'recurrent', cell: { type: 'cellx.v2', gaets: 2 }, hidden: 4 } }),
      '/encoder/cell/gaets',
      'gates',
    ],
    ['a misspelled runtime key', spec({ runtime: { thread: 2 } }), '/runtime/thread', 'threads'],
    ['a misspelled train key', spec({ train: { epoch: 2 } }), '/train/epoch', 'epochs'],
    [
      'a misspelled optimizer key',
      spec({ train: { optimizer: { learningRate: 0.1, lr: 0.1, wieghtDecay: 0 } } }),
      '/train/optimizer/learningRate',
      '',
    ],
  ];
  for (const [name, value, pointer, suggestion] of unknownKeys) {
    it(`refuses ${name} with RECUR_E_SPEC_UNKNOWN_KEY${suggestion ? ` suggesting "${suggestion}"` : ''}`, async () => {
      const error = expectError(await check(value), 'RECUR_E_SPEC_UNKNOWN_KEY', pointer);
      if (suggestion) {
        assert.deepEqual(error.details.suggestions?.[0], suggestion);
        assert.match(error.message, new RegExp(`Did you mean "${suggestion}"`));
      }
    });
  }

  it('refuses a key of another version of a plugin', async () => {
    // `activation` belongs to cellx.v1; the bare name means v2, which has no such option.
    const error = expectOneError(
      await check(spec({ encoder: { type: 'recurrent', cell: { type: 'cellx', activation: 'relu' }, hidden: 4 } })),
      'RECUR_E_SPEC_UNKNOWN_KEY',
      '/encoder/cell/activation',
    );
    assert.match(error.message, /\(options of cell "cellx\.v2"\)/);
  });

  const unknownTypes: [string, Record<string, unknown>, string, string][] = [
    [
      'a misspelled encoder type',
      spec({ encoder: { type: 'recurent', cell: { type: 'cellx' }, hidden: 4 } }),
      '/encoder/type',
      'recurrent',
    ],
    [
      'a misspelled nested cell type',
      spec({ encoder: { type: 'recurrent', cell: { type: 'celx' }, hidden: 4 } }),
      '/encoder/cell/type',
      'cellx',
    ],
    [
      'a version that does not exist',
      spec({ encoder: { type: 'recurrent', cell: { type: 'cellx.v3' }, hidden: 4 } }),
      '/encoder/cell/type',
      'cellx',
    ],
    ['a misspelled head type', spec({ head: { type: 'clasifier', labels: ['a', 'b'] } }), '/head/type', 'classifier'],
    ['a plugin of another kind', spec({ embedding: { type: 'tok', dim: 4 } }), '/embedding/type', ''],
  ];
  for (const [name, value, pointer, suggestion] of unknownTypes) {
    it(`refuses ${name} with one RECUR_E_PLUGIN_UNKNOWN${suggestion ? ` suggesting "${suggestion}"` : ''}`, async () => {
      const error = expectOneError(await check(value), 'RECUR_E_PLUGIN_UNKNOWN', pointer);
      if (suggestion)
        assert.ok(
          error.details.suggestions?.includes(suggestion),
          `suggestions: ${error.details.suggestions?.join(', ')}`,
        );
      assert.match(String(error.details.expected), /a registered/);
    });
  }

  it('refuses a misspelled task with RECUR_E_TASK_UNSUPPORTED listing the supported tasks', async () => {
    const error = expectOneError(
      await check(spec({ task: 'text-clasification' })),
      'RECUR_E_TASK_UNSUPPORTED',
      '/task',
    );
    assert.ok(error.details.suggestions?.includes('text-classification'));
    assert.match(error.message, /sentiment-analysis/);
  });

  it('refuses a block without a type', async () => {
    expectOneError(await check(spec({ head: { labels: ['a', 'b'] } })), 'RECUR_E_SPEC_INVALID', '/head/type');
  });

  it('refuses a type that is not a string', async () => {
    expectOneError(await check(spec({ head: { type: 7, labels: ['a', 'b'] } })), 'RECUR_E_SPEC_INVALID', '/head/type');
  });
});

describe('spec schema: values', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'a string where an integer is expected',
      spec({ embedding: { type: 'lookup', dim: 'big' } }),
      '/embedding/dim',
      /must be integer >= 1/,
    ],
    [
      'a fraction where an integer is expected',
      spec({ embedding: { type: 'lookup', dim: 2.5 } }),
      '/embedding/dim',
      /integer/,
    ],
    [
      'zero hidden units',
      spec({ encoder: { type: 'recurrent', cell: { type: 'cellx' }, hidden: 0 } }),
      '/encoder/hidden',
      /must be integer >= 1 and <= 8192 \(got 0\)/,
    ],
    [
      'a dropout of 1',
      spec({ encoder: { type: 'recurrent', cell: { type: 'cellx' }, hidden: 4, dropout: 1 } }),
      '/encoder/dropout',
      /< 1/,
    ],
    ['a negative learning rate', spec({ train: { optimizer: { lr: -0.1 } } }), '/train/optimizer/lr', /> 0/],
    [
      'an unknown optimizer',
      spec({ train: { optimizer: { type: 'sgd' } } }),
      '/train/optimizer/type',
      /one of: "adam", "adamw"/,
    ],
    [
      'three betas',
      spec({ train: { optimizer: { betas: [0.9, 0.99, 0.999] } } }),
      '/train/optimizer/betas',
      /exactly 2 items/,
    ],
    ['a boolean where a string is expected', spec({ name: true }), '/name', /string/],
    ['a name with a space', spec({ name: 'my model' }), '/name', /matching/],
    ['an empty name', spec({ name: '' }), '/name', /1 to 128 characters/],
    ['a string where an object is expected', spec({ runtime: 'fast' }), '/runtime', /object/],
    ['an object where a part block is expected', spec({ encoder: 'lstm' }), '/encoder', /object/],
    ['a too-large batch', spec({ runtime: { maxBatch: 100000 } }), '/runtime/maxBatch', /<= 4096/],
    ['a negative thread count', spec({ runtime: { threads: -1 } }), '/runtime/threads', />= 0/],
    [
      'an empty provider list',
      spec({ runtime: { executionProviders: [] } }),
      '/runtime/executionProviders',
      /at least 1 item/,
    ],
    [
      'a duplicate label',
      spec({ head: { type: 'classifier', labels: ['a', 'a'] } }),
      '/head/labels',
      /without duplicates/,
    ],
    ['a number in a label list', spec({ head: { type: 'classifier', labels: ['a', 3] } }), '/head/labels/1', /string/],
    [
      'an unknown truncation',
      spec({ runtime: { truncation: 'middle' } }),
      '/runtime/truncation',
      /"right", "left", "off"/,
    ],
    ['a version of 0', spec({ version: 0 }), '/version', /integer >= 1 or string/],
    ['a plugin list of objects', spec({ plugins: [{}] }), '/plugins/0', /string/],
  ];
  for (const [name, value, pointer, words] of cases) {
    it(`refuses ${name} with RECUR_E_SPEC_INVALID at ${pointer}`, async () => {
      const error = expectOneError(await check(value), 'RECUR_E_SPEC_INVALID', pointer);
      assert.match(error.message, words);
      assert.ok(typeof error.details.expected === 'string' && error.details.expected.length > 0);
    });
  }

  it('requires the slots of the task: a classifier needs its parts', async () => {
    const result = await check({ name: 't', task: 'text-classification' });
    assert.deepEqual(
      result.errors.map((e) => [e.pointer, e.code]),
      [
        ['/embedding', 'RECUR_E_SPEC_INVALID'],
        ['/encoder', 'RECUR_E_SPEC_INVALID'],
        ['/head', 'RECUR_E_SPEC_INVALID'],
        ['/tokenizer', 'RECUR_E_SPEC_INVALID'],
      ],
    );
    assert.match(result.errors[0].message, /the task "text-classification.v1" needs "embedding"/);
  });

  it('requires the slots of the task: a translator needs source, target and decoder', async () => {
    const result = await check({
      name: 't',
      task: 'translation',
      head: { type: 'seq2seq' },
      source: { tokenizer: { type: 'tok', path: 'assets/tokenizer.json' } },
    });
    assert.deepEqual(
      result.errors.map((e) => e.pointer),
      ['/decoder', '/source/embedding', '/source/encoder', '/target'],
    );
  });

  it('requires name and task', async () => {
    const result = await check({});
    assert.deepEqual(
      result.errors.map((e) => [e.pointer, e.code]),
      [
        ['/name', 'RECUR_E_SPEC_INVALID'],
        ['/task', 'RECUR_E_SPEC_INVALID'],
      ],
    );
  });

  it('reports every problem of a spec at once, sorted by pointer', async () => {
    const result = await check({
      name: 'bad name',
      task: 'text-classification',
      tokenizer: { type: 'tok', path: 'assets/tokenizer.json', lowercase: 'yes' },
      embedding: { type: 'lookup', dim: 0 },
      encoder: { type: 'recurrent', cell: { type: 'cellx', gates: 99 }, hidden: 4, layrs: 2 },
      head: { type: 'clasifier' },
      train: { epochs: 0 },
      extra: 1,
    });
    assert.deepEqual(
      result.errors.map((e) => [e.pointer, e.code]),
      [
        ['/embedding/dim', 'RECUR_E_SPEC_INVALID'],
        ['/encoder/cell/gates', 'RECUR_E_SPEC_INVALID'],
        ['/encoder/layrs', 'RECUR_E_SPEC_UNKNOWN_KEY'],
        ['/extra', 'RECUR_E_SPEC_UNKNOWN_KEY'],
        ['/head/type', 'RECUR_E_PLUGIN_UNKNOWN'],
        ['/name', 'RECUR_E_SPEC_INVALID'],
        ['/tokenizer/lowercase', 'RECUR_E_SPEC_INVALID'],
        ['/train/epochs', 'RECUR_E_SPEC_INVALID'],
      ],
    );
  });

  it('reports a failed anyOf once, saying which forms are allowed', async () => {
    const error = expectOneError(
      await check(spec({ head: { type: 'classifier', labels: ['a', 'b'], topK: 0 } })),
      'RECUR_E_SPEC_INVALID',
      '/head/topK',
    );
    assert.equal(error.details.expected, 'one of: integer >= 1 | null');
    assert.deepEqual((await check(spec({ head: { type: 'classifier', labels: ['a', 'b'], topK: null } }))).errors, []);
  });

  it('lists at most 100 problems and says how many more there are', async () => {
    const labels = Array.from({ length: 1000 }, (_, i) => i);
    const result = await check(spec({ head: { type: 'classifier', labels } }));
    assert.equal(result.errors.length, 101);
    assert.deepEqual(
      result.errors.slice(0, 3).map((e) => e.pointer),
      ['/head/labels/0', '/head/labels/1', '/head/labels/2'],
      'indices in numeric order',
    );
    assert.equal(result.errors[100].details['omitted'], 900);
    assert.match(result.errors[100].message, /900 more problems/);
  });

  it('says what is wrong in the JSON form the CLI prints', async () => {
    const result = await check(spec({ embedding: { type: 'lookup', dim: 0 } }));
    const json = result.errors[0].toJSON();
    assert.equal(json['code'], 'RECUR_E_SPEC_INVALID');
    assert.equal(json['pointer'], '/embedding/dim');
    assert.equal(json['expected'], 'integer >= 1 and <= 4096');
    assert.equal(json['message'], '/embedding/dim must be integer >= 1 and <= 4096 (got 0)');
  });
});
