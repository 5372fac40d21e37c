import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';

// The documented API of @recur/runtime. Changing the root entry is a deliberate edit of these lists (and
// of docs/reference/api, `npm run docs`); what only Recur's own packages and tests need goes to
// `@recur/runtime/internal` instead.
const VALUES = [
  'DEFAULT_OPSET',
  'FloatAttr',
  'FloatsAttr',
  'GraphBuilder',
  'OrtBackend',
  'PluginRegistry',
  'RUNTIME_VERSION',
  'RecurAggregateError',
  'RecurError',
  'RuntimeErrors',
  'TOKENS',
  'consoleLogger',
  'defineErrors',
  'definePlugin',
  'float',
  'floats',
  'load',
  'memoryLogger',
  'nodeFileHost',
  'readSafetensors',
  'tensor',
  'writeSafetensors',
];
const TYPES = [
  'AnyPluginDefinition',
  'AttrValue',
  'Backend',
  'CellPart',
  'CellState',
  'CellStep',
  'ComputeUnit',
  'DType',
  'Dim',
  'EmbeddingPart',
  'EncoderBuildOptions',
  'EncoderOutputs',
  'EncoderPart',
  'ErrorDefinition',
  'ErrorFactory',
  'ErrorTable',
  'FileHost',
  'FileReadOptions',
  'FileStatus',
  'HeadPart',
  'Initializer',
  'JsonSchema',
  'LoadOptions',
  'Logger',
  'ModelOptions',
  'NativeCell',
  'NodeRecord',
  'OrtBackendOptions',
  'ParamDecl',
  'PartBlock',
  'PartContext',
  'PartKind',
  'PartOfKind',
  'Pipeline',
  'PluginDeclaration',
  'PluginDefinition',
  'RecurErrorDetails',
  'RunFunction',
  'RunOptions',
  'ServiceOptions',
  'Session',
  'SessionOptions',
  'TaskBatchEntry',
  'TaskContext',
  'TaskInput',
  'TaskName',
  'TaskOptions',
  'TaskPart',
  'TaskResult',
  'TaskRunner',
  'TaskSignature',
  'TaskTypes',
  'TensorData',
  'TensorExtent',
  'TensorInfo',
  'TensorMap',
  'TokenizerPart',
  'TrainingHooks',
  'TypedArray',
  'TypedRun',
  'UpstreamDims',
  'Value',
  'WeightStore',
];

/** The names the API reference documents under one entry's heading (`## \`@recur/runtime\``). */
async function documentedNames(entry: string): Promise<string[]> {
  const page = await readFile('docs/reference/api/runtime.md', 'utf8');
  const start = page.indexOf(`\n## \`${entry}\``);
  assert.ok(start >= 0, `docs/reference/api/runtime.md has no section for ${entry}`);
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^#### `([^`]+)`$/gm)].map((m) => m[1]).sort();
}

describe('@recur/runtime public surface', () => {
  it('the root entry exports exactly the committed values', async () => {
    const root = await import('@recur/runtime');
    assert.deepEqual(Object.keys(root).sort(), VALUES);
  });

  it('the API reference documents exactly the committed values and types under the root entry, all stable', async () => {
    assert.deepEqual(await documentedNames('@recur/runtime'), [...VALUES, ...TYPES].sort());
    const page = await readFile('docs/reference/api/runtime.md', 'utf8');
    const root = page.slice(page.indexOf('\n## `@recur/runtime`'), page.indexOf('\n## `@recur/runtime/internal`'));
    assert.doesNotMatch(root, /\*\*internal\*\*/);
  });

  it('no root name is exported by the internal entry too', async () => {
    const internal = await import('@recur/runtime/internal');
    assert.deepEqual(
      VALUES.filter((name) => name in internal),
      [],
    );
  });
});
