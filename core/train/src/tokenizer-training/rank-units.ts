/**
 * Orders counted units for a vocabulary: most frequent first, ties by code-unit order, so that a
 * trained vocabulary does not depend on the order of the corpus. Keeps those seen `minFrequency`
 * times or more, at most `limit` of them.
 */
export function rankUnits(counts: ReadonlyMap<string, number>, minFrequency: number, limit: number): string[] {
  return [...counts.entries()]
    .filter(([, n]) => n >= minFrequency)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(([unit]) => unit);
}
