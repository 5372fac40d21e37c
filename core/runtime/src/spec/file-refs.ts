/**
 * Resolves and checks the files a spec refers to. A reference resolves against the spec's folder,
 * symlinks are followed (also through folders, and dangling links to where they point), and the
 * result must stay inside the spec's folder tree or inside a root the caller allows. The comparison
 * is by path segments, so `/a/spec-evil` is not inside `/a/spec`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { E } from '../errors/runtime-errors.js';
import type { FileHost } from '../files/file-host.js';
import type { RecurError } from '../errors/recur-error.js';
import { comparePointers } from './json-pointer.js';
import type { PathVisit } from './schema-keywords.js';
import type { SpecFileRef, SpecPurpose } from './spec-types.js';

/** Symlink hops followed before giving up (the kernel's own limit is 40). */
const MAX_HOPS = 40;

/**
 * The real path of `p` as far as it exists: the existing part resolved with `realpath`, the rest
 * appended. A dangling symlink resolves to its target, so that a link pointing out of the tree is
 * caught even before its target exists.
 */
export async function realpathLoose(p: string, hops = 0): Promise<{ real: string; exists: boolean }> {
  try {
    return { real: await fs.realpath(p), exists: true };
  } catch {
    // Missing (or unreadable, or a loop): resolve what can be resolved.
  }
  if (hops < MAX_HOPS) {
    try {
      const stat = await fs.lstat(p);
      if (stat.isSymbolicLink()) {
        const target = await fs.readlink(p);
        const parent = await realpathLoose(path.dirname(p), hops + 1);
        const resolved = await realpathLoose(path.resolve(parent.real, target), hops + 1);
        return { real: resolved.real, exists: false };
      }
    } catch {
      // Not there at all.
    }
  }
  const parent = path.dirname(p);
  if (parent === p || hops >= MAX_HOPS) return { real: p, exists: false };
  const resolved = await realpathLoose(parent, hops + 1);
  return { real: path.join(resolved.real, path.basename(p)), exists: false };
}

/** True when `child` is `root` or lies below it. */
export function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export interface FileCheckOptions {
  /** Where the spec's files are read from; references are resolved, located and contained through it. */
  readonly host: FileHost;
  /** Located (real) location of the spec's folder. */
  readonly specDir: string;
  /** Located locations of the further folders the caller allows. */
  readonly allowRoots: readonly string[];
  readonly purpose: SpecPurpose;
  /** The spec trains its tokenizer(s), so a missing tokenizer file will be written by `recur train`. */
  readonly trainsTokenizer: boolean;
}

export interface FileCheckResult {
  readonly files: SpecFileRef[];
  readonly errors: RecurError[];
  readonly warnings: RecurError[];
}

function outside(visit: PathVisit, real: string, options: FileCheckOptions): RecurError {
  const roots = [options.specDir, ...options.allowRoots];
  return E.PATH_OUTSIDE_ROOT(
    `${visit.pointer}: "${visit.value.slice(0, 200)}" resolves to ${real}, outside the spec's folder ${options.specDir}. Move the file into that folder, or allow its folder as a root (allowRoots, CLI --allow-root)`,
    { pointer: visit.pointer, expected: `a path inside ${roots.join(' or ')}`, path: real },
  );
}

/** What a missing file means for this role and purpose: an error, a warning, or nothing. */
function missing(
  visit: PathVisit,
  real: string,
  options: FileCheckOptions,
): { error?: RecurError; warning?: RecurError } {
  const where = `${visit.pointer}: "${visit.value.slice(0, 200)}" (${real})`;
  const details = { pointer: visit.pointer, path: real };
  switch (visit.role) {
    case 'weights':
      if (options.purpose === 'run') {
        return {
          error: E.WEIGHTS_MISSING(`${where} does not exist; train the spec first with recur train`, {
            ...details,
            expected: 'an existing safetensors file',
          }),
        };
      }
      return options.purpose === 'validate'
        ? { warning: E.WEIGHTS_MISSING(`${where}: weights do not exist yet; run recur train to write them`, details) }
        : {};
    case 'tokenizer':
      if (options.trainsTokenizer && options.purpose !== 'run') {
        return options.purpose === 'validate'
          ? {
              warning: E.PATH_NOT_FOUND(
                `${where}: the tokenizer does not exist yet; recur train will train and write it (train.tokenizer)`,
                details,
              ),
            }
          : {};
      }
      return {
        error: E.PATH_NOT_FOUND(`${where} does not exist`, { ...details, expected: 'an existing tokenizer file' }),
      };
    case 'train-input':
      if (options.purpose === 'train')
        return {
          error: E.PATH_NOT_FOUND(`${where} does not exist; training reads it`, {
            ...details,
            expected: 'an existing file',
          }),
        };
      return { warning: E.PATH_NOT_FOUND(`${where} does not exist; recur train will need it`, details) };
    default:
      return { error: E.PATH_NOT_FOUND(`${where} does not exist`, { ...details, expected: 'an existing file' }) };
  }
}

async function checkOne(
  visit: PathVisit,
  options: FileCheckOptions,
  out: { files: SpecFileRef[]; errors: RecurError[]; warnings: RecurError[] },
): Promise<void> {
  if (visit.value.includes('\u0000')) {
    out.errors.push(
      E.SPEC_INVALID(`${visit.pointer} must be a file path without NUL characters`, {
        pointer: visit.pointer,
        expected: 'a file path',
      }),
    );
    return;
  }
  const lexical = options.host.resolve(options.specDir, visit.value);
  const { location: real, exists, notRegular } = await options.host.locate(lexical);
  out.files.push({ pointer: visit.pointer, value: visit.value, path: real, exists, role: visit.role });
  if (![options.specDir, ...options.allowRoots].some((root) => options.host.contains(root, real))) {
    out.errors.push(outside(visit, real, options));
    return;
  }
  if (exists) {
    if (notRegular !== undefined) {
      // Said as it is: a FIFO is not "a folder", and reading one would block.
      out.errors.push(
        E.IO(`${visit.pointer}: "${visit.value.slice(0, 200)}" (${real}) is ${notRegular}, not a regular file`, {
          pointer: visit.pointer,
          path: real,
          file: real,
          expected: 'a regular file',
        }),
      );
    }
    return;
  }
  const verdict = missing(visit, real, options);
  if (verdict.error) out.errors.push(verdict.error);
  if (verdict.warning) out.warnings.push(verdict.warning);
}

/** Checks every file reference found during validation, sorted by pointer. */
export async function checkFileRefs(visits: readonly PathVisit[], options: FileCheckOptions): Promise<FileCheckResult> {
  const out = { files: [] as SpecFileRef[], errors: [] as RecurError[], warnings: [] as RecurError[] };
  const seen = new Set<string>();
  const ordered = [...visits].sort((a, b) => comparePointers(a.pointer, b.pointer));
  for (const visit of ordered) {
    if (seen.has(visit.pointer)) continue;
    seen.add(visit.pointer);
    // Running a pipeline never reads its training inputs: where they live does not matter to it.
    if (visit.role === 'train-input' && (options.purpose === 'run' || options.purpose === 'weights-given')) continue;
    await checkOne(visit, options, out);
  }
  return out;
}
