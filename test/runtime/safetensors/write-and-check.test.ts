import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors, RUNTIME_VERSION, type TensorData, type WeightStore } from '@recur/runtime';
import {
  checkProvenance,
  checkWeights,
  modelHash,
  floatToHalf,
  parseSafetensors,
  provenanceMetadata,
  serializeSafetensors,
  specHash,
  tokenizerHash,
} from '@recur/runtime/internal';
import { rejectsWithCode, throwsWithCode } from '../../helpers/coded-error.js';

const W: TensorData = { dtype: 'float32', dims: [1, 4, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
const store = (
  tensors: Record<string, TensorData>,
  metadata: Record<string, string> = {},
  source = 'w.safetensors',
): WeightStore => parseSafetensors(serializeSafetensors(tensors, metadata), source);

describe('safetensors: files on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recur-st-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a file that reads back, leaving no temporary file', async () => {
    const path = join(dir, 'weights.safetensors');
    await writeSafetensors(path, { w: W }, { a: 'b' });
    assert.deepEqual(readdirSync(dir), ['weights.safetensors']);
    const back = await readSafetensors(path);
    assert.deepEqual(Array.from(back.get('w')!.data as Float32Array), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(back.metadata['a'], 'b');
    assert.equal(back.source, path);
  });

  it('replaces an existing file whole, and leaves it untouched when the write fails', async () => {
    const path = join(dir, 'weights.safetensors');
    writeFileSync(path, 'old');
    await rejectsWithCode(
      writeSafetensors(path, { w: { dtype: 'float32', dims: [9], data: new Float32Array(1) } }),
      'RECUR_E_WEIGHTS_INVALID',
    );
    assert.equal(readFileSync(path, 'utf8'), 'old');
    await writeSafetensors(path, { w: W });
    assert.equal((await readSafetensors(path)).names()[0], 'w');
  });

  it('reports an unwritable target as RECUR_E_IO and cleans up its temporary file', async () => {
    const target = join(dir, 'is-a-folder');
    mkdirSync(join(target, 'inside'), { recursive: true });
    await rejectsWithCode(writeSafetensors(target, { w: W }), 'RECUR_E_IO', target);
    assert.deepEqual(readdirSync(dir), ['is-a-folder']);
    await rejectsWithCode(writeSafetensors(join(dir, 'missing', 'w.safetensors'), { w: W }), 'RECUR_E_IO', 'missing');
  });

  it('reports a missing file as RECUR_E_IO naming it', async () => {
    const e = await rejectsWithCode(
      readSafetensors(join(dir, 'nope.safetensors')),
      'RECUR_E_IO',
      'nope.safetensors',
      'no such file',
    );
    assert.equal(e.details.file, join(dir, 'nope.safetensors'));
  });

  it('names the file in errors about its content', async () => {
    const path = join(dir, 'broken.safetensors');
    writeFileSync(path, Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 0x5b, 0x5d]));
    await rejectsWithCode(readSafetensors(path), 'RECUR_E_WEIGHTS_INVALID', path, 'must be a JSON object');
  });
});

describe('checkWeights', () => {
  const MISMATCH = 'RECUR_E_WEIGHTS_MISMATCH';

  it('passes when the file holds exactly the expected tensors and returns the store itself', () => {
    const s = store({ 'enc.W': W, 'enc.n': { dtype: 'int64', dims: [1], data: BigInt64Array.from([3n]) } });
    assert.equal(
      checkWeights(s, [
        { name: 'enc.W', dims: [1, 4, 2] },
        { name: 'enc.n', dims: [1], dtype: 'int64' },
      ]),
      s,
    );
  });

  it('names a tensor with the wrong shape, with both shapes', () => {
    const s = store({ 'encoder.layers.0.forward.W': W });
    const e = throwsWithCode(
      () => checkWeights(s, [{ name: 'encoder.layers.0.forward.W', dims: [1, 4, 3] }]),
      MISMATCH,
      'encoder.layers.0.forward.W: expected [1, 4, 3], file has [1, 4, 2]',
      'w.safetensors',
    );
    assert.equal(e.details['tensor'], 'encoder.layers.0.forward.W');
  });

  it('names a missing tensor and suggests the nearest name', () => {
    const s = store({ 'encoder.layers.0.forward.W': W });
    throwsWithCode(
      () => checkWeights(s, [{ name: 'encoder.layers.0.forward.R', dims: [1, 4, 2] }], { allowExtra: true }),
      MISMATCH,
      'encoder.layers.0.forward.R: missing',
      'did you mean encoder.layers.0.forward.W',
    );
  });

  it('names a tensor with the wrong dtype', () => {
    const s = store({ ids: { dtype: 'int32', dims: [2], data: Int32Array.from([1, 2]) } });
    throwsWithCode(
      () => checkWeights(s, [{ name: 'ids', dims: [2], dtype: 'int64' }]),
      MISMATCH,
      'ids: expected dtype int64, file has int32',
    );
    throwsWithCode(
      () => checkWeights(s, [{ name: 'ids', dims: [2] }]),
      MISMATCH,
      'ids: expected dtype float32, file has int32',
    );
  });

  it('refuses extra tensors unless allowExtra, and lists every problem', () => {
    const s = store({ a: W, b: W, c: W });
    const e = throwsWithCode(
      () =>
        checkWeights(s, [
          { name: 'a', dims: [1, 4, 2] },
          { name: 'z', dims: [1] },
        ]),
      MISMATCH,
      'z: missing',
      'b: is in the weights file but no part of the spec declares it',
      'c: is in',
    );
    assert.equal((e.details['problems'] as unknown[]).length, 3);
    checkWeights(s, [{ name: 'a', dims: [1, 4, 2] }], { allowExtra: true });
  });

  it('accepts float16 for a float32 parameter and widens it', () => {
    const half: TensorData = {
      dtype: 'float16',
      dims: [2],
      data: Uint16Array.from([floatToHalf(0.5), floatToHalf(-3)]),
    };
    const s = store({ h: half, f: { dtype: 'float32', dims: [1], data: Float32Array.from([1]) } });
    const checked = checkWeights(s, [
      { name: 'h', dims: [2] },
      { name: 'f', dims: [1] },
    ]);
    assert.equal(checked.get('h')!.dtype, 'float32');
    assert.deepEqual(Array.from(checked.get('h')!.data as Float32Array), [0.5, -3]);
    assert.equal(checked.get('f'), s.get('f'));
    assert.equal(checked.source, s.source);
    throwsWithCode(
      () => checkWeights(s, [{ name: 'f', dims: [1], dtype: 'float16' }], { allowExtra: true }),
      MISMATCH,
      'f: expected dtype float16',
    );
  });
});

