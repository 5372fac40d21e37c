import type { BadRecordPolicy } from './bad-records.js';

/** A text with its label, for classification. `label` indexes the spec's labels. */
export interface LabeledText {
  readonly text: string;
  readonly label: number;
  /** 1-based line of the record in its file, for messages and predictions files. */
  readonly line: number;
}

/** A source text and its translation, for sequence-to-sequence tasks. */
export interface TextPair {
  readonly source: string;
  readonly target: string;
  /** 1-based line of the pair (the same line in both files of a two-file corpus). */
  readonly line: number;
}

/** Options every line-based reader takes. */
export interface CommonReadOptions {
  /** What to do with a bad record. @defaultValue 'error' */
  readonly onBadRecord?: BadRecordPolicy;
  /** Remove whitespace around each text field (SST-2 ends every sentence with a space). @defaultValue true */
  readonly trim?: boolean;
}

/** A column named by its 0-based index or by its header name. */
export type ColumnRef = number | string;

/** Header-row handling of a TSV reader: detect it, or say whether there is one. */
export type HeaderMode = 'auto' | boolean;
