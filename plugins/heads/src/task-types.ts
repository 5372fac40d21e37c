import type { ClassificationOptions } from './classification/text-classification-task.js';
import type { LabelScore } from './classification/label-scores.js';
import type { GenerationOptions } from './generation/generation-options.js';
import type { GeneratedTextResult } from './generation/text-generation-task.js';
import type { TranslationOptions } from './translation/search-options.js';
import type { TranslationResult } from './translation/translation-task.js';

/** text-classification: `run(text)` gives `[{ label, score }]`; a batch a bare one per input while `topK` is 1. */
export interface TextClassificationSignature {
  input: string;
  options: ClassificationOptions;
  item: LabelScore;
  countOption: 'topK';
}

/** text-generation: `run(prompt)` gives `[{ generated_text }]`, a batch one such array per input. */
export interface TextGenerationSignature {
  input: string;
  options: GenerationOptions;
  item: GeneratedTextResult;
}

/** translation: `run(text)` gives `[{ translation_text }]`; a batch a bare one per input while `numReturnSequences` is 1. */
export interface TranslationSignature {
  input: string;
  options: TranslationOptions;
  item: TranslationResult;
  countOption: 'numReturnSequences';
}

// The result shapes of this package's tasks, for `load(spec, { task })` (each task's runner builds them;
// test/heads/typed-results.test.ts checks the shipped pipelines return what is declared here).
declare module '@recur/runtime' {
  interface TaskTypes {
    'text-classification': TextClassificationSignature;
    'sentiment-analysis': TextClassificationSignature;
    'text-generation': TextGenerationSignature;
    translation: TranslationSignature;
  }
}
