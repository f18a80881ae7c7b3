/**
 * @zwgk/chat-contract — what the zwgk bot engine and a chat platform adapter agree on: the incoming
 * message and event (with its acknowledge function), the neutral outgoing message model (with actions) and a
 * plain-text renderer of it, the {@link Adapter} interface and
 * the {@link AdapterError} base class whose `retryable` flag tells the engine whether to try again.
 *
 * It has no dependencies, so an adapter (or a tool that only wants one) does not install the engine and
 * its database driver.
 *
 * @example
 * import { AdapterError, renderPlainText, type Adapter, type EventHandler } from '@zwgk/chat-contract';
 *
 * let handler: EventHandler | undefined;
 * const terminal: Adapter = {
 *   platform: 'terminal',
 *   async connect() {},
 *   async disconnect() {},
 *   onEvent(h) { handler = h; },
 *   async send(conversationId, message) { console.log(`[${conversationId}] ${renderPlainText(message)}`); return {}; },
 *   async reply(incoming, message, options) { return terminal.send(incoming.conversationId, message, options); },
 * };
 *
 * @packageDocumentation
 */

export type {
  Adapter,
  EventHandler,
  IncomingEvent,
  IncomingMessage,
  Mention,
  OutgoingFile,
  SendOptions,
  SentMessage,
} from './adapter.js';
export type {
  Action,
  ActionsBlock,
  Block,
  BreakSpan,
  ContextBlock,
  DividerBlock,
  FieldsBlock,
  HeadingBlock,
  Inline,
  LinkSpan,
  ListBlock,
  ListItem,
  MentionSpan,
  OutgoingMessage,
  ParagraphBlock,
  PlainTextOptions,
  TableBlock,
  TextSpan,
} from './message.js';
export { actionsOf, cleanText, cleanUrl, plainInline, renderPlainText, withoutActions } from './message.js';
export { AdapterError, isRetryable } from './errors.js';
export type { AdapterErrorOptions } from './errors.js';
