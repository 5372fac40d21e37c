/**
 * Generated rejection cases (fast-check): whatever the input, validation answers with coded errors
 * that carry a pointer, never with an exception, and the problems it is given on purpose are found
 * where they were put.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RecurError } from '@recur/runtime';
import { applyOverrides, type ValidationResult } from '@recur/runtime/internal';
import { assertPrototypeClean, check, classifierSpec, expectOneError } from './test-plugins.js';

const RUNS = { numRuns: 100 };

/** True when a key JavaScript treats specially appears anywhere in the value (fast-check makes them). */
function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).some(
    (k) =>
      ['__proto__', 'constructor', 'prototype'].includes(k) || hasForbiddenKey((value as Record<string, unknown>)[k]),
  );
}

/** JSON values without forbidden keys, for properties about other problems. */
const plainJson = (): fc.Arbitrary<unknown> => fc.jsonValue().filter((v) => !hasForbiddenKey(v));

function assertWellFormed(result: ValidationResult): void {
  assert.equal(typeof result.ok, 'boolean');
  assert.equal(result.ok, result.errors.length === 0);
  for (const error of [...result.errors, ...result.warnings]) {
    assert.ok(RecurError.is(error), `not a RecurError: ${String(error)}`);
    assert.match(error.code, /^RECUR_E_[A-Z_]+$/);
    assert.notEqual(error.code, 'RECUR_E_INTERNAL', error.message);
    assert.equal(typeof error.pointer, 'string', `${error.code} has no pointer`);
    assert.ok(error.pointer === '' || error.pointer!.startsWith('/'), `not a JSON pointer: ${error.pointer}`);
    assert.equal(typeof error.message, 'string');
  }
}

/** Pointers of every object in a JSON value (the places a key can be added). */
function objectPointers(value: unknown, pointer = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPointers(v, `${pointer}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return [
    pointer,
    ...Object.entries(value).flatMap(([k, v]) =>
      objectPointers(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
    ),
  ];
}

function at(root: unknown, pointer: string): Record<string, unknown> {
  let node = root as Record<string, unknown>;
  for (const segment of pointer.split('/').slice(1)) node = node[segment] as Record<string, unknown>;
  return node;
}

describe('spec validation: properties (fast-check)', () => {
  it('answers any JSON value with coded errors, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        assertWellFormed(await check(value as object));
      }),
      RUNS,
    );
  });

  it('answers any JSON text of any value the same way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        assertWellFormed(await check(JSON.stringify(value) ?? 'null'));
      }),
      RUNS,
    );
  });

  it('answers any text, however broken, with coded errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        assertWellFormed(await check(text));
      }),
      RUNS,
    );
  });

  it('answers a valid spec text with one random edit (a character inserted or deleted)', async () => {
    const text = JSON.stringify(classifierSpec(), null, 1);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: text.length - 1 }),
        fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })),
        async (position, insert) => {
          const edited =
            insert === null
              ? text.slice(0, position) + text.slice(position + 1)
              : text.slice(0, position) + insert + text.slice(position);
          const result = await check(edited);
          assertWellFormed(result);
          for (const e of result.errors.filter((x) => x.code === 'RECUR_E_SPEC_PARSE')) {
            assert.equal(typeof e.details['line'], 'number');
            assert.equal(typeof e.details['column'], 'number');
          }
        },
      ),
      RUNS,
    );
  });

  it('answers specs whose parts hold random values', async () => {
    const keys = ['tokenizer', 'embedding', 'encoder', 'head', 'runtime', 'train', 'name', 'task', 'weights'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.jsonValue(), async (key, value) => {
        const result = await check({ ...classifierSpec(), [key]: value });
        assertWellFormed(result);
      }),
      RUNS,
    );
  });

  it('finds an unknown key wherever it is added, with its pointer', async () => {
    const spec = classifierSpec();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...objectPointers(spec)),
        fc.stringMatching(/^[a-z]{1,12}$/),
        plainJson(),
        async (where, suffix, value) => {
          const copy = structuredClone(spec);
          at(copy, where)[`zz${suffix}`] = value;
          const error = expectOneError(await check(copy), 'RECUR_E_SPEC_UNKNOWN_KEY', `${where}/zz${suffix}`);
          assert.ok(String(error.details.expected).startsWith('one of the keys'));
        },
      ),
      RUNS,
    );
  });

  it('finds a forbidden key wherever it is added, in text and in objects, and never pollutes', async () => {
    const spec = classifierSpec();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...objectPointers(spec)),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        fc.boolean(),
        async (where, key, asText) => {
          const copy = structuredClone(spec);
          Object.defineProperty(at(copy, where), key, {
            value: { polluted: true, x: 1 },
            enumerable: true,
            configurable: true,
            writable: true,
          });
          const result = await check(asText ? JSON.stringify(copy) : copy);
          expectOneError(result, 'RECUR_E_SPEC_FORBIDDEN_KEY', `${where}/${key}`);
          assertPrototypeClean();
        },
      ),
      RUNS,
    );
  });

  it('refuses any nesting past the depth limit, at any depth up to thousands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 65, max: 6000 }), fc.boolean(), async (depth, arrays) => {
        const text = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '0' + '}'.repeat(depth);
        const result = await check(text);
        const error = expectOneError(result, 'RECUR_E_SPEC_TOO_LARGE', (arrays ? '/0' : '/a').repeat(64));
        assert.match(error.message, /deeper than 64/);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses any out-of-range size with a pointer and the range in words', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 8193 })), async (hidden) => {
        const spec = { ...classifierSpec(), encoder: { type: 'recurrent', cell: { type: 'cellx' }, hidden } };
        const error = expectOneError(await check(spec), 'RECUR_E_SPEC_INVALID', '/encoder/hidden');
        assert.equal(error.details.expected, 'integer >= 1 and <= 8192');
      }),
      RUNS,
    );
  });

  it('refuses any value of the wrong type for an integer option', async () => {
    const notAnInteger = plainJson().filter((v) => !Number.isInteger(v));
    await fc.assert(
      fc.asyncProperty(notAnInteger, async (dim) => {
        expectOneError(
          await check({ ...classifierSpec(), embedding: { type: 'lookup', dim } }),
          'RECUR_E_SPEC_INVALID',
          '/embedding/dim',
        );
      }),
      RUNS,
    );
  });

  it('refuses any unregistered type name with RECUR_E_PLUGIN_UNKNOWN at the block', async () => {
    const registered = new Set(['recurrent', 'recurrent.v1', 'onnx-file', 'onnx-file.v1']);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 30 }).filter((s) => !registered.has(s)),
        async (type) => {
          const error = expectOneError(
            await check({ ...classifierSpec(), encoder: { type, hidden: 4 } }),
            'RECUR_E_PLUGIN_UNKNOWN',
            '/encoder/type',
          );
          assert.ok(Array.isArray(error.details.suggestions));
        },
      ),
      RUNS,
    );
  });

  it('answers any override text with a coded result, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }), async (overrides) => {
        assertWellFormed(await check(classifierSpec(), { overrides }));
        try {
          applyOverrides(classifierSpec(), overrides);
        } catch (error) {
          assert.ok(RecurError.is(error), `applyOverrides threw ${String(error)}`);
          assert.equal(error.exitCode, 2);
        }
        assertPrototypeClean();
      }),
      RUNS,
    );
  });
});
