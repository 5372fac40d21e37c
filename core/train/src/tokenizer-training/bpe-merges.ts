/**
 * The BPE merge algorithm (Sennrich et al. 2016, as Hugging Face's trainer runs it): count every
 * adjacent symbol pair over the distinct words weighted by their counts, merge the most frequent
 * pair into a new symbol, update the counts of the words that held it, repeat.
 *
 * Pairs live in a max-heap ordered by count, ties to the smaller (left, right) symbol ids, with lazy
 * updates: a popped entry whose count is stale goes back with its current count. Only the words that
 * hold the merged pair are touched, so a merge costs the length of those words, not of the corpus.
 */
export interface MergeResult {
  /** The merges in rank order, as pairs of symbol strings. */
  readonly merges: [string, string][];
  /** Every symbol: the initial alphabet, then one per merge. */
  readonly symbols: string[];
}

/** Symbol ids stay below 2^21, so a pair fits one number exactly: left * 2^21 + right. */
const SHIFT = 2 ** 21;
const key = (a: number, b: number) => a * SHIFT + b;

/**
 * Learns up to `maxMerges` merges from `words` (each word an array of alphabet symbol strings) with
 * their counts. Stops early when the best pair is seen fewer than `minFrequency` times.
 */
export function learnMerges(
  words: ReadonlyMap<string, number>,
  splitWord: (word: string) => string[],
  alphabet: readonly string[],
  maxMerges: number,
  minFrequency: number,
): MergeResult {
  const symbols = [...alphabet];
  const symbolId = new Map(symbols.map((s, i) => [s, i]));
  const seqs: number[][] = [];
  const counts: number[] = [];
  for (const [word, count] of words) {
    const seq: number[] = [];
    for (const piece of splitWord(word)) {
      const id = symbolId.get(piece);
      if (id !== undefined) seq.push(id);
    }
    if (seq.length > 1) {
      seqs.push(seq);
      counts.push(count);
    }
  }

  const pairCount = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1, touched: Set<number>) => {
    const seq = seqs[w];
    for (let i = 0; i + 1 < seq.length; i++) {
      const k = key(seq[i], seq[i + 1]);
      pairCount.set(k, (pairCount.get(k) ?? 0) + sign * counts[w]);
      touched.add(k);
      if (sign > 0) {
        let set = where.get(k);
        if (!set) where.set(k, (set = new Set()));
        set.add(w);
      }
    }
  };
  const initial = new Set<number>();
  for (let w = 0; w < seqs.length; w++) addPairs(w, 1, initial);
  const heap = new PairHeap();
  for (const k of initial) heap.push(pairCount.get(k)!, k);

  const merges: [string, string][] = [];
  while (merges.length < maxMerges && symbols.length < SHIFT) {
    const top = heap.pop();
    if (top === undefined) break;
    const current = pairCount.get(top.key) ?? 0;
    if (current !== top.count) {
      if (current > 0) heap.push(current, top.key);
      continue;
    }
    if (current < minFrequency || current <= 0) break;
    const a = Math.floor(top.key / SHIFT);
    const b = top.key % SHIFT;
    const merged = symbols.length;
    symbols.push(symbols[a] + symbols[b]);
    merges.push([symbols[a], symbols[b]]);
    const touched = new Set<number>();
    for (const w of where.get(top.key) ?? []) {
      const seq = seqs[w];
      if (!holdsPair(seq, a, b)) continue;
      addPairs(w, -1, touched);
      seqs[w] = mergeSeq(seq, a, b, merged);
      addPairs(w, 1, touched);
    }
    where.delete(top.key);
    for (const k of touched) {
      const n = pairCount.get(k) ?? 0;
      if (n > 0) heap.push(n, k);
      else pairCount.delete(k);
    }
  }
  return { merges, symbols };
}

function holdsPair(seq: readonly number[], a: number, b: number): boolean {
  for (let i = 0; i + 1 < seq.length; i++) if (seq[i] === a && seq[i + 1] === b) return true;
  return false;
}

/** Replaces each non-overlapping (a, b), left to right, by `merged`. */
function mergeSeq(seq: readonly number[], a: number, b: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
      out.push(merged);
      i++;
    } else out.push(seq[i]);
  }
  return out;
}

/** A binary max-heap of (count, pair key): higher count first, then the smaller key. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  push(count: number, k: number): void {
    this.counts.push(count);
    this.keys.push(k);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } | undefined {
    const n = this.counts.length;
    if (n === 0) return undefined;
    const top = { count: this.counts[0], key: this.keys[0] };
    this.swap(0, n - 1);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.counts.length && this.before(l, best)) best = l;
      if (r < this.counts.length && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    return this.counts[i] > this.counts[j] || (this.counts[i] === this.counts[j] && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }
}
