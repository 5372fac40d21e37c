import { RuntimeErrors, type ErrorTable } from '@recur/runtime';
import { RecurrentErrors } from '@recur/recurrent';
import { ServeErrors } from '@recur/serve';
import { TokenizerErrors } from '@recur/tokenizers';
import { TrainErrors } from '@recur/train';
import { QueueErrors } from './errors.js';

/**
 * The error table of every package the `recur` command ships, for the generated error reference
 * (`recur docs`). A package that declares a table with `defineErrors` belongs here; a test checks
 * that every `defineErrors` call in the repository has its table in this list.
 */
export const ERROR_TABLES: readonly ErrorTable[] = [
  RuntimeErrors,
  TokenizerErrors,
  RecurrentErrors,
  TrainErrors,
  ServeErrors,
  QueueErrors,
];
