import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecurError } from '@recur/runtime';
import { validateSpecFile } from '@recur/runtime/internal';
import {
  assertPrototypeClean,
  check,
  classifierSpec,
  expectError,
  expectOneError,
  FIXTURES,
  testRegistry,
} from './test-plugins.js';

/** Valid spec text with `replace` spliced in for the encoder block. */
function withEncoder(encoderText: string): string {
  return `{"name": "t", "task": "text-classification", "tokenizer": {"type": "tok", "path": "assets/tokenizer.json"},
  "embedding": {"type": "lookup", "dim": 8}, "head": {"type": "classifier", "labels": ["a", "b"]},
  "encoder": ${encoderText}}`;
}

describe('spec parsing: syntax errors', () => {
  const cases: [name: string, text: string, pointer: string, line: number][] = [
    ['a missing comma', withEncoder('{"type": "recurrent" "hidden": 8}'), '/encoder/type', 3],
    ['a trailing comma in an object', withEncoder('{"type": "recurrent", }'), '/encoder', 3],
    ['a trailing comma in an array', '{"name": "t", "x": [1, 2, ]}', '/x/2', 1],
    ['a single-quoted string', "{'name': 't'}", '', 1],
    ['an unquoted key', '{name: "t"}', '', 1],
    ['a comment', '{"name": "t" // no comments in JSON\n}', '/name', 1],
    ['an unterminated string', '{"name": "t', '/name', 1],
    ['a missing closing brace', '{"name": "t", "encoder": {"type": "x"}\n', '/encoder', 2],
    ['a stray closing bracket', '{"name": "t"]', '/name', 1],
    ['a raw newline inside a string', '{"name": "a\nb"}', '/name', 1],
    ['an invalid escape', '{"name": "a\\qb"}', '/name', 1],
    ['a short unicode escape', '{"name": "\\u12"}', '/name', 1],
    ['a leading zero', '{"n": 012}', '/n', 1],
    ['a bare decimal point', '{"n": 1.}', '/n', 1],
    ['NaN', '{"n": NaN}', '/n', 1],
    ['content after the object', '{"name": "t"} {"name": "u"}', '', 1],
    ['a missing colon', '{"name" "t"}', '/name', 1],
  ];
  for (const [name, text, pointer, line] of cases) {
    it(`refuses ${name} with RECUR_E_SPEC_PARSE, a line, a column and a pointer`, async () => {
      const error = expectOneError(await check(text), 'RECUR_E_SPEC_PARSE', pointer);
      assert.equal(error.details['line'], line);
      assert.equal(typeof error.details['column'], 'number');
      assert.match(error.message, new RegExp(`line ${line}, column \\d+`));
    });
  }

  it('names an invisible character by its code point', async () => {
    const error = expectOneError(await check('{"name":\u00a0"t"}'), 'RECUR_E_SPEC_PARSE', '/name');
    assert.match(error.message, /invisible character U\+00A0/);
  });

  it('gives the exact column of the problem', async () => {
    const error = expectOneError(await check('{"a": 1,\n  "b": tru }'), 'RECUR_E_SPEC_PARSE', '/b');
    assert.equal(error.details['line'], 2);
    assert.equal(error.details['column'], 8);
  });

  for (const [name, text] of [
    ['an empty text', ''],
    ['whitespace only', ' \n\t\r\n'],
  ] as const) {
    it(`refuses ${name} as RECUR_E_SPEC_PARSE at the root`, async () => {
      const error = expectOneError(await check(text), 'RECUR_E_SPEC_PARSE', '');
      assert.match(error.message, /empty/);
    });
  }

  it('accepts a byte-order mark before the JSON', async () => {
    const result = await check(`\uFEFF${JSON.stringify(classifierSpec())}`);
    assert.deepEqual(result.errors, []);
  });
});

