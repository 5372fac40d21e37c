/**
 * Indices of the `k` largest values of `row[0..length)`, largest first (ties: lower index first).
 * One pass with a small sorted buffer: most values are rejected by a single comparison with the
 * current k-th best, so this costs about `length` comparisons when k is small.
 */
export function topKIndices(row: ArrayLike<number>, k: number, length = row.length): number[] {
  const n = Math.min(k, length);
  if (n <= 0) return [];
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < length; i++) {
    const v = row[i]!;
    if (Number.isNaN(v)) continue;
    if (idx.length === n && v <= val[n - 1]!) continue;
    // Insertion point in the descending buffer; equal values keep their earlier index first.
    let at = idx.length === n ? n - 1 : idx.length;
    while (at > 0 && val[at - 1]! < v) at--;
    if (idx.length === n) {
      idx.pop();
      val.pop();
    }
    idx.splice(at, 0, i);
    val.splice(at, 0, v);
  }
  return idx;
}

/** Index of the largest value (the first one on ties); -1 for an empty row. */
export function argMax(row: ArrayLike<number>, length = row.length): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = row[i]!;
    if (v > bestValue || best === -1) {
      if (Number.isNaN(v)) continue;
      best = i;
      bestValue = v;
    }
  }
  return best;
}
