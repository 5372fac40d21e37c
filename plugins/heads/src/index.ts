import { classifierHead } from './classification/classifier-head.js';
import { textClassificationTask } from './classification/text-classification-task.js';
import { languageModelHead } from './generation/language-model-head.js';
import { textGenerationTask } from './generation/text-generation-task.js';
import { attentionDecoder } from './translation/attention-decoder.js';
import { seq2seqHead } from './translation/seq2seq-head.js';
import { translationTask } from './translation/translation-task.js';

// What run() of each task returns, declared to @recur/runtime's TaskTypes (typed `load(spec, { task })`).
export type { TextClassificationSignature, TextGenerationSignature, TranslationSignature } from './task-types.js';
export { classifierHead, type ClassifierHead, type ClassifierHeadOptions } from './classification/classifier-head.js';
export { textClassificationTask, type ClassificationOptions } from './classification/text-classification-task.js';
export { labelScores, type LabelScore } from './classification/label-scores.js';
export { pool, validMask, POOLINGS, type Pooling } from './pooling.js';
export { encodeBatch, readTextInputs, type TextBatch, type Truncation, type TruncationOptions } from './text-batch.js';

// Text generation: language-model head, task, continuous batching, sampling.
export {
  languageModelHead,
  lastValidStep,
  isLanguageModelHead,
  type LanguageModelHead,
  type LanguageModelHeadOptions,
} from './generation/language-model-head.js';
export { textGenerationTask, type GeneratedTextResult } from './generation/text-generation-task.js';
export {
  generateSchema,
  resolveGeneration,
  type GenerateSettings,
  type GenerationOptions,
  type GenerationEnd,
  type ResolvedGeneration,
} from './generation/generation-options.js';
export { buildLanguageModelGraph, stateShapeOf, LM_UNIT, type StateShape } from './generation/lm-graph.js';
export { LanguageModelSession, type BatchState, type LmRunResult } from './generation/lm-session.js';
export { GenerationScheduler, type SchedulerOptions } from './generation/generation-scheduler.js';
export {
  GenerationSequence,
  silentTokens,
  type FinishReason,
  type SequenceListener,
} from './generation/generation-sequence.js';
export { encodePrompt, type PromptIds } from './generation/prompt-ids.js';
export {
  chooseToken,
  applyRepetitionPenalty,
  suppressTokens,
  SeenTokens,
  type SamplingParams,
} from './sampling/token-sampler.js';
export { topKIndices, argMax } from './sampling/top-k.js';
export { GeneratedText, type TextStep } from './decoding/generated-text.js';
export { AsyncQueue } from './decoding/async-queue.js';
export { selectRows, concatRows, paddedBatch } from './decoding/batch-rows.js';

// Translation: attention decoder, seq2seq head, task, greedy and beam search.
export {
  attentionDecoder,
  attentionDecoderOutputDim,
  type AttentionDecoder,
  type AttentionDecoderOptions,
} from './translation/attention-decoder.js';
export {
  ATTENTIONS,
  attend,
  bahdanauAttention,
  luongAttention,
  type Attention,
  type AttentionKind,
} from './translation/attention.js';
export {
  isSeq2SeqDecoder,
  type Seq2SeqDecoderPart,
  type DecoderGraph,
  type DecoderSizes,
  type DecoderState,
  type DecoderStepOutputs,
  type AttentionMemory,
} from './translation/decoder-contract.js';
export {
  seq2seqHead,
  isSeq2SeqHead,
  type Seq2SeqHead,
  type Seq2SeqHeadOptions,
  type SearchSettings,
} from './translation/seq2seq-head.js';
export { translationTask, type TranslationResult } from './translation/translation-task.js';
export { resolveSearch, type TranslationOptions, type ResolvedSearch } from './translation/search-options.js';
export {
  buildEncoderGraph,
  buildDecoderStepGraph,
  TRANSLATION_UNITS,
  type TranslationParts,
} from './translation/translation-graphs.js';
export { greedySearch } from './translation/greedy-search.js';
export { beamSearch } from './translation/beam-search.js';
export {
  normalisedScore,
  type StepModel,
  type TopCandidates,
  type Hypothesis,
  type SearchSettingsResolved,
  type BeamSettings,
} from './translation/search-contract.js';
export { OnnxStepModel, type EncodedSources } from './translation/onnx-step-model.js';

/** Every head, decoder and task plugin of this package. */
export const builtinHeads = [
  classifierHead,
  textClassificationTask,
  languageModelHead,
  textGenerationTask,
  attentionDecoder,
  seq2seqHead,
  translationTask,
] as const;
