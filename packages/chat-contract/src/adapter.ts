/**
 * The contract between the engine and a chat platform. The engine never imports a platform SDK: a
 * DingTalk, Slack, terminal or in-memory adapter implements {@link Adapter} and the engine talks to it
 * through normalised messages and the neutral {@link OutgoingMessage}, which each adapter renders.
 */

import type { OutgoingMessage } from './message.js';

/** A person mentioned in a message (or to mention in a reply). */
export interface Mention {
  /** Platform user id (DingTalk staff id, Slack user id …). */
  id: string;
  /** Display name as the platform shows it. */
  name: string;
}

/**
 * An incoming chat message, normalised by the adapter.
 *
 * The adapter removes the bot's own @-mention from `text` and from `mentions`; everything else is kept as
 * the person typed it (the engine does the forgiving parsing).
 */
export interface IncomingMessage {
  /** Adapter platform id, e.g. `dingtalk`, `slack`, `terminal`, `memory`. */
  platform: string;
  /** Platform conversation id: the group chat, or the one-to-one chat. */
  conversationId: string;
  /** Group name as the platform shows it, when known. */
  conversationTitle?: string;
  /** Platform message id; a redelivered message carries the same id and is counted once. */
  messageId: string;
  senderId: string;
  senderName: string;
  /** Message text with the bot mention removed. */
  text: string;
  /** Other people @-mentioned in the message, in order. */
  mentions: Mention[];
  /** True for a group chat, false for a one-to-one chat with the bot. */
  isGroup: boolean;
  /** When the platform received the message. Informational: the engine records times from its own clock. */
  receivedAt?: Date;
  /** Adapter-private data the adapter needs to reply (e.g. DingTalk's session webhook). */
  raw?: unknown;
  /** Set when the message is a tap on a button the bot sent, not typed text; `text` then holds the button's command. */
  action?: { id: string; sourceMessageId?: string };
}

/** Options of {@link Adapter.send} and {@link Adapter.reply}. */
export interface SendOptions {
  /** People to @-mention (the message's mention spans name them; the adapter adds platform mention data). */
  mentions?: Mention[];
  /**
   * Called once, immediately before the send's first request leaves (after any local rate-limit wait),
   * and awaited: the engine marks the send as started there, so that only a crash inside the request's
   * own round trip leaves it uncertain. When it rejects, the adapter sends nothing and rejects with that
   * error. An adapter that makes no request may skip it.
   */
  beforeRequest?: () => Promise<void>;
}

/** What {@link Adapter.send} returns: the platform id of the sent message, when the platform gives one. */
export interface SentMessage {
  messageId?: string;
}

/** A file to hand to people, when the platform can (see {@link Adapter.sendFile}). */
export interface OutgoingFile {
  filename: string;
  mimeType: string;
  content: string | Uint8Array;
}

/**
 * One delivery of an incoming message, as the adapter hands it to the engine (like bolt's
 * `ReceiverEvent`): the normalised message and the function that acknowledges this delivery to the
 * platform. The engine alone decides when to call `ack`: after the message's effect is committed and its
 * reply sent, or for a message it has handled before. It never calls it when handling failed for a
 * transient reason, so a platform that redelivers unacknowledged messages (DingTalk Stream, Slack Socket
 * Mode) delivers it again. A platform without acknowledgements passes a function that does nothing.
 */
export interface IncomingEvent {
  message: IncomingMessage;
  /**
   * Acknowledges this delivery. Called at most once per event by the engine. Resolves to false (never
   * rejects) when the acknowledgement could not be sent, e.g. the connection is gone; the platform then
   * redelivers and the engine answers from what it stored.
   */
  ack(): Promise<boolean>;
}

/**
 * The engine's side of {@link Adapter.onEvent}. The adapter need not wait for the returned promise; it
 * settles once the engine is done with the event (acknowledged, or left for redelivery) and never rejects.
 */
export type EventHandler = (event: IncomingEvent) => Promise<void>;

/**
 * A chat platform connection: transport only. Implementations: `@zwgk/dingtalk`, `@zwgk/slack`, the app's terminal
 * adapter, and the in-memory adapter of `@zwgk/test-kit`.
 *
 * @example
 * let handler: EventHandler = async () => {};
 * const terminal: Adapter = {
 *   platform: 'terminal',
 *   async connect() {},
 *   async disconnect() {},
 *   onEvent(h) { handler = h; },
 *   async send(conversationId, message) { console.log(`[${conversationId}] ${renderPlainText(message)}`); return {}; },
 *   async reply(incoming, message, options) { return terminal.send(incoming.conversationId, message, options); },
 * };
 */
export interface Adapter {
  /** Platform id; incoming messages carry it in {@link IncomingMessage.platform}. */
  readonly platform: string;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /**
   * Registers the (single) handler of incoming events; a later call replaces it. The adapter hands over
   * every delivery it receives (redeliveries included) and does not deduplicate, track or acknowledge
   * them itself: the engine does.
   */
  onEvent(handler: EventHandler): void;
  /** Sends a message to a conversation (weekly digests, nudges). */
  send(conversationId: string, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage>;
  /** Replies to an incoming message (in its conversation; threaded where the platform threads). */
  reply(incoming: IncomingMessage, message: OutgoingMessage, options?: SendOptions): Promise<SentMessage>;
  /** Optional: the platform shows a message's actions as buttons (DingTalk ActionCard or card, Slack buttons). */
  readonly supportsButtons?: boolean;
  /** Optional: replaces a message sent earlier (e.g. a card after one of its buttons was tapped). */
  update?(conversationId: string, messageId: string, message: OutgoingMessage): Promise<void>;
  /** Optional: posts a file to a conversation (used by 导出 / export). */
  sendFile?(conversationId: string, file: OutgoingFile): Promise<SentMessage>;
}
