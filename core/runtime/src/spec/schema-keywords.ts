/**
 * Recur's own schema keywords. Editors ignore `x-` keywords; ajv knows them through
 * `addRecurKeywords`:
 * - `x-recur-part` (on `$defs/part.<kind>`): records every part block validation reaches, so that
 *   bare type names can be resolved and plugin path options found without a second walk;
 * - `x-recur-path` (on strings holding file paths): records each file reference and its role;
 * - `x-recur-kind`, `x-recur-task`, `x-recur-plugin`: annotations that error translation and the docs
 *   generator read back (the kind a type name belongs to, the task a slot rule is for, the plugin a
 *   `$defs` entry describes).
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { FileRole } from './spec-types.js';

export const KEYWORD_PART = 'x-recur-part';
export const KEYWORD_PATH = 'x-recur-path';
export const KEYWORD_KIND = 'x-recur-kind';
export const KEYWORD_TASK = 'x-recur-task';
export const KEYWORD_PLUGIN = 'x-recur-plugin';
/** Marks a call option whose value is a function (a callback such as `onEnd`); JSON Schema has no such type. */
export const KEYWORD_FUNCTION = 'x-recur-function';

export interface PartVisit {
  readonly kind: string;
  readonly pointer: string;
  readonly block: Record<string, unknown>;
}

export interface PathVisit {
  readonly role: FileRole;
  readonly pointer: string;
  readonly value: string;
}

export interface SchemaVisits {
  readonly parts: PartVisit[];
  readonly paths: PathVisit[];
}

// ajv validates synchronously, so one slot for the validation in progress is enough.
let active: SchemaVisits | undefined;

/** Runs one validation and returns what the keywords recorded during it. */
export function recordVisits<T>(validate: () => T): { result: T; visits: SchemaVisits } {
  const previous = active;
  const visits: SchemaVisits = { parts: [], paths: [] };
  active = visits;
  try {
    return { result: validate(), visits };
  } finally {
    active = previous;
  }
}

export function addRecurKeywords(ajv: Ajv2020): void {
  ajv.addKeyword({
    keyword: KEYWORD_PART,
    type: 'object',
    schemaType: 'string',
    errors: false,
    validate: (kind: string, data: Record<string, unknown>, _parent?: unknown, cxt?: { instancePath: string }) => {
      active?.parts.push({ kind, pointer: cxt?.instancePath ?? '', block: data });
      return true;
    },
  });
  ajv.addKeyword({
    keyword: KEYWORD_PATH,
    type: 'string',
    schemaType: 'string',
    errors: false,
    validate: (role: FileRole, data: string, _parent?: unknown, cxt?: { instancePath: string }) => {
      active?.paths.push({ role, pointer: cxt?.instancePath ?? '', value: data });
      return true;
    },
  });
  ajv.addVocabulary([KEYWORD_KIND, KEYWORD_TASK, KEYWORD_PLUGIN]);
}
