import { strict as assert } from 'node:assert';
import { countChars, NllAccumulator, targetLogProbs } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

const close = (a: number, b: number, what: string) => {
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
};

describe('metrics: language models', () => {
  it('nats_per_char, bits per char and perplexity of a character model, by hand', () => {
    // Two characters predicted with p = 1/2 and 1/4: NLL = ln 2 + ln 4 = 3 ln 2 over 2 characters.
    const acc = new NllAccumulator();
    acc.addTargetLogProbs([Math.log(0.5), Math.log(0.25)], 2);
    const r = acc.result();
    close(r.nll, 3 * Math.LN2, 'nll');
    close(r.natsPerChar, 1.5 * Math.LN2, 'nats/char');
    close(r.bitsPerChar, 1.5, 'bits/char');
    close(r.perplexity, 2 ** 1.5, 'perplexity');
  });

  it('chunks add up as one stream; subword tokens are scored per character they spell', () => {
    const acc = new NllAccumulator();
    acc.add(2, 1, 3); // a token spelling 3 characters, NLL 2
    acc.add(1, 1, 2);
    const r = acc.result();
    close(r.natsPerChar, 3 / 5, 'nats/char');
    close(r.perplexity, Math.exp(3 / 2), 'per-token perplexity');
    assert.equal(r.tokens, 2);
    assert.equal(r.chars, 5);
  });

  it('log-probabilities from logits by a stable log-softmax', () => {
    const lp = targetLogProbs([0, 0, 0, 0, 1000, 0, 0, 0], 4, [1, 0]);
    close(lp[0], -Math.log(4), 'uniform');
    close(lp[1], 0, 'certain');
    const big = targetLogProbs(Float32Array.from([2, 1]), 2, [1n]);
    close(big[0], 1 - 2 - Math.log(1 + Math.exp(-1)), 'bigint target');
    throwsWithCode(() => targetLogProbs([0, 0], 2, [2]), 'RECUR_E_EVAL_INPUT_INVALID');
    throwsWithCode(() => targetLogProbs([0, 0, 0], 2, [0]), 'RECUR_E_EVAL_INPUT_INVALID');
  });

  it('characters are code points', () => {
    assert.equal(countChars('a😀b\n'), 4);
    assert.equal(countChars('\ud800x'), 2, 'a lone surrogate is one');
  });

  it('coded errors for impossible input and an empty evaluation', () => {
    throwsWithCode(() => new NllAccumulator().result(), 'RECUR_E_EVAL_INPUT_INVALID');
    throwsWithCode(() => {
      new NllAccumulator().add(Number.NaN, 1, 1);
    }, 'RECUR_E_EVAL_INPUT_INVALID');
    throwsWithCode(() => {
      new NllAccumulator().add(-1, 1, 1);
    }, 'RECUR_E_EVAL_INPUT_INVALID');
    throwsWithCode(() => {
      new NllAccumulator().add(1, 1, -1);
    }, 'RECUR_E_EVAL_INPUT_INVALID');
  });
});
