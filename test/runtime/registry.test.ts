import { strict as assert } from 'node:assert';
import {
  definePlugin,
  PluginRegistry,
  RecurError,
  type CellState,
  type GraphBuilder,
  type PluginDefinition,
  type Value,
} from '@recur/runtime';

const cell = (type: string, extra: Partial<Parameters<typeof definePlugin>[0]> = {}): PluginDefinition =>
  definePlugin({
    kind: 'cell',
    type,
    description: `test cell ${type}`,
    options: { type: 'object', properties: {} },
    create: () => ({ stateNames: ['h'], declare: () => ({ step: (_g: GraphBuilder, _x: Value, s: CellState) => s }) }),
    ...extra,
  });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return RecurError.is(err) ? err.code : `not a RecurError: ${String(err)}`;
  }
  return undefined;
}

describe('PluginRegistry', () => {
  it('resolves a bare name to the newest version and a versioned name to itself', () => {
    const r = new PluginRegistry().register(cell('mgu.v1'), cell('mgu.v2'));
    assert.equal(r.resolve('cell', 'mgu').type, 'mgu.v2');
    assert.equal(r.resolve('cell', 'mgu.v1').type, 'mgu.v1');
    assert.deepEqual(r.names('cell'), ['mgu', 'mgu.v1', 'mgu.v2']);
  });

  it('refuses a duplicate versioned type with its own code', () => {
    const r = new PluginRegistry().register(cell('mgu.v1'));
    assert.equal(
      codeOf(() => r.register(cell('mgu.v1'))),
      'RECUR_E_PLUGIN_DUPLICATE',
    );
  });

  it('refuses a plugin built for another runtime version', () => {
    assert.equal(
      codeOf(() => new PluginRegistry().register(cell('old.v1', { runtime: '^2.0' }))),
      'RECUR_E_PLUGIN_VERSION',
    );
    assert.equal(
      codeOf(() => new PluginRegistry().register(cell('ok.v1', { runtime: '^0.1' }))),
      undefined,
    );
  });

  it('rejects malformed declarations at definePlugin', () => {
    assert.equal(
      codeOf(() => cell('NoVersion')),
      'RECUR_E_PLUGIN_INVALID',
    );
    assert.equal(
      codeOf(() => cell('x.v0')),
      'RECUR_E_PLUGIN_INVALID',
    );
    assert.equal(
      codeOf(() =>
        definePlugin({
          kind: 'gadget' as 'cell',
          type: 'x.v1',
          description: 'd',
          options: { type: 'object' },
          create: () => ({}) as never,
        }),
      ),
      'RECUR_E_PLUGIN_INVALID',
    );
    assert.equal(
      codeOf(() => cell('x.v1', { options: { type: 'string' } })),
      'RECUR_E_PLUGIN_INVALID',
    );
  });

  it('suggests the nearest registered names for an unknown type', () => {
    const r = new PluginRegistry().register(cell('lstm.v1'), cell('gru.v1'));
    try {
      r.resolve('cell', 'lsmt', '/encoder/cell/type');
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(RecurError.is(err));
      assert.equal(err.code, 'RECUR_E_PLUGIN_UNKNOWN');
      assert.equal(err.pointer, '/encoder/cell/type');
      assert.deepEqual(err.details.suggestions, ['lstm']);
      assert.match(err.message, /Did you mean "lstm"/);
    }
  });

  it('scopes a child registry: its plugins are invisible to the parent', () => {
    const root = new PluginRegistry().register(cell('lstm.v1'));
    const child = root.child().register(cell('mgu.v1'));
    assert.equal(child.resolve('cell', 'lstm').type, 'lstm.v1');
    assert.equal(child.resolve('cell', 'mgu').type, 'mgu.v1');
    assert.equal(root.find('cell', 'mgu'), undefined);
    assert.equal(
      codeOf(() => child.register(cell('lstm.v1'))),
      'RECUR_E_PLUGIN_DUPLICATE',
    );
  });
});
