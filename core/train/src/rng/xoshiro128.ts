/**
 * xoshiro128** (Blackman and Vigna, 2018): a small, fast generator with a 128-bit state that can be
 * saved and restored exactly, so a resumed run draws the same dropout masks and batches as an
 * uninterrupted one. Seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
export class Xoshiro128 {
  private s: Uint32Array;

  constructor(seed: number | Uint32Array) {
    if (typeof seed === 'number') {
      this.s = new Uint32Array(4);
      let x = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        // splitmix32
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        this.s[i] = (z ^ (z >>> 16)) >>> 0;
      }
      if (this.s.every((v) => v === 0)) this.s[0] = 1;
    } else {
      if (seed.length !== 4) throw new RangeError('xoshiro128** state is four 32-bit words');
      this.s = Uint32Array.from(seed);
    }
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `items` in place (Fisher-Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** The state, for checkpoints. */
  get state(): Uint32Array {
    return Uint32Array.from(this.s);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
