/**
 * Conformance: folders of reference cases made by software nobody here wrote (PyTorch's outputs,
 * the ONNX node tests), run through Recur and compared. The runner reads the folder and reports;
 * packages contribute the handlers that know how to run one kind of case, so the runtime names no
 * plugin (the recurrent package runs `rnn` cases, the trainer `train` cases).
 */
import type { Backend } from '../backend/backend.js';
import type { Logger } from '../logger.js';

/** One case of an `index.json` section: a name, plus the fields that section defines. */
export interface ConformanceCase {
  readonly name: string;
  readonly [field: string]: unknown;
}

export type CaseStatus = 'passed' | 'failed' | 'skipped';

/** The outcome of one reported case. A handler may report several per index entry. */
export interface CaseResult {
  readonly name: string;
  readonly status: CaseStatus;
  /** One line: the largest error seen, what mismatched, or why the case was skipped. */
  readonly detail: string;
}

/** What a handler can use. */
export interface ConformanceEnv {
  /** Absolute folder of the cases; files named in a case are relative to it. */
  readonly dir: string;
  readonly backend: Backend;
  readonly logger: Logger;
}

/** Runs the cases of one kind: the `index.json` section of that name (`rnn`, `train`). */
export interface ConformanceHandler {
  readonly kind: string;
  /** One sentence for `recur conformance --help`. */
  readonly description: string;
  run(testCase: ConformanceCase, env: ConformanceEnv): Promise<readonly CaseResult[]>;
}

/** Every result of a run and their counts. */
export interface ConformanceReport {
  readonly results: readonly CaseResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Sections that had cases but no registered handler (their cases are reported as skipped). */
  readonly unhandledKinds: readonly string[];
}
