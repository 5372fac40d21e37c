/**
 * Indices of the `k` largest values of `row[0..length)`, largest first (ties: lower index first);
 * NaN values are never chosen. Small k: one pass with a small sorted buffer (most values are
 * rejected by one comparison with the current k-th best). Large k: the k-th largest value is found
 * with a native typed-array sort, and only the k chosen indices are sorted with a comparator.
 */
export function topKIndices(row: ArrayLike<number>, k: number, length = row.length): number[] {
  const n = Math.min(k, length);
  if (n <= 0) return [];
  return n <= 16 ? bufferedTopK(row, n, length) : thresholdTopK(row, n, length);
}

function bufferedTopK(row: ArrayLike<number>, n: number, length: number): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < length; i++) {
    const v = row[i];
    if (Number.isNaN(v)) continue;
    if (idx.length === n && v <= val[n - 1]) continue;
    // Insertion point in the descending buffer; equal values keep their earlier index first.
    let at = idx.length === n ? n - 1 : idx.length;
    while (at > 0 && val[at - 1] < v) at--;
    if (idx.length === n) {
      idx.pop();
      val.pop();
    }
    idx.splice(at, 0, i);
    val.splice(at, 0, v);
  }
  return idx;
}

function thresholdTopK(row: ArrayLike<number>, n: number, length: number): number[] {
  return topKSet(row, n, length).sort((a, b) => row[b] - row[a] || a - b);
}

let scratch = new Float64Array(0);

/**
 * The indices of the `k` largest values in index order (ties at the k-th value: lower indices
 * first), for callers that need the set, not its order (sampling).
 */
export function topKSet(row: ArrayLike<number>, n: number, length = row.length): number[] {
  if (scratch.length < length) scratch = new Float64Array(length);
  const values = scratch;
  let valid = 0;
  for (let i = 0; i < length; i++) {
    const v = row[i];
    if (!Number.isNaN(v)) values[valid++] = v;
  }
  const sorted = values.subarray(0, valid).sort(); // ascending, native
  const count = Math.min(n, valid);
  if (count <= 0) return [];
  const threshold = sorted[valid - count];
  let above = 0;
  for (let i = valid - count; i < valid; i++) if (sorted[i] > threshold) above++;
  let ties = count - above;
  const chosen: number[] = [];
  for (let i = 0; i < length; i++) {
    const v = row[i];
    if (v > threshold) chosen.push(i);
    else if (v === threshold && ties > 0) {
      chosen.push(i);
      ties--;
    }
  }
  return chosen;
}

/** Index of the largest value (the first one on ties); -1 for an empty row. */
export function argMax(row: ArrayLike<number>, length = row.length): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = row[i];
    if (v > bestValue || best === -1) {
      if (Number.isNaN(v)) continue;
      best = i;
      bestValue = v;
    }
  }
  return best;
}
