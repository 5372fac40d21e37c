import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGzip, readDataLines, splitDataLines, splitText } from '@recur/train';
import { rejectsWithCode } from '../../helpers/coded-error.js';
import { trainData } from './fixture-path.js';

describe('data: reading files', () => {
  it('decompresses gzip by magic bytes, whatever the extension', async () => {
    const gz = await readDataLines(trainData('pairs-en-gzipped.txt'));
    assert.deepEqual(gz.lines, [
      'A dog runs across the meadow.',
      'Two children play in the snow.',
      'A woman reads a book.',
    ]);
    const plain = await readDataLines(trainData('pairs-short.en'));
    assert.deepEqual(plain.lines, gz.lines.slice(0, 2));
    assert.equal(isGzip(Uint8Array.from([0x1f, 0x8b, 8])), true);
    assert.equal(isGzip(Uint8Array.from([0x1f])), false);
  });

  it('a file that starts like gzip but is not one is RECUR_E_DATA_GZIP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-data-'));
    const file = join(dir, 'broken.gz');
    writeFileSync(file, Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    await rejectsWithCode(() => readDataLines(file), 'RECUR_E_DATA_GZIP', { file });
  });

  it('splits lines: LF and CRLF, no line after the final newline, BOM dropped, invalid UTF-8 lines marked', () => {
    assert.deepEqual(splitText('a\r\nb\n\nc'), ['a', 'b', '', 'c']);
    assert.deepEqual(splitText('a\n'), ['a']);
    assert.deepEqual(splitText(''), []);
    const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
    const ok = splitDataLines(enc('\xef\xbb\xbfh\xc3\xa9\nx\n'), 'f');
    assert.deepEqual(ok.lines, ['hé', 'x']);
    const bad = splitDataLines(enc('\xef\xbb\xbfok\r\nbad\xff\nfine \xc3\xa9\n\xed\xa0\x80\n'), 'f');
    assert.deepEqual(bad.lines.length, 4);
    assert.equal(bad.lines[0], 'ok');
    assert.equal(bad.lines[2], 'fine é');
    assert.deepEqual([...bad.invalidUtf8], [1, 3]); // 0xff and an encoded surrogate (ED A0 80) are both invalid
  });
});
