/** Evaluation metrics with the definitions of docs/reference/metrics.md. */
export {
  ConfusionMatrix,
  classificationReport,
  type ClassificationReport,
  type LabelScores,
} from './classification.js';
export { BleuAccumulator, corpusBleu, bleuTokens, BLEU_TOKEN_PATTERN, type BleuResult } from './bleu.js';
export { NllAccumulator, countChars, targetLogProbs, type LanguageModelScores } from './language-model.js';
