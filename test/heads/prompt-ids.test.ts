import { strict as assert } from 'node:assert';
import { encodePrompt } from '@recur/heads';
import { charTokenizerJson, LOWERCASE, tokenizerOf } from './helpers.js';
import { throwsWithCode } from '../helpers/coded-error.js';

const chars = tokenizerOf(charTokenizerJson(LOWERCASE));
const spec = { runtime: { maxInputTokens: 5, truncation: 'left' } };

describe('prompt ids', () => {
  it('keeps the end of a long prompt with left truncation, its start with right, refuses it with off', () => {
    assert.deepEqual(encodePrompt(chars, 'abcdefgh', 0, {}, spec).ids, chars.encode('defgh'));
    assert.deepEqual(encodePrompt(chars, 'abcdefgh', 0, { truncation: 'right' }, spec).ids, chars.encode('abcde'));
    throwsWithCode(() => encodePrompt(chars, 'abcdefgh', 2, { truncation: 'off' }, spec), 'RECUR_E_INPUT_TOO_LONG', {
      pointer: '/2',
    });
    throwsWithCode(() => encodePrompt(chars, 'a', 0, { maxInputTokens: 0 }, spec), 'RECUR_E_OPTION_INVALID');
  });

  it('starts an empty prompt from bos, else from a newline', () => {
    assert.deepEqual(encodePrompt(chars, '', 0, {}, spec), { ids: [chars.special.bos], textIds: [] });
    const noBos = tokenizerOf(charTokenizerJson(LOWERCASE, ['<pad>', '<unk>']));
    assert.deepEqual(encodePrompt(noBos, '', 0, {}, spec).ids, noBos.encode('\n'));
  });

  it('drops the end token a tokenizer template puts after every text', () => {
    const json = charTokenizerJson(LOWERCASE);
    const special = (token: string, id: number) => ({ id: token, ids: [id], tokens: [token] });
    json['post_processor'] = {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
      ],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': special('<s>', 2), '</s>': special('</s>', 3) },
    };
    const framed = tokenizerOf(json);
    assert.deepEqual(framed.encode('ab'), [2, ...chars.encode('ab'), 3], 'the template frames the text');
    assert.deepEqual(encodePrompt(framed, 'ab', 0, {}, { runtime: {} }).ids, [2, ...chars.encode('ab')]);
  });
});