describe('spec parsing: wrong top-level types', () => {
  const cases: [string, string, RegExp][] = [
    ['an array', '["name", "task"]', /an array/],
    ['a string', '"a spec"', /a string/],
    ['null', 'null', /null/],
    ['a number', '42', /an integer/],
    ['a boolean', 'true', /a boolean/],
  ];
  for (const [name, text, words] of cases) {
    it(`refuses ${name} given as text with RECUR_E_SPEC_INVALID at ""`, async () => {
      const error = expectOneError(await check(text), 'RECUR_E_SPEC_INVALID', '');
      assert.match(error.message, words);
    });
  }
  for (const [name, value] of [
    ['an array', []],
    ['null', null],
    ['a number', 3],
  ] as const) {
    it(`refuses ${name} given as a value with RECUR_E_SPEC_INVALID at ""`, async () => {
      expectOneError(await check(value as unknown as object), 'RECUR_E_SPEC_INVALID', '');
    });
  }
});

describe('spec parsing: size and depth limits', () => {
  it('refuses a 5,000-deep array nesting without overflowing the stack', async () => {
    const error = expectOneError(
      await check('['.repeat(5000) + ']'.repeat(5000)),
      'RECUR_E_SPEC_TOO_LARGE',
      '/0'.repeat(64),
    );
    assert.match(error.message, /deeper than 64/);
  });

  it('refuses a 5,000-deep object nesting inside a spec, pointing where it passes the limit', async () => {
    const deep = '{"a": '.repeat(5000) + '1' + '}'.repeat(5000);
    const result = await check(withEncoder(deep));
    expectOneError(result, 'RECUR_E_SPEC_TOO_LARGE', `/encoder${'/a'.repeat(63)}`);
  });

  it('refuses a 5,000-deep nesting given as an object (iterative walk)', async () => {
    let value: unknown = 1;
    for (let i = 0; i < 5000; i++) value = { a: value };
    expectOneError(await check(value as object), 'RECUR_E_SPEC_TOO_LARGE', '/a'.repeat(64));
  });

  it('refuses a cycle in an object input as too deep', async () => {
    const spec = classifierSpec();
    (spec['encoder'] as Record<string, unknown>)['self'] = spec;
    const result = await check(spec);
    assert.equal(result.ok, false);
    assert.equal(result.errors[0].code, 'RECUR_E_SPEC_TOO_LARGE');
  });

  it('refuses a multi-megabyte spec by its byte size before parsing', async () => {
    const text = JSON.stringify({ ...classifierSpec(), description: 'x'.repeat(3 * 1024 * 1024) });
    const error = expectOneError(await check(text), 'RECUR_E_SPEC_TOO_LARGE', '');
    assert.match(error.message, /1048576 bytes/);
  });

  it('refuses a multi-megabyte string by its length, pointing at it, when the byte cap allows the file', async () => {
    const text = JSON.stringify({ ...classifierSpec(), description: 'x'.repeat(3 * 1024 * 1024) });
    const result = await check(text, { limits: { maxBytes: 16 * 1024 * 1024 } });
    expectOneError(result, 'RECUR_E_SPEC_TOO_LARGE', '/description');
  });

  it('refuses a multi-megabyte string in an object input, pointing at it', async () => {
    const spec = { ...classifierSpec(), head: { type: 'classifier', labels: ['a', 'b'.repeat(2 * 1024 * 1024)] } };
    expectOneError(
      await check(spec, { limits: { maxBytes: 16 * 1024 * 1024 } }),
      'RECUR_E_SPEC_TOO_LARGE',
      '/head/labels/1',
    );
  });

  it('refuses an object input holding a sparse array with a huge length, without allocating it', async () => {
    const plugins: string[] = [];
    plugins.length = 2 ** 31;
    expectOneError(await check({ ...classifierSpec(), plugins }), 'RECUR_E_SPEC_TOO_LARGE', '/plugins');
  });

  it('refuses an object input that shares sub-objects until it is huge when written out', async () => {
    let node: unknown = 'x'.repeat(1000);
    for (let i = 0; i < 40; i++) node = [node, node];
    expectOneError(await check({ ...classifierSpec(), description: node }), 'RECUR_E_SPEC_TOO_LARGE', '');
  });

  it('refuses a key longer than the string cap', async () => {
    const result = await check(`{"${'k'.repeat(70000)}": 1}`);
    expectOneError(result, 'RECUR_E_SPEC_TOO_LARGE', `/${'k'.repeat(63)}`);
  });

  it('refuses more keys than the key cap', async () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const result = await check({ ...classifierSpec(), train: many }, { limits: { maxKeys: 40 } });
    assert.equal(result.errors[0].code, 'RECUR_E_SPEC_TOO_LARGE');
    assert.equal(result.errors.length, 1);
  });

  it('refuses a spec file over the byte cap before reading it whole', async () => {
    const result = await validateSpecFile(join(FIXTURES, 'classifier.json'), {
      registry: testRegistry(),
      limits: { maxBytes: 100 },
    });
    expectOneError(result, 'RECUR_E_SPEC_TOO_LARGE', '');
  });

  it('refuses a spec file with invalid UTF-8, naming its line, instead of replacing the bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recur-spec-utf8-'));
    try {
      const text = JSON.stringify(classifierSpec(), null, 2).split('\n');
      const file = join(dir, 'spec.json');
      // Latin-1 "é" (one byte 0xE9) inside the third line's string: not UTF-8.
      const bytes = Buffer.concat([
        Buffer.from(text.slice(0, 2).join('\n') + '\n'),
        Buffer.from(text[2].replace('"', '"caf\u0000'), 'latin1').map((b) => (b === 0 ? 0xe9 : b)),
        Buffer.from('\n' + text.slice(3).join('\n')),
      ]);
      await writeFile(file, bytes);
      const error = expectOneError(
        await validateSpecFile(file, { registry: testRegistry() }),
        'RECUR_E_SPEC_PARSE',
        '',
      );
      assert.match(error.message, /line 3 is not valid UTF-8/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a number too large for a double', async () => {
    expectOneError(
      await check(`{"name": "t", "task": "text-classification", "version": 1e400}`),
      'RECUR_E_SPEC_INVALID',
      '/version',
    );
  });
});

