/**
 * The adapter contract, defined in `@zwgk/chat-contract` (dependency-free, so adapters need not install
 * the engine) and re-exported here for the engine's modules.
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
} from '@zwgk/chat-contract';
export { AdapterError, isRetryable } from '@zwgk/chat-contract';
