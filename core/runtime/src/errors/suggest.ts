/** Damerau-free Levenshtein distance; small inputs only (names, keys). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(up + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * The known names closest to `wanted`, for "did you mean". A name qualifies when its distance is at
 * most a third of its length (at least 2) or when one is a prefix of the other.
 */
export function nearestNames(wanted: string, known: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase().slice(0, 200);
  const scored: { name: string; d: number }[] = [];
  for (const name of known) {
    const n = name.toLowerCase();
    const d = editDistance(w, n);
    const limit = Math.max(2, Math.floor(n.length / 3));
    if (d <= limit || (w.length >= 2 && (n.startsWith(w) || w.startsWith(n)))) scored.push({ name, d });
  }
  scored.sort((x, y) => x.d - y.d || x.name.localeCompare(y.name));
  return scored.slice(0, max).map((s) => s.name);
}
