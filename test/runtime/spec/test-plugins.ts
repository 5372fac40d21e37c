/**
 * Small plugins for the spec-validation tests: one of every kind, shaped like the built-ins (a
 * tokenizer with a path option, an embedding, a cell in two versions, an encoder nesting a cell,
 * heads, a decoder and the three tasks), so the tests exercise the validator and nothing else.
 */
import { fileURLToPath } from 'node:url';
import { strict as assert } from 'node:assert';
import { definePlugin, PluginRegistry, RecurError, type PluginDefinition } from '@recur/runtime';
import { partSchema, type ValidationResult } from '@recur/runtime/internal';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/specs/', import.meta.url));

type LooseDeclaration = Omit<Parameters<typeof definePlugin>[0], 'create'>;

/** Declares a plugin whose factory is never called in these tests. */
export function testPlugin(decl: LooseDeclaration): PluginDefinition {
  return definePlugin({
    ...decl,
    create: () => {
      throw new Error('spec tests never build parts');
    },
  });
}

export const tokenizerPlugin = testPlugin({
  kind: 'tokenizer',
  type: 'tok.v1',
  description: 'Test tokenizer read from a file.',
  pathOptions: ['path'],
  options: {
    type: 'object',
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'The tokenizer file, relative to the spec.' },
      lowercase: { type: 'boolean', default: false, description: 'Lowercase the text first.' },
    },
  },
});

export const embeddingPlugin = testPlugin({
  kind: 'embedding',
  type: 'lookup.v1',
  description: 'Test lookup embedding.',
  options: {
    type: 'object',
    required: ['dim'],
    properties: { dim: { type: 'integer', minimum: 1, maximum: 4096, description: 'Vector size.' } },
  },
});

export const cellV1 = testPlugin({
  kind: 'cell',
  type: 'cellx.v1',
  description: 'Test cell, first version.',
  options: {
    type: 'object',
    properties: { activation: { type: 'string', enum: ['tanh', 'relu'], default: 'tanh', description: 'Activation.' } },
  },
});

export const cellV2 = testPlugin({
  kind: 'cell',
  type: 'cellx.v2',
  description: 'Test cell, second version.',
  options: {
    type: 'object',
    properties: { gates: { type: 'integer', minimum: 1, maximum: 8, default: 3, description: 'Number of gates.' } },
  },
});

export const encoderPlugin = testPlugin({
  kind: 'encoder',
  type: 'recurrent.v1',
  description: 'Test recurrent encoder.',
  options: {
    type: 'object',
    required: ['cell', 'hidden'],
    properties: {
      cell: { ...partSchema('cell'), description: 'The cell run at every step.' },
      hidden: { type: 'integer', minimum: 1, maximum: 8192, description: 'Hidden size.' },
      layers: { type: 'integer', minimum: 1, maximum: 16, default: 1, description: 'Stacked layers.' },
      bidirectional: { type: 'boolean', default: false, description: 'Also run right to left.' },
      dropout: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0, description: 'Dropout between layers.' },
    },
  },
});

/** A bring-your-own-model encoder: its `.onnx` file is a path option of a non-tokenizer plugin. */
export const onnxEncoderPlugin = testPlugin({
  kind: 'encoder',
  type: 'onnx-file.v1',
  description: 'Test encoder read from an .onnx file.',
  pathOptions: ['model'],
  options: {
    type: 'object',
    required: ['model'],
    properties: { model: { type: 'string', description: 'The .onnx file, relative to the spec.' } },
  },
});

export const classifierHead = testPlugin({
  kind: 'head',
  type: 'classifier.v1',
  description: 'Test classifier head.',
  options: {
    type: 'object',
    required: ['labels'],
    properties: {
      labels: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 2,
        uniqueItems: true,
        description: 'Label names.',
      },
      pooling: { type: 'string', enum: ['last', 'mean', 'max'], default: 'last', description: 'Pooling over time.' },
      topK: {
        anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }],
        description: 'Labels returned; null returns all.',
      },
    },
  },
});

export const languageModelHead = testPlugin({
  kind: 'head',
  type: 'language-model.v1',
  description: 'Test language-model head.',
  options: {
    type: 'object',
    properties: {
      generate: {
        type: 'object',
        additionalProperties: false,
        default: {},
        description: 'Generation defaults.',
        properties: {
          maxNewTokens: { type: 'integer', minimum: 1, default: 50, description: 'Tokens to generate.' },
          temperature: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Sampling temperature.' },
          topK: { type: 'integer', minimum: 0, default: 0, description: 'Top-k sampling; 0 is off.' },
          stop: { type: 'array', items: { type: 'string' }, default: [], description: 'Stop sequences.' },
        },
      },
    },
  },
});

