import type { ObjectiveDefinition } from './objective.js';
import { classificationObjective } from './classification/classification-objective.js';
import { languageModelObjective } from './language-model/language-model-objective.js';
import { seq2seqObjective } from './seq2seq/seq2seq-objective.js';

/**
 * The training objectives `recur train` knows, by the name a task plugin declares in its
 * `objective` field. One line per objective.
 */
export const OBJECTIVES: Readonly<Record<string, ObjectiveDefinition>> = {
  classification: classificationObjective,
  'language-model': languageModelObjective,
  seq2seq: seq2seqObjective,
};
