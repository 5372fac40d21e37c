/** The version of @recur/runtime, recorded in weight files and checked against plugin ranges. */
export const RUNTIME_VERSION = '0.1.0';

/**
 * A small subset of semver ranges, enough for plugin declarations: `^x.y[.z]`, `~x.y[.z]`,
 * `>=x.y[.z]`, `x.y.z`, and `*`.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  const r = range.trim();
  if (r === '*' || r === '') return true;
  const m = /^(\^|~|>=)?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(r);
  if (!v || !m) return false;
  const want = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)] as const;
  const cmp = compare(v, want);
  switch (m[1]) {
    case '>=':
      return cmp >= 0;
    case '~':
      return cmp >= 0 && v[0] === want[0] && v[1] === want[1];
    case '^':
      if (cmp < 0) return false;
      if (want[0] > 0) return v[0] === want[0];
      if (want[1] > 0) return v[0] === 0 && v[1] === want[1];
      return v[0] === 0 && v[1] === 0 && v[2] === want[2];
    default:
      return cmp === 0;
  }
}

function parse(s: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
