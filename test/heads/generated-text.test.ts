import { strict as assert } from 'node:assert';
import { GeneratedText } from '@recur/heads';
import { byteTokenizerJson, charTokenizerJson, LOWERCASE, tokenizerOf } from './helpers.js';

const bytes = tokenizerOf(byteTokenizerJson());
const chars = tokenizerOf(charTokenizerJson(LOWERCASE));

function feed(text: GeneratedText, ids: readonly number[]): { pieces: string[]; stopped: boolean } {
  const pieces: string[] = [];
  for (const id of ids) {
    const step = text.push(id);
    if (step.piece) pieces.push(step.piece);
    if (step.stopped) return { pieces, stopped: true };
  }
  const rest = text.finish();
  if (rest) pieces.push(rest);
  return { pieces, stopped: false };
}

describe('generated text: pieces safe to show', () => {
  it('never shows half a UTF-8 character from a byte-level tokenizer', () => {
    const target = 'héllo 😀 wörld, 👩‍👩‍👧 ok\n';
    const ids = bytes.encode(target);
    assert.ok(ids.length > [...target].length, 'multi-byte characters take several tokens');
    const text = new GeneratedText(bytes, bytes.encode('say: '));
    const { pieces } = feed(text, ids);
    for (const piece of pieces) {
      assert.ok(!piece.includes('\uFFFD'), `piece ${JSON.stringify(piece)} has a replacement character`);
      assert.ok(!/[\uD800-\uDBFF]$/.test(piece), 'a piece ends inside a surrogate pair');
    }
    assert.equal(pieces.join(''), target);
    assert.equal(text.text, target);
  });

  it('keeps real replacement characters once the text goes on', () => {
    // 0xC3 followed by "a" is invalid UTF-8: the decoder gives U+FFFD and it must come out.
    const ids = [2 + 0xc3 + 1, ...bytes.encode('abc')];
    const { pieces } = feed(new GeneratedText(bytes, []), ids);
    assert.equal(pieces.join(''), bytes.decode(ids));
    assert.ok(pieces.join('').includes('\uFFFD'));
  });

  it('decodes long outputs window by window like the whole text', () => {
    const target = 'ü'.repeat(100) + ' and then some plain words that go on for a while. '.repeat(5);
    const ids = bytes.encode(target);
    const { pieces } = feed(new GeneratedText(bytes, []), ids);
    assert.equal(pieces.join(''), target);
  });

  it('ends before a stop string and never shows its beginning early', () => {
    const text = new GeneratedText(chars, [], ['\n\n', 'stop']);
    const shown: string[] = [];
    for (const ch of 'ab\n') shown.push(text.push(chars.encode(ch)[0]).piece);
    assert.equal(shown.join(''), 'ab', 'the newline may begin "\\n\\n": held back');
    const step = text.push(chars.encode('c')[0]);
    assert.equal(step.piece, '\nc');
    const end = feed(text, chars.encode('d sto\n\nmore'));
    assert.ok(end.stopped);
    assert.equal(text.text, 'ab\ncd sto');
  });

  it('chooses the earliest of several stop strings, even when it spans tokens', () => {
    const text = new GeneratedText(chars, [], ['xyz', 'yz!']);
    const { stopped } = feed(text, chars.encode('hello xyz! world'));
    assert.ok(stopped);
    assert.equal(text.text, 'hello ');
  });

  it('returns the held-back text at the end', () => {
    const text = new GeneratedText(chars, [], ['abc']);
    const { pieces, stopped } = feed(text, chars.encode('xxab'));
    assert.equal(stopped, false);
    assert.deepEqual(pieces, ['x', 'x', 'ab'], '"ab" may begin "abc" until the end');
  });
});
