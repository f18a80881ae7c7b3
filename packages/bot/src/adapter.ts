/**
 * The adapter contract, defined in `@zwgk/chat-contract` (dependency-free, so adapters need not install
 * the engine) and re-exported here for the engine's modules.
 */
export type {
  Adapter,
  Action,
  Block,
  EventHandler,
  IncomingEvent,
  IncomingMessage,
  Inline,
  Mention,
  OutgoingFile,
  OutgoingMessage,
  SendOptions,
  SentMessage,
} from '@zwgk/chat-contract';
export { AdapterError, actionsOf, isRetryable, renderPlainText } from '@zwgk/chat-contract';