describe('provenance metadata', () => {
  const spec = { name: 'sentiment', encoder: { type: 'recurrent', hidden: 8 }, tokenizer: { path: 't.json' } };
  const tok = new TextEncoder().encode('{"model": {}}');

  it('records version, spec and tokenizer hashes, the training command and data', () => {
    const meta = provenanceMetadata({
      spec,
      tokenizer: tok,
      trainingCommand: 'recur train x.json',
      data: { train: 'a.jsonl', rows: 10 },
      created: new Date('2025-01-02T03:04:05Z'),
    });
    assert.deepEqual(meta, {
      recur_version: RUNTIME_VERSION,
      spec_sha256: specHash(spec),
      model_sha256: modelHash(spec),
      tokenizer_sha256: tokenizerHash(tok),
      training_command: 'recur train x.json',
      training_data: '{"rows":10,"train":"a.jsonl"}',
      created: '2025-01-02T03:04:05.000Z',
    });
    assert.match(meta['spec_sha256'], /^[0-9a-f]{64}$/);
    // The model hash leaves out what does not shape the weights: the name here.
    assert.equal(modelHash(spec), modelHash({ ...spec, name: 'renamed', description: 'x', runtime: { threads: 2 } }));
    assert.notEqual(modelHash(spec), modelHash({ ...spec, encoder: { type: 'recurrent', hidden: 9 } }));
    // The head's call defaults (sampling, search) are a call's to change; its labels shape the weights.
    const lm = { task: 'text-generation', head: { type: 'language-model', generate: { temperature: 0.8 } } };
    assert.equal(
      modelHash(lm),
      modelHash({ ...lm, head: { ...lm.head, generate: { temperature: 1, minNewTokens: 0 } } }),
    );
    assert.equal(modelHash(lm), modelHash({ ...lm, head: { ...lm.head, search: { beam: 5 } } }));
    const classifier = { task: 'text-classification', head: { type: 'classifier', labels: ['a', 'b'] } };
    assert.notEqual(
      modelHash(classifier),
      modelHash({ ...classifier, head: { ...classifier.head, labels: ['b', 'a'] } }),
    );
    // Computed independently with `printf '{"model": {}}' | sha256sum`.
    assert.equal(meta['tokenizer_sha256'], '60e9a258caaf1d7141ddfeb43291d73091efa8af3d8b48faa62678e150b3f2f3');
    assert.equal(tokenizerHash([tok, tok]), `${meta['tokenizer_sha256']},${meta['tokenizer_sha256']}`);
  });

  it('hashes the spec canonically: key order and whitespace do not matter, values do', () => {
    const text =
      '{\n  "tokenizer": {"path": "t.json"},\n  "encoder": {"hidden": 8, "type": "recurrent"},\n  "name": "sentiment"\n}';
    assert.equal(specHash(text), specHash(spec));
    assert.notEqual(specHash({ ...spec, encoder: { type: 'recurrent', hidden: 9 } }), specHash(spec));
    throwsWithCode(() => specHash('{nope'), 'RECUR_E_SPEC_PARSE');
  });

  it('warns about each difference, and says nothing when the file matches or records nothing', () => {
    const meta = provenanceMetadata({ spec, tokenizer: tok });
    const s = store({ w: W }, meta);
    assert.deepEqual(checkProvenance(s, { specHash: specHash(spec), tokenizerHash: tokenizerHash(tok) }), []);
    const warnings = checkProvenance(s, {
      specHash: specHash({ ...spec, name: 'other' }),
      tokenizerHash: tokenizerHash(new Uint8Array(1)),
    });
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0],
      /w\.safetensors: the weights were made with another spec \(spec_sha256 [0-9a-f]{12}, loading [0-9a-f]{12}\)/,
    );
    assert.match(warnings[1], /another tokenizer file/);
    assert.deepEqual(checkProvenance(store({ w: W }), { specHash: 'x', tokenizerHash: 'y' }), []);
    assert.equal(checkProvenance(store({ w: W }, { recur_version: '7.0.0' }), {}).length, 1);
  });
});
