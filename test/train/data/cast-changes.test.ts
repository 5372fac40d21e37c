import { strict as assert } from 'node:assert';
import { castChanges, speechesOf, splitDevAtCastChange } from '@recur/train';
import { play } from '../helpers/play-text.js';
import { throwsWithCode } from '../../helpers/coded-error.js';

const first = play(['CORIOLANUS', 'MENENIUS', 'First Citizen'], 40, 'Speak, speak');
const second = play(['GLOUCESTER', 'CLARENCE', 'BRAKENBURY', 'HASTINGS'], 40, 'Now is the winter');
const third = play(['ROMEO', 'JULIET', 'Nurse'], 30, 'But soft');
const plays = `${first}\n${second}\n${third}`;

describe('data: dev split at a cast change', () => {
  it('finds the speech headings and exactly the points where a new cast takes over', () => {
    assert.equal(speechesOf(plays).length, 110);
    assert.deepEqual(speechesOf(plays)[40], { at: first.length + 1, speaker: 'GLOUCESTER' });
    assert.deepEqual(castChanges(plays), [first.length + 1, first.length + 1 + second.length + 1]);
  });

  it('a speaker shared across the cut (a recurring Messenger) is not a cast change', () => {
    const withMessenger = (cast: readonly string[]) => play([...cast, 'Messenger'], 40, 'News');
    const shared = `${withMessenger(['CORIOLANUS', 'MENENIUS'])}\n${withMessenger(['GLOUCESTER', 'CLARENCE'])}`;
    assert.deepEqual(castChanges(shared), []);
  });

  it('cuts at the last cast change at or before 1 - fraction, so the dev text is at least the fraction and starts a play', () => {
    const split = splitDevAtCastChange(plays, 0.1);
    assert.equal(split.train + split.dev, plays);
    assert.ok(split.dev.startsWith('ROMEO:\n'), split.dev.slice(0, 20));
    assert.ok(split.dev.length >= 0.1 * plays.length);
    assert.ok(split.train.endsWith('.\n\n'));
    assert.equal(split.devStartLine, split.train.split('\n').length);
    // A dev fraction that reaches back past the third play's start cuts at the second's.
    assert.ok(splitDevAtCastChange(plays, 0.5).dev.startsWith('GLOUCESTER:\n'));
  });

  it('a text without a cast change before the cut is RECUR_E_DATA_CAST_CHANGE_MISSING; a fraction outside (0, 1) RECUR_E_DATA_OPTIONS', () => {
    const err = throwsWithCode(
      () => splitDevAtCastChange(first + '\n' + first, 0.1, 'one-play.txt'),
      'RECUR_E_DATA_CAST_CHANGE_MISSING',
      { file: 'one-play.txt', pointer: '/train/data/devBoundary' },
    );
    assert.match(err.message, /80 "NAME:" speech headings/);
    throwsWithCode(() => splitDevAtCastChange('no speeches here\nat all\n', 0.2), 'RECUR_E_DATA_CAST_CHANGE_MISSING');
    // The only change lies after 1 - fraction: the dev split cannot start there.
    throwsWithCode(() => splitDevAtCastChange(`${first}\n${second}`, 0.6), 'RECUR_E_DATA_CAST_CHANGE_MISSING');
    throwsWithCode(() => splitDevAtCastChange(plays, 1), 'RECUR_E_DATA_OPTIONS');
  });
});
