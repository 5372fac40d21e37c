import { mulberry32 } from '@recur/runtime/internal';

/**
 * The random stream of one epoch of a seeded run. Each epoch has its own stream, derived from the
 * seed and the epoch number alone, so a resumed run can rebuild epoch e without replaying 0..e-1.
 */
export function epochRandom(seed: number, epoch: number, purpose = 0): () => number {
  const mixed = (seed ^ Math.imul(epoch + 1, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b)) >>> 0;
  return mulberry32(mixed);
}

/** Fisher-Yates shuffle in place with the given uniform [0, 1) generator. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i];
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** FNV-1a over a list of integers: a fingerprint of a data set's lengths, to check a resumed cursor. */
export function fingerprintLengths(lengths: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < lengths.length; i++) {
    let v = lengths[i] >>> 0;
    for (let k = 0; k < 4; k++) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