describe('spec parsing: forbidden and duplicate keys', () => {
  const texts: [string, string, string][] = [
    ['__proto__ at the top', '{"name": "t", "task": "translation", "__proto__": {"polluted": true}}', '/__proto__'],
    [
      'constructor in a part',
      withEncoder('{"type": "recurrent", "constructor": {"prototype": {"polluted": 1}}}'),
      '/encoder/constructor',
    ],
    ['prototype in an array item', '{"name": "t", "plugins": [{"prototype": 1}]}', '/plugins/0/prototype'],
    [
      '__proto__ written with a unicode escape',
      '{"name": "t", "head": {"__pro\\u0074o__": {"polluted": 1}}}',
      '/head/__proto__',
    ],
  ];
  for (const [name, text, pointer] of texts) {
    it(`refuses ${name} with RECUR_E_SPEC_FORBIDDEN_KEY and leaves Object.prototype clean`, async () => {
      const result = await check(text);
      const forbidden = result.errors.filter((e) => e.code === 'RECUR_E_SPEC_FORBIDDEN_KEY');
      assert.ok(forbidden.length >= 1, result.errors.map((e) => e.message).join('\n'));
      assert.equal(forbidden[0].pointer, pointer);
      assert.equal(
        JSON.stringify(result.spec ?? {}).includes('polluted'),
        false,
        'reserved keys are dropped from the value',
      );
      assertPrototypeClean();
    });
  }

  it('refuses an own __proto__ property of an object input (as JSON.parse makes it)', async () => {
    const spec = JSON.parse(
      '{"name": "t", "task": "translation", "encoder": {"__proto__": {"polluted": true}}}',
    ) as object;
    expectError(await check(spec), 'RECUR_E_SPEC_FORBIDDEN_KEY', '/encoder/__proto__');
    assertPrototypeClean();
  });

  it('refuses a spec file with a __proto__ key', async () => {
    const result = await validateSpecFile(join(FIXTURES, 'invalid/proto-key.json'), { registry: testRegistry() });
    expectError(result, 'RECUR_E_SPEC_FORBIDDEN_KEY', '/__proto__');
    assertPrototypeClean();
  });

  it('refuses a key written twice in one object', async () => {
    const result = await check(
      JSON.stringify(classifierSpec()).replace('"name":"test"', '"name":"test","name":"again"'),
    );
    expectOneError(result, 'RECUR_E_SPEC_DUPLICATE_KEY', '/name');
  });

  it('reports reserved keys together with every other problem of the spec', async () => {
    const text =
      '{"name": "t", "task": "text-classification", "__proto__": {"x": 1}, "encoder": {"type": "lstmm", "constructor": 1}, "nmae": 1}';
    const result = await check(text);
    assert.deepEqual(
      result.errors.map((e) => [e.pointer, e.code]),
      [
        ['/__proto__', 'RECUR_E_SPEC_FORBIDDEN_KEY'],
        ['/encoder/constructor', 'RECUR_E_SPEC_FORBIDDEN_KEY'],
        ['/embedding', 'RECUR_E_SPEC_INVALID'],
        ['/encoder/type', 'RECUR_E_PLUGIN_UNKNOWN'],
        ['/head', 'RECUR_E_SPEC_INVALID'],
        ['/nmae', 'RECUR_E_SPEC_UNKNOWN_KEY'],
        ['/tokenizer', 'RECUR_E_SPEC_INVALID'],
      ],
    );
    assertPrototypeClean();
  });
});

