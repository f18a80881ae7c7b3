/**
 * @zwgk/chat-contract — what the zwgk bot engine and a chat platform adapter agree on: the incoming
 * message and event (with its acknowledge function), rendered messages, the {@link Adapter} interface and
 * the {@link AdapterError} base class whose `retryable` flag tells the engine whether to try again.
 *
 * It has no dependencies, so an adapter (or a tool that only wants one) does not install the engine and
 * its database driver.
 *
 * @example
 * import { AdapterError, type Adapter, type EventHandler } from '@zwgk/chat-contract';
 *
 * let handler: EventHandler | undefined;
 * const terminal: Adapter = {
 *   platform: 'terminal',
 *   style: 'text',
 *   async connect() {},
 *   async disconnect() {},
 *   onEvent(h) { handler = h; },
 *   async send(conversationId, message) { console.log(`[${conversationId}] ${message.text}`); return {}; },
 *   async reply(incoming, message, options) { return terminal.send(incoming.conversationId, message, options); },
 * };
 *
 * @packageDocumentation
 */

export type {
  Adapter,
  BlockKitMessage,
  EventHandler,
  IncomingEvent,
  IncomingMessage,
  MarkdownMessage,
  Mention,
  OutgoingFile,
  OutputStyle,
  RenderedMessage,
  SendOptions,
  SentMessage,
  TextMessage,
} from './adapter.js';
export { AdapterError, isRetryable } from './errors.js';
export type { AdapterErrorOptions } from './errors.js';
