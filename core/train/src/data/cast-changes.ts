import { TrainErrors } from '../errors.js';
import type { TextSplit } from './plain-text.js';

/**
 * A speech: a line holding only a speaker's name and a colon, at the start of the text or after a
 * blank line (`ROMEO:\n`), the layout of play scripts such as tiny shakespeare.
 */
const SPEECH_HEADING = /(?:^|\n\n)([^\n:]{1,60}):\n/g;

/** Speeches on each side of a point that must share no speaker for the point to be a cast change. */
export const CAST_NEAR = 10;
/** Speeches on the far side whose speakers the near side must not meet (about a scene or two). */
export const CAST_FAR = 150;

/** Where a speech starts (the first character of its heading) and who speaks it. */
export interface Speech {
  readonly at: number;
  readonly speaker: string;
}

export function speechesOf(text: string): Speech[] {
  return [...text.matchAll(SPEECH_HEADING)].map((m) => ({
    at: m.index + m[0].length - m[1].length - 2,
    speaker: m[1],
  }));
}

/**
 * The character offsets where the cast changes entirely: before speech i, none of the next
 * CAST_NEAR speakers spoke in the CAST_FAR speeches before, and none of the previous CAST_NEAR
 * spoke in the CAST_FAR after. A text made of plays has no title lines between them, but each
 * play brings its own cast, so every play boundary is such a point. A few points inside a play
 * qualify too (a scene among new characters only), so a cut here is "no speaker in common", a
 * proxy for a new play, not a proof.
 */
export function castChanges(text: string): number[] {
  const speeches = speechesOf(text);
  const out: number[] = [];
  const speakers = (from: number, to: number) =>
    new Set(speeches.slice(Math.max(0, from), Math.max(0, to)).map((s) => s.speaker));
  for (let i = CAST_NEAR; i + CAST_NEAR <= speeches.length; i++) {
    const before = speakers(i - CAST_FAR, i);
    const after = speakers(i, i + CAST_FAR);
    const shared = (near: Set<string>, far: Set<string>) => [...near].some((s) => far.has(s));
    if (!shared(speakers(i, i + CAST_NEAR), before) && !shared(speakers(i - CAST_NEAR, i), after))
      out.push(speeches[i].at);
  }
  return out;
}

/**
 * Carves a dev split off the end of a text of plays at a cast change: the last one at or before
 * `(1 - fraction)` of the characters, so the dev split holds at least `fraction` of the text and
 * shares no speaker with the end of the training text. `train + dev === text`.
 * RECUR_E_DATA_CAST_CHANGE_MISSING when the text has no cast change there.
 */
export function splitDevAtCastChange(
  text: string,
  fraction: number,
  file = '<text>',
): TextSplit & { readonly castChanges: readonly number[] } {
  if (!(fraction > 0 && fraction < 1)) {
    throw TrainErrors.DATA_OPTIONS(`${file}: the dev fraction must be between 0 and 1 (exclusive), got ${fraction}`, {
      file,
      expected: 'a number in (0, 1), e.g. 0.1',
    });
  }
  const target = Math.floor(text.length * (1 - fraction));
  const changes = castChanges(text);
  const cut = changes.filter((at) => at > 0 && at <= target).pop();
  if (cut === undefined) {
    throw TrainErrors.DATA_CAST_CHANGE_MISSING(
      `${file}: no cast change at or before character ${target} (the last ${fraction} of the text): found ${changes.length} in the text, which has ${speechesOf(text).length} "NAME:" speech headings`,
      {
        file,
        pointer: '/train/data/devBoundary',
        expected: 'devBoundary "line", a larger devFraction, or a dev file given with --dev',
      },
    );
  }
  let devStartLine = 1;
  for (let i = 0; i < cut; i++) if (text.charCodeAt(i) === 10) devStartLine++;
  return { train: text.slice(0, cut), dev: text.slice(cut), devStartLine, castChanges: changes };
}
