import { strict as assert } from 'node:assert';
import { applyRepetitionPenalty, argMax, chooseToken, SeenTokens, topKIndices } from '@recur/heads';
import { mulberry32 } from '@recur/runtime/internal';

const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const sampling = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };

describe('sampling: top-k and argmax', () => {
  it('finds the k largest values, largest first, earlier index first on ties', () => {
    assert.deepEqual(topKIndices([0.1, 5, -2, 5, 3, 9], 3), [5, 1, 3]);
    assert.deepEqual(topKIndices([1, 2], 5), [1, 0]);
    assert.deepEqual(topKIndices([1, 2], 0), []);
  });

  it('agrees with a full sort on random rows', () => {
    const random = mulberry32(3);
    for (let trial = 0; trial < 200; trial++) {
      // Many ties, and k on both sides of the switch from the buffer to the threshold method.
      const row = Array.from({ length: 50 }, () => Math.round(random() * 20));
      const k = 1 + Math.floor(random() * 45);
      const sorted = row
        .map((v, i) => ({ v, i }))
        .sort((a, b) => b.v - a.v || a.i - b.i)
        .slice(0, k)
        .map((e) => e.i);
      assert.deepEqual(topKIndices(row, k), sorted);
    }
  });

  it('argMax takes the first maximum and skips NaN', () => {
    assert.equal(argMax([1, 3, 3, 2]), 1);
    assert.equal(argMax([NaN, -5, -1]), 2);
    assert.equal(argMax(new Float32Array([-Infinity, -Infinity])), 0);
  });
});

describe('sampling: choosing a token', () => {
  it('temperature 0 is greedy and draws no random number', () => {
    let draws = 0;
    const token = chooseToken(Float32Array.from([0.1, 2, 1.9]), greedy, new SeenTokens(3), () => (draws++, 0.5));
    assert.equal(token, 1);
    assert.equal(draws, 0);
  });

  it('applies the CTRL repetition penalty: positive logits divided, negative multiplied', () => {
    const logits = Float32Array.from([2, -1, 3]);
    applyRepetitionPenalty(logits, new SeenTokens(3, [0, 1, 1]), 2);
    assert.deepEqual([...logits], [1, -2, 3]);
    // The penalty can change the greedy choice: 2 beats 1.5 until 2 is halved.
    assert.equal(
      chooseToken(Float32Array.from([1.5, 2]), { ...greedy, repetitionPenalty: 2 }, new SeenTokens(2, [1]), () => 0),
      0,
    );
  });

  it('top-k 1 and a tiny top-p always give the most likely token', () => {
    const random = mulberry32(1);
    for (let i = 0; i < 100; i++) {
      assert.equal(
        chooseToken(Float32Array.from([0, 1, 0.5, 0.9]), { ...sampling, topK: 1 }, new SeenTokens(4), random),
        1,
      );
      assert.equal(
        chooseToken(Float32Array.from([0, 1, 0.5, 0.9]), { ...sampling, topP: 0.01 }, new SeenTokens(4), random),
        1,
      );
    }
  });

  it('samples in proportion to softmax(logits / temperature), within top-k and top-p', () => {
    const random = mulberry32(42);
    const counts = [0, 0, 0];
    const logits = [Math.log(0.6), Math.log(0.3), Math.log(0.1)];
    const n = 4000;
    for (let i = 0; i < n; i++)
      counts[chooseToken(Float32Array.from(logits), sampling, new SeenTokens(3), random)] += 1;
    assert.ok(Math.abs(counts[0] / n - 0.6) < 0.03, `p0 ${counts[0] / n}`);
    assert.ok(Math.abs(counts[2] / n - 0.1) < 0.02, `p2 ${counts[2] / n}`);

    // top-k 2 renormalises over the two best: 0.6 / 0.9 and 0.3 / 0.9, never token 2.
    const topK = [0, 0, 0];
    for (let i = 0; i < n; i++)
      topK[chooseToken(Float32Array.from(logits), { ...sampling, topK: 2 }, new SeenTokens(3), random)] += 1;
    assert.equal(topK[2], 0);
    assert.ok(Math.abs(topK[0] / n - 2 / 3) < 0.03);

    // top-p 0.85: 0.6 + 0.3 reaches it, so token 2 is out.
    const topP = [0, 0, 0];
    for (let i = 0; i < n; i++)
      topP[chooseToken(Float32Array.from(logits), { ...sampling, topP: 0.85 }, new SeenTokens(3), random)] += 1;
    assert.equal(topP[2], 0);

    // A high temperature flattens the distribution.
    const hot = [0, 0, 0];
    for (let i = 0; i < n; i++)
      hot[chooseToken(Float32Array.from(logits), { ...sampling, temperature: 100 }, new SeenTokens(3), random)] += 1;
    assert.ok(Math.abs(hot[2] / n - 1 / 3) < 0.04, `hot p2 ${hot[2] / n}`);
  });

  it('the same seed gives the same tokens', () => {
    const draw = (seed: number) => {
      const random = mulberry32(seed);
      return Array.from({ length: 30 }, () =>
        chooseToken(Float32Array.from([0, 0.5, 1, 0.2, 0.7]), sampling, new SeenTokens(5), random),
      );
    };
    assert.deepEqual(draw(9), draw(9));
    assert.notDeepEqual(draw(9), draw(10));
  });
});

describe('sampling: broken scores', () => {
  const params = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };
  for (const [what, logits] of [
    ['NaN', Float32Array.from([0.5, NaN, 0.1])],
    ['+Infinity', Float32Array.from([0.5, Infinity, 0.1])],
    ['all NaN, greedy', Float32Array.from([NaN, NaN])],
  ] as const) {
    it(`refuses to choose a token from logits with ${what}: RECUR_E_OUTPUT_NON_FINITE`, () => {
      const p = what.includes('greedy') ? { ...params, temperature: 0 } : params;
      assert.throws(
        () => chooseToken(Float32Array.from(logits), p, new SeenTokens(3), mulberry32(1)),
        (err: Error & { code?: string }) =>
          err.code === 'RECUR_E_OUTPUT_NON_FINITE' && /token 1|token 0/.test(err.message),
      );
    });
  }

  it('accepts -Infinity (a suppressed token)', () => {
    assert.equal(
      chooseToken(Float32Array.from([-Infinity, 2, -Infinity]), params, new SeenTokens(3), mulberry32(1)),
      1,
    );
  });
});
