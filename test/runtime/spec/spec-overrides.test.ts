import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { RecurAggregateError, RecurError } from '@recur/runtime';
import { applyOverrides, loadSpec } from '@recur/runtime/internal';
import { assertPrototypeClean, check, classifierSpec, expectOneError, FIXTURES, testRegistry } from './test-plugins.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return RecurError.is(error) ? error.code : `not a RecurError: ${String(error)}`;
  }
  return undefined;
}

describe('spec overrides (--set)', () => {
  it('sets values parsed as JSON, and as strings when they are not JSON', () => {
    const out = applyOverrides(classifierSpec(), [
      'encoder.hidden=512',
      'head.labels=["x","y","z"]',
      'name=my-model',
      'encoder.bidirectional=true',
      'description={not json',
    ]);
    const encoder = out['encoder'] as Record<string, unknown>;
    assert.equal(encoder['hidden'], 512);
    assert.equal(encoder['bidirectional'], true);
    assert.deepEqual((out['head'] as Record<string, unknown>)['labels'], ['x', 'y', 'z']);
    assert.equal(out['name'], 'my-model');
    assert.equal(out['description'], '{not json');
  });

  it('keeps "=" inside the value and accepts an empty value', () => {
    const out = applyOverrides(classifierSpec(), ['description=a=b', 'version=']);
    assert.equal(out['description'], 'a=b');
    assert.equal(out['version'], '');
  });

  it('creates missing objects on the way and leaves the input alone', () => {
    const input = classifierSpec();
    const out = applyOverrides(input, ['train.optimizer.lr=0.01']);
    assert.deepEqual(out['train'], { optimizer: { lr: 0.01 } });
    assert.equal(input['train'], undefined);
  });

  it('takes JSON pointers and array indices', () => {
    const out = applyOverrides(classifierSpec(), ['/head/labels/1=B', 'head.labels.2=C']);
    assert.deepEqual((out['head'] as Record<string, unknown>)['labels'], ['a', 'B', 'C']);
  });

  const malformed: [string, string, string][] = [
    ['no "="', 'encoder.hidden', ''],
    ['an empty path', '=5', ''],
    ['an empty segment', 'encoder..hidden=5', '/encoder//hidden'],
    ['a path through a string', 'name.first=x', '/name'],
    ['a path through a number', 'encoder.hidden.x=1', '/encoder/hidden'],
    ['an index that is not a number', 'head.labels.first=x', '/head/labels/first'],
    ['an index past the end', 'head.labels.5=x', '/head/labels/5'],
    ['the key __proto__ in the path', '__proto__.polluted=true', '/__proto__/polluted'],
    [
      'the key constructor in the path',
      'encoder.constructor.prototype.polluted=1',
      '/encoder/constructor/prototype/polluted',
    ],
    ['a value with a __proto__ key', 'encoder={"__proto__": {"polluted": true}}', '/encoder'],
    ['a value nested too deeply', `encoder=${'['.repeat(100)}${']'.repeat(100)}`, '/encoder'],
  ];
  for (const [name, text, pointer] of malformed) {
    it(`refuses ${name} with RECUR_E_SPEC_OVERRIDE (exit code 2) at ${pointer || 'the root'}`, async () => {
      assert.equal(
        codeOf(() => applyOverrides(classifierSpec(), [text])),
        'RECUR_E_SPEC_OVERRIDE',
      );
      const error = expectOneError(
        await check(classifierSpec(), { overrides: [text] }),
        'RECUR_E_SPEC_OVERRIDE',
        pointer,
      );
      assert.equal(error.exitCode, 2);
      assertPrototypeClean();
    });
  }

  it('validates overridden values like written ones', async () => {
    expectOneError(
      await check(classifierSpec(), { overrides: ['encoder.hidden=0'] }),
      'RECUR_E_SPEC_INVALID',
      '/encoder/hidden',
    );
    expectOneError(
      await check(classifierSpec(), { overrides: ['encoder.hiden=8'] }),
      'RECUR_E_SPEC_UNKNOWN_KEY',
      '/encoder/hiden',
    );
    expectOneError(
      await check(classifierSpec(), { overrides: ['encoder.type=lstmm'] }),
      'RECUR_E_PLUGIN_UNKNOWN',
      '/encoder/type',
    );
  });

  it('applies overrides to spec text and returns the overridden, filled spec', async () => {
    const result = await check(JSON.stringify(classifierSpec()), {
      overrides: ['encoder.hidden=64', 'encoder.cell.type=cellx.v1'],
    });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.spec!.encoder, {
      type: 'recurrent.v1',
      cell: { type: 'cellx.v1', activation: 'tanh' },
      hidden: 64,
      layers: 1,
      bidirectional: false,
      dropout: 0,
    });
  });

  it('reports every malformed override at once, and loadSpec exits 2 for them', async () => {
    const overrides = ['a', 'name.x=1', 'encoder.hidden=0'];
    const result = await check(classifierSpec(), { overrides });
    assert.deepEqual(
      result.errors.map((e) => [e.code, e.pointer]),
      [
        ['RECUR_E_SPEC_OVERRIDE', ''],
        ['RECUR_E_SPEC_OVERRIDE', '/name'],
        ['RECUR_E_SPEC_INVALID', '/encoder/hidden'],
      ],
    );
    await assert.rejects(
      loadSpec(classifierSpec(), { registry: testRegistry(), specPath: join(FIXTURES, 'inline.json'), overrides }),
      (e: unknown) => {
        assert.ok(e instanceof RecurAggregateError);
        assert.equal(e.code, 'RECUR_E_SPEC_INVALID');
        assert.equal(e.exitCode, 2, 'a usage error among the problems makes the exit code 2');
        assert.equal(e.errors.length, 3);
        return true;
      },
    );
  });

  it('applyOverrides lists several malformed overrides in one error', () => {
    assert.throws(
      () => applyOverrides(classifierSpec(), ['a', 'b']),
      (e: unknown) =>
        e instanceof RecurAggregateError &&
        e.code === 'RECUR_E_SPEC_OVERRIDE' &&
        e.errors.length === 2 &&
        e.exitCode === 2,
    );
  });
});