export const seq2seqHead = testPlugin({
  kind: 'head',
  type: 'seq2seq.v1',
  description: 'Test translation head.',
  options: {
    type: 'object',
    properties: {
      search: {
        type: 'object',
        additionalProperties: false,
        description: 'Beam search.',
        properties: {
          beam: { type: 'integer', minimum: 1, default: 1, description: 'Beam size.' },
          lengthPenalty: { type: 'number', default: 1, description: 'Length penalty.' },
          maxLength: { type: 'integer', minimum: 1, default: 100, description: 'Longest output.' },
        },
      },
    },
  },
});

export const decoderPlugin = testPlugin({
  kind: 'decoder',
  type: 'attention-decoder.v1',
  description: 'Test attention decoder.',
  options: {
    type: 'object',
    required: ['cell', 'hidden'],
    properties: {
      cell: { ...partSchema('cell'), description: 'The decoder cell.' },
      hidden: { type: 'integer', minimum: 1, description: 'Hidden size.' },
      attention: { type: 'string', enum: ['bahdanau', 'luong'], default: 'bahdanau', description: 'Attention kind.' },
    },
  },
});

const noOptions = { type: 'object', properties: {} };

export const classificationTask = testPlugin({
  kind: 'task',
  type: 'text-classification.v1',
  aliases: ['sentiment-analysis'],
  slots: ['tokenizer', 'embedding', 'encoder', 'head'],
  description: 'Test classification task.',
  options: noOptions,
});

export const generationTask = testPlugin({
  kind: 'task',
  type: 'text-generation.v1',
  slots: ['tokenizer', 'embedding', 'encoder', 'head'],
  description: 'Test generation task.',
  options: noOptions,
});

export const translationTask = testPlugin({
  kind: 'task',
  type: 'translation.v1',
  slots: ['source', 'target', 'decoder', 'head'],
  description: 'Test translation task.',
  options: noOptions,
});

export const ALL_TEST_PLUGINS: readonly PluginDefinition[] = [
  tokenizerPlugin,
  embeddingPlugin,
  cellV1,
  cellV2,
  encoderPlugin,
  onnxEncoderPlugin,
  classifierHead,
  languageModelHead,
  seq2seqHead,
  decoderPlugin,
  classificationTask,
  generationTask,
  translationTask,
];

/** A fresh registry with every test plugin. */
export function testRegistry(): PluginRegistry {
  return new PluginRegistry().register(...ALL_TEST_PLUGINS);
}

/** A minimal valid classifier spec (no files), to mutate in tests. */
export function classifierSpec(): Record<string, unknown> {
  return {
    name: 'test',
    task: 'text-classification',
    tokenizer: { type: 'tok', path: 'assets/tokenizer.json' },
    embedding: { type: 'lookup', dim: 8 },
    encoder: { type: 'recurrent', cell: { type: 'cellx' }, hidden: 16 },
    head: { type: 'classifier', labels: ['a', 'b'] },
  };
}

/** The one error of a result, asserting there is exactly one and that it has the code and pointer. */
export function expectOneError(result: ValidationResult, code: string, pointer: string): RecurError {
  const summary = result.errors.map((e) => `${e.pointer} ${e.code}: ${e.message}`).join('\n');
  assert.equal(result.ok, false, 'expected the spec to be refused');
  assert.equal(result.errors.length, 1, `expected one error, got:\n${summary}`);
  const error = result.errors[0];
  assert.equal(error.code, code, summary);
  assert.equal(error.pointer, pointer, summary);
  assert.ok(RecurError.is(error));
  return error;
}

/** Asserts that some error has the code and pointer, and returns it. */
export function expectError(result: ValidationResult, code: string, pointer: string): RecurError {
  const summary = result.errors.map((e) => `${e.pointer} ${e.code}: ${e.message}`).join('\n');
  assert.equal(result.ok, false, 'expected the spec to be refused');
  const error = result.errors.find((e) => e.code === code && e.pointer === pointer);
  assert.ok(error, `expected ${code} at "${pointer}", got:\n${summary}`);
  return error;
}

/** Object.prototype must have no enumerable keys and no test markers after a hostile input. */
export function assertPrototypeClean(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe['polluted'], undefined, 'Object.prototype was polluted');
  assert.equal(probe['x'], undefined, 'Object.prototype was polluted');
  assert.deepEqual(Object.keys(Object.prototype), []);
}

/** Validates against the test registry, as a spec living in the fixtures folder. */
export async function check(
  input: string | object,
  options: Partial<import('@recur/runtime/internal').ValidateSpecOptions> = {},
): Promise<ValidationResult> {
  const { validateSpec } = await import('@recur/runtime/internal');
  return validateSpec(input, { registry: sharedRegistry, specPath: `${FIXTURES}inline.json`, ...options });
}

const sharedRegistry = testRegistry();
