/**
 * How a chat message list becomes one prompt for a model that was not trained on chat. A template
 * is data, never code: each role has a pattern where `{content}` (and `{name}`, the optional
 * speaker name) are replaced by the message's text; nothing from a model file is evaluated.
 *
 * @example
 * renderChat([{ role: 'user', content: 'Hi' }], DEFAULT_CHAT_TEMPLATE)
 * // "User: Hi\nAssistant:"
 */
export interface ChatTemplate {
  /** Pattern for `system` (and `developer`) messages. @defaultValue `DEFAULT_CHAT_TEMPLATE.system` */
  readonly system: string;
  /** Pattern for `user` messages. @defaultValue `DEFAULT_CHAT_TEMPLATE.user` */
  readonly user: string;
  /** Pattern for earlier `assistant` messages. @defaultValue `DEFAULT_CHAT_TEMPLATE.assistant` */
  readonly assistant: string;
  /** Appended after the last message: where the model's answer starts. @defaultValue `DEFAULT_CHAT_TEMPLATE.generationPrompt` */
  readonly generationPrompt: string;
  /**
   * Stop sequences added to every chat request, so that the model does not write the user's next
   * turn. @defaultValue `DEFAULT_CHAT_TEMPLATE.stop`
   */
  readonly stop: readonly string[];
}

/** One chat message as OpenAI clients send it (text parts only). */
export interface ChatMessage {
  readonly role: 'system' | 'developer' | 'user' | 'assistant';
  readonly content: string | readonly { readonly type: 'text'; readonly text: string }[] | null;
  readonly name?: string;
}

export const DEFAULT_CHAT_TEMPLATE: ChatTemplate = Object.freeze({
  system: '{content}\n\n',
  user: 'User: {content}\n',
  assistant: 'Assistant: {content}\n',
  generationPrompt: 'Assistant:',
  stop: Object.freeze(['\nUser:']),
});

/** Text of a message: a string, or the `text` parts of a content array joined. */
export function messageText(message: ChatMessage): string {
  if (message.content === null || message.content === undefined) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => part.text).join('');
}

/** Renders the messages with the template and appends the generation prompt. */
export function renderChat(messages: readonly ChatMessage[], template: ChatTemplate): string {
  let prompt = '';
  for (const message of messages) {
    const pattern =
      message.role === 'user' ? template.user : message.role === 'assistant' ? template.assistant : template.system;
    prompt += fill(pattern, messageText(message), message.name ?? message.role);
  }
  return prompt + template.generationPrompt;
}

/** Replaces `{content}` and `{name}` in one pass, so text containing `{name}` is left alone. */
function fill(pattern: string, content: string, name: string): string {
  return pattern.replace(/\{(content|name)\}/g, (_m, key: string) => (key === 'content' ? content : name));
}
