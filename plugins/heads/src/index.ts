import { classifierHead } from './classification/classifier-head.js';
import { textClassificationTask } from './classification/text-classification-task.js';

export { classifierHead, type ClassifierHead, type ClassifierHeadOptions } from './classification/classifier-head.js';
export { textClassificationTask, type ClassificationOptions } from './classification/text-classification-task.js';
export { labelScores, type LabelScore } from './classification/label-scores.js';
export { pool, validMask, POOLINGS, type Pooling } from './pooling.js';
export { encodeBatch, readTextInputs, type TextBatch, type Truncation, type TruncationOptions } from './text-batch.js';

/** Every head and task plugin of this package. */
export const builtinHeads = [classifierHead, textClassificationTask] as const;
