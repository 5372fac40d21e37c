import { pluginHeader, type PluginNames } from './common.js';

/** A character tokenizer over a fixed alphabet and a test of its round trip and robustness. */
export function tokenizerFiles(n: PluginNames): Record<string, string> {
  return {
    'index.js': `${pluginHeader(n, {
      kind: 'tokenizer',
      preamble: `const PAD = 0, UNK = 1;`,
      description: 'One id per character of a fixed alphabet; anything else is unknown.',
      doc: [
        `${n.base}.v1: one id per character of \`alphabet\` (id 0 padding, id 1 unknown). A tokenizer must`,
        `never throw on any string: characters outside the alphabet become the unknown id.`,
      ],
    })}  options: {
    type: 'object',
    properties: { alphabet: { type: 'string', minLength: 1, maxLength: 100000, description: 'The characters the vocabulary holds, in id order from 2.' } },
    required: ['alphabet'],
    additionalProperties: false,
  },
  create(options) {
    const chars = [...new Set(Array.from(options.alphabet))];
    const ids = new Map(chars.map((c, i) => [c, i + 2]));
    return {
      vocabSize: chars.length + 2,
      special: { pad: PAD, unk: UNK },
      encode: (text) => Array.from(text, (c) => ids.get(c) ?? UNK),
      decode: (list, options = {}) => list.map((id) => (id >= 2 && id < chars.length + 2 ? chars[id - 2] : options.skipSpecialTokens ? '' : id === PAD ? '[PAD]' : '[UNK]')).join(''),
      tokenToId: (token) => (token === '[PAD]' ? PAD : token === '[UNK]' ? UNK : ids.get(token)),
    };
  },
});

export default tokenizer;
`,
    'test/tokenizer.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PluginRegistry } from '@recur/runtime';
import { createPart } from '@recur/train';
import tokenizer from '../index.js';

const registry = new PluginRegistry().register(tokenizer);
const part = () => createPart(registry, 'tokenizer', { type: '${n.base}', alphabet: 'abc ' });

test('encodes each character to its id and decodes back', async () => {
  const tok = await part();
  assert.equal(tok.vocabSize, 6);
  assert.deepEqual(tok.encode('ab c'), [2, 3, 5, 4]);
  assert.equal(tok.decode(tok.encode('ab c')), 'ab c');
});

test('never throws: unknown characters, lone surrogates and empty text', async () => {
  const tok = await part();
  for (const text of ['', 'xyz', '\\uD800', 'a\\u0000b', '😀']) {
    const ids = tok.encode(text);
    assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize), text);
    assert.equal(typeof tok.decode(ids, { skipSpecialTokens: true }), 'string');
  }
});
`,
  };
}
