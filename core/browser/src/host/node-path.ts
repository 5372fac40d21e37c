/**
 * The browser host's `node:path`: POSIX path rules over URLs. The runtime resolves and contains a
 * spec's file references with `node:path`; in the browser its "paths" are absolute URLs
 * (`https://example.org/pipelines/sentiment.json`), so this module treats `scheme://authority` as the
 * root of a path, the way Windows paths have a drive. The same resolution and containment code then
 * runs on both hosts: `../x` climbs the URL's path, and no reference can leave the spec's base URL
 * (a reference to another origin is outside it, as another drive is).
 */

const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i;

export const sep = '/';
export const delimiter = ':';

function split(p: string): { root: string; rest: string } {
  const m = ORIGIN.exec(p);
  return m ? { root: m[0], rest: p.slice(m[0].length) || '/' } : { root: '', rest: p };
}

function normalizeSegments(rest: string): string {
  const out: string[] = [];
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export function isAbsolute(p: string): boolean {
  return ORIGIN.test(p) || p.startsWith('/');
}

/**
 * Resolves right to left until an absolute URL is reached; a path from `/` keeps the origin of the
 * URL to its left (as a link does), and without any URL the page's folder is the start.
 */
export function resolve(...paths: string[]): string {
  let joined = '';
  let rooted = false;
  for (let i = paths.length - 1; i >= 0; i--) {
    const p = paths[i];
    if (p === '') continue;
    const parts = split(p);
    if (!rooted) joined = joined === '' ? parts.rest : `${parts.rest}/${joined}`;
    if (parts.root !== '') return parts.root + normalizeSegments(joined);
    if (p.startsWith('/')) rooted = true;
  }
  const start = cwd();
  return rooted ? split(start).root + normalizeSegments(joined) : resolve(start, joined);
}

export function normalize(p: string): string {
  const { root, rest } = split(p);
  const n = normalizeSegments(rest);
  return root !== '' || p.startsWith('/') ? root + n : n.slice(1) || '.';
}

export function join(...paths: string[]): string {
  return normalize(paths.filter((p) => p !== '').join('/'));
}

export function dirname(p: string): string {
  const { root, rest } = split(p);
  const trimmed = rest.replace(/\/+$/, '');
  const at = trimmed.lastIndexOf('/');
  if (at <= 0) return root !== '' || rest.startsWith('/') ? `${root}/`.replace(/(:\/\/[^/]*)\/$/, '$1') : '.';
  return root + trimmed.slice(0, at);
}

export function basename(p: string, ext?: string): string {
  const base = split(p).rest.replace(/\/+$/, '');
  const name = base.slice(base.lastIndexOf('/') + 1);
  return ext !== undefined && name.endsWith(ext) && name !== ext ? name.slice(0, -ext.length) : name;
}

export function extname(p: string): string {
  const name = basename(p);
  const at = name.lastIndexOf('.');
  return at <= 0 ? '' : name.slice(at);
}

/** The path from `from` to `to`; `to` itself (absolute) when they are on different origins. */
export function relative(from: string, to: string): string {
  const a = split(resolve(from));
  const b = split(resolve(to));
  if (a.root !== b.root) return resolve(to);
  const x = a.rest.split('/').filter(Boolean);
  const y = b.rest.split('/').filter(Boolean);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return [...x.slice(i).map(() => '..'), ...y.slice(i)].join('/');
}

/** The folder relative paths resolve against when no spec URL gives one: the page's own folder. */
function cwd(): string {
  const href = (globalThis as { location?: { href: string } }).location?.href ?? '/';
  return dirname(href.split(/[?#]/)[0] + 'x');
}

const path = { sep, delimiter, isAbsolute, resolve, normalize, join, dirname, basename, extname, relative };
export const posix = path;
export default path;
