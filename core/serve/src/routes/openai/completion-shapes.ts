import type { FinishReason } from '../../worker/protocol.js';

/** How one OpenAI route words its answers: `chat.completion` or `text_completion`. */
export interface CompletionShape {
  readonly idPrefix: string;
  readonly object: string;
  readonly chunkObject: string;
  /** A choice of the complete answer. */
  choice(index: number, text: string, finishReason: FinishReason): Record<string, unknown>;
  /** The choice that opens a stream (chat: the assistant role), if any. */
  opening(index: number): Record<string, unknown> | undefined;
  /** A choice carrying new text. */
  delta(index: number, text: string): Record<string, unknown>;
  /** The choice that closes a stream. */
  closing(index: number, finishReason: FinishReason): Record<string, unknown>;
}

export const CHAT_SHAPE: CompletionShape = {
  idPrefix: 'chatcmpl-',
  object: 'chat.completion',
  chunkObject: 'chat.completion.chunk',
  choice: (index, text, finishReason) => ({
    index,
    message: { role: 'assistant', content: text, refusal: null },
    logprobs: null,
    finish_reason: finishReason,
  }),
  opening: (index) => ({ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }),
  delta: (index, text) => ({ index, delta: { content: text }, logprobs: null, finish_reason: null }),
  closing: (index, finishReason) => ({ index, delta: {}, logprobs: null, finish_reason: finishReason }),
};

export const TEXT_SHAPE: CompletionShape = {
  idPrefix: 'cmpl-',
  object: 'text_completion',
  chunkObject: 'text_completion',
  choice: (index, text, finishReason) => ({ index, text, logprobs: null, finish_reason: finishReason }),
  opening: () => undefined,
  delta: (index, text) => ({ index, text, logprobs: null, finish_reason: null }),
  closing: (index, finishReason) => ({ index, text: '', logprobs: null, finish_reason: finishReason }),
};
