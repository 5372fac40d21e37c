/** Data readers and batching for training and evaluation. */
export { isGzip, readDataBytes, readDataLines, splitDataLines, splitText, type DataLines } from './read-data-file.js';
export {
  BadRecords,
  requireRecords,
  type BadRecordPolicy,
  type ReadResult,
  type SkipCounts,
  type SkipReason,
} from './bad-records.js';
export { LabelResolver } from './label-resolver.js';
export type { LabeledText, TextPair, CommonReadOptions, ColumnRef, HeaderMode } from './record-types.js';
export { readClassificationTsv, parseClassificationTsv, type ClassificationTsvOptions } from './tsv-classification.js';
export {
  readParallelFiles,
  pairLines,
  readParallelTsv,
  parseParallelTsv,
  type ParallelTsvOptions,
} from './parallel-text.js';
export { readPlainText, splitDevTail, type PlainText, type TextSplit } from './plain-text.js';
export {
  readLabeledJsonl,
  parseLabeledJsonl,
  readParallelJsonl,
  parseParallelJsonl,
  type LabeledJsonlOptions,
  type ParallelJsonlOptions,
} from './jsonl.js';
export { planEpoch, type Batch, type BatchPlanOptions, type Bucketing } from './batch-plan.js';
export { BatchSampler, type BatchCursor, type SampledBatch } from './batch-sampler.js';
export { padTimeMajor, type PaddedBatch } from './pad-batch.js';
export { castChanges, speechesOf, splitDevAtCastChange, CAST_NEAR, CAST_FAR, type Speech } from './cast-changes.js';
export { planRandomWindows, type RandomWindowPlan } from './random-windows.js';
export { StreamWindows, type StreamWindow, type StreamWindowOptions, type StreamCursor } from './stream-windows.js';
export { epochRandom, shuffleInPlace, fingerprintLengths } from './shuffle.js';
export { readDataset, type Dataset, type DatasetRequest } from './read-dataset.js';
