import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  composeContext,
  PluginRegistry,
  RecurError,
  memoryLogger,
  type PartContext,
  type TokenizerPart,
} from '@recur/runtime';
import { builtinTokenizers, tokenizerJson } from '@recur/tokenizers';
import { fixturePath } from './fixtures.js';

/** The tokenizer's context in a composed pipeline whose validation resolved `tok/tokenizer.json` to `file`. */
function contextFor(file: string, logger = memoryLogger()): PartContext {
  return composeContext({
    registry: new PluginRegistry(),
    specDir: '/specs',
    files: [{ pointer: '/tokenizer/path', path: file, exists: true }],
    logger,
  }).forPart('/tokenizer', {});
}

async function rejectsWith(promise: Promise<unknown>, code: string, fragment: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(RecurError.is(err), `expected ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.ok(err.message.includes(fragment), err.message);
}

describe('tokenizer.json plugin', () => {
  it('is declared as the versioned tokenizer type with a described option schema', () => {
    assert.equal(tokenizerJson.kind, 'tokenizer');
    assert.equal(tokenizerJson.type, 'tokenizer.json.v1');
    assert.equal(tokenizerJson.baseName, 'tokenizer.json');
    assert.deepEqual(tokenizerJson.pathOptions, ['path']);
    const schema = tokenizerJson.options as {
      properties: Record<string, { description?: string }>;
      required: string[];
      additionalProperties: boolean;
    };
    assert.deepEqual(schema.required, ['path']);
    assert.equal(schema.additionalProperties, false);
    for (const [key, prop] of Object.entries(schema.properties))
      assert.ok(prop.description, `${key} needs a description`);
    assert.deepEqual(builtinTokenizers, [tokenizerJson]);
  });

  it('registers, resolves by its bare name, and creates a tokenizer from the path option', async () => {
    const registry = new PluginRegistry().register(...builtinTokenizers);
    assert.equal(registry.resolve('tokenizer', 'tokenizer.json').type, 'tokenizer.json.v1');
    const part = await tokenizerJson.create({ path: 'tok/tokenizer.json' }, contextFor(fixturePath('gpt2')));
    assert.deepEqual(part.encode('Hello world!'), [15496, 995, 0]);
  });

  it('applies maxLength keeping the special tokens, and addSpecialTokens: false', async () => {
    const ctx = contextFor(fixturePath('bert-base-uncased'));
    const cut = await tokenizerJson.create({ path: 'tok/tokenizer.json', maxLength: 5 }, ctx);
    assert.deepEqual(cut.encode('The quick brown fox jumps over the lazy dog.'), [101, 1996, 4248, 2829, 102]);
    assert.deepEqual(cut.encode('Hello'), [101, 7592, 102]);
    const bare = await tokenizerJson.create({ path: 'tok/tokenizer.json', addSpecialTokens: false }, ctx);
    assert.deepEqual(bare.encode('Hello world!'), [7592, 2088, 999]);
    const bareCut = await tokenizerJson.create(
      { path: 'tok/tokenizer.json', addSpecialTokens: false, maxLength: 2 },
      ctx,
    );
    assert.deepEqual(bareCut.encode('Hello world!'), [7592, 2088]);
  });

  describe('files it cannot load', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'recur-tok-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const load = (file: string) =>
      tokenizerJson.create({ path: 'tok/tokenizer.json' }, contextFor(file)) as Promise<TokenizerPart>;
    const write = (name: string, content: string) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    };

    it('a missing file is RECUR_E_IO naming it', async () => {
      await rejectsWith(load(join(dir, 'absent.json')), 'RECUR_E_IO', 'absent.json');
    });

    it('text that is not JSON, or JSON that is not an object, is RECUR_E_TOKENIZER_INVALID', async () => {
      await rejectsWith(load(write('text.json', 'vocab: [')), 'RECUR_E_TOKENIZER_INVALID', 'not JSON');
      await rejectsWith(load(write('array.json', '[1, 2]')), 'RECUR_E_TOKENIZER_INVALID', 'must hold a JSON object');
    });

    it("a file the library rejects is RECUR_E_TOKENIZER_INVALID with the library's reason", async () => {
      const unknownModel = {
        added_tokens: [],
        normalizer: null,
        pre_tokenizer: null,
        post_processor: null,
        decoder: null,
        model: { type: 'Quantum' },
      };
      await rejectsWith(
        load(write('quantum.json', JSON.stringify(unknownModel))),
        'RECUR_E_TOKENIZER_INVALID',
        'Unknown TokenizerModel type: Quantum',
      );
      await rejectsWith(
        load(write('added.json', JSON.stringify({ ...unknownModel, added_tokens: 3 }))),
        'RECUR_E_TOKENIZER_INVALID',
        '"added_tokens" must be an array',
      );
      await rejectsWith(load(write('empty.json', '{}')), 'RECUR_E_TOKENIZER_INVALID', 'empty.json');
    });
  });
});