describe('spec parsing: values that JSON cannot hold', () => {
  const cases: [string, unknown, string][] = [
    ['undefined', undefined, '/description'],
    ['a function', () => 1, '/description'],
    ['NaN', Number.NaN, '/version'],
    ['Infinity', Number.POSITIVE_INFINITY, '/version'],
    ['a Date', new Date(0), '/description'],
    ['a bigint', 10n, '/version'],
  ];
  for (const [name, value, pointer] of cases) {
    it(`refuses ${name} in an object input at its pointer`, async () => {
      const key = pointer.slice(1);
      expectOneError(await check({ ...classifierSpec(), [key]: value }), 'RECUR_E_SPEC_INVALID', pointer);
    });
  }
});

describe('spec files', () => {
  const registry = testRegistry();
  const cases: [file: string, code: string][] = [
    ['invalid/missing-comma.json', 'RECUR_E_SPEC_PARSE'],
    ['invalid/empty.json', 'RECUR_E_SPEC_PARSE'],
    ['invalid/whitespace.json', 'RECUR_E_SPEC_PARSE'],
    ['invalid/not-utf8.json', 'RECUR_E_SPEC_PARSE'],
    ['invalid/top-level-array.json', 'RECUR_E_SPEC_INVALID'],
    ['invalid/top-level-string.json', 'RECUR_E_SPEC_INVALID'],
    ['invalid/top-level-null.json', 'RECUR_E_SPEC_INVALID'],
    ['does-not-exist.json', 'RECUR_E_PATH_NOT_FOUND'],
  ];
  for (const [file, code] of cases) {
    it(`reports ${file} as ${code}`, async () => {
      const result = await validateSpecFile(join(FIXTURES, file), { registry });
      assert.equal(result.ok, false);
      assert.equal(result.errors[0].code, code, result.errors.map((e) => e.message).join('\n'));
      assert.equal(typeof result.errors[0].pointer, 'string');
      assert.ok(RecurError.is(result.errors[0]));
    });
  }

  it('points at the line of a syntax error in a file', async () => {
    const result = await validateSpecFile(join(FIXTURES, 'invalid/missing-comma.json'), { registry });
    const error = expectOneError(result, 'RECUR_E_SPEC_PARSE', '/embedding/type');
    assert.equal(error.details['line'], 4);
  });
});
