/**
 * Public data shapes of the emulator: apps, groups, the messages a group shows, stream deliveries
 * and connections. These are also the JSON bodies of the control API (`/_emulator/*`).
 */

/** A DingTalk app with a Stream-mode robot, as the emulator knows it. */
export interface EmulatorApp {
  /** The app's OAuth client id (formerly AppKey). */
  clientId: string;
  /** The app's OAuth client secret (formerly AppSecret). */
  clientSecret: string;
  /** The robot's code, used by `groupMessages/send`. */
  robotCode: string;
  /** Display name of the robot on the web page. Default `'政务公开助手'`. */
  name?: string;
}

/** A group member. */
export interface Member {
  /** The member's staff id (userId) in the organisation. */
  staffId: string;
  /** Display name. */
  nick: string;
  /** Whether DingTalk reports the member as an organisation admin (`isAdmin` in callbacks). Default false. */
  isAdmin?: boolean;
}

/** A group chat with the robot in it. */
export interface Group {
  /** The open conversation id (`conversationId` in callbacks, `openConversationId` for sends). */
  conversationId: string;
  /** The group's title (`conversationTitle`). */
  title: string;
  /** Members, in display order. */
  members: Member[];
}

/** Input of {@link Emulator.createGroup} and `POST /_emulator/groups`. */
export interface GroupInput {
  title: string;
  members: Array<{ staffId: string; nick?: string; isAdmin?: boolean }>;
  /** Chosen id; generated (`cid…==`) when absent. */
  conversationId?: string;
}

/** How a message reached the group. */
export type MessageVia = 'user' | 'sessionWebhook' | 'openapi';

/** A button of an ActionCard. */
export interface ActionCardButton {
  title: string;
  url: string;
}

/** A button of an interactive card, one entry of the template's button list. */
export interface CardButton {
  /** The button's label. */
  text: string;
  /** The callback's `cardPrivateData.actionIds[0]`. Default: the template's `buttonActionId`. */
  actionId?: string;
  /** `blue` (default), `red` or `gray`. */
  color?: 'blue' | 'red' | 'gray';
  /** The callback's `cardPrivateData.params` (string values). Default `{}`. */
  params?: Record<string, string>;
}

/** An interactive card as a group shows it: the template's variables read from its `cardParamMap`. */
export interface CardView {
  outTrackId: string;
  cardTemplateId: string;
  title: string;
  markdown: string;
  buttons: CardButton[];
  /** The card's public data as the bot set it (every value a string). */
  cardParamMap: Record<string, string>;
  /** 1 when delivered, +1 per update. */
  version: number;
  /** Whether clicks reach the bot over the Stream connection (`callbackType: 'STREAM'`). */
  streamCallbacks: boolean;
}

/** Every message shape the web page renders. */
export type MessageType = 'text' | 'markdown' | 'actionCard' | 'link' | 'image' | 'card';

/** One message as the group shows it (users' messages and the robot's, in order). */
export interface ChatMessage {
  /** Emulator-wide unique message id (`msgId` of the callback for users' messages). */
  msgId: string;
  conversationId: string;
  /** The sender: a member, or `'bot'` for the robot. */
  from: { staffId: string; nick: string } | 'bot';
  /** The robot that sent it (bot messages only). */
  robotCode?: string;
  msgtype: MessageType;
  /** Plain text (msgtype `text`). For users' messages: what they typed, without the @robot mention. */
  text?: string;
  markdown?: { title: string; text: string };
  actionCard?: { title: string; text: string; buttons: ActionCardButton[]; btnOrientation: '0' | '1' };
  link?: { title: string; text: string; messageUrl: string; picUrl?: string };
  image?: { photoURL: string };
  /** An interactive card (msgtype `card`), as delivered by `createAndDeliver` and changed by updates. */
  card?: CardView;
  /** Staff ids @-mentioned by the message. */
  atUserIds: string[];
  /** Whether the message @-mentions everyone. */
  isAtAll: boolean;
  /** When the emulator received it, ms since the epoch. */
  createdAt: number;
  via: MessageVia;
}

/** One delivery attempt of a stream message. */
export interface DeliveryAttempt {
  at: number;
  connectionId: string;
}

/** Ack tracking for one robot-message CALLBACK (one per user message). */
export interface DeliveryRecord {
  /** The stream `headers.messageId`; the same on every redelivery. */
  messageId: string;
  /** The chat message it carries. */
  msgId: string;
  conversationId: string;
  clientId: string;
  topic: string;
  /**
   * `queued`: no connection subscribed to the topic yet; `pending`: sent, waiting for an ack;
   * `acked`; `failed`: redeliveries exhausted without an ack.
   */
  status: 'queued' | 'pending' | 'acked' | 'failed';
  attempts: DeliveryAttempt[];
  ackedAt?: number;
  /** Acks the emulator ignored because of a `dropAcks` fault. */
  droppedAcks: number;
}

/** A stream (WebSocket) connection. */
export interface ConnectionInfo {
  connectionId: string;
  clientId: string;
  ua: string;
  subscriptions: Array<{ type: string; topic: string }>;
  openedAt: number;
  /** A SYSTEM disconnect was sent; the socket closes after the grace period. */
  closing: boolean;
  pingsSent: number;
  pingsAnswered: number;
  /** Client frames that were not JSON or not a response frame (logged, ignored). */
  malformedFrames: number;
}

/** Faults to inject, body of `POST /_emulator/faults`. Counts add to what is left. */
export interface FaultInput {
  /** Ignore the next n acks of robot-message callbacks, so they are redelivered. */
  dropAcks?: number;
  /** Send SYSTEM disconnect to every connection (or one app's) and close them after the grace period. */
  disconnect?: boolean | { graceMs?: number; reason?: string; clientId?: string };
  /** Throttle the next `count` sends. */
  throttle?: { count: number; status?: 403 | 429; target?: SendTarget };
  /** Fail the next `count` sends with a server error. */
  failSends?: { count: number; status?: number; target?: SendTarget };
  /** Invalidate every access token issued so far. */
  expireTokens?: boolean;
  /** Expire every session webhook issued so far. */
  expireSessions?: boolean;
  /**
   * Accept the next `count` sends (the message reaches the group) but hold the HTTP answer back `ms`
   * milliseconds: past the client's timeout, the sender cannot know that the message arrived.
   */
  delayAnswers?: { count: number; ms: number; target?: SendTarget };
  /** Accept the next `count` sends (the message reaches the group), then cut the connection without an answer. */
  dropAnswers?: { count: number; target?: SendTarget };
  /**
   * Make the next `count` calls of the Stream gateway's `connections/open` fail: with HTTP `status`
   * (default 503), or with a cut connection when `status` is 0.
   */
  gatewayDown?: { count: number; status?: number };
  /**
   * Push malformed frames to every open stream connection now: `true` sends the built-in set (not JSON,
   * JSON that is not an object, missing headers, bad `data`, unknown types and topics, a robot callback
   * whose data lacks fields); a list sends those raw texts.
   */
  malformedFrames?: true | string[];
}

/**
 * Which send path a fault applies to: `openapi` (robot messages and the interactive-card calls, which are
 * OpenAPI calls too), `card` (only the card calls: `createAndDeliver` and the card update `PUT
 * /v1.0/card/instances`), `webhook` (session webhooks) or `any`.
 */
export type SendTarget = 'openapi' | 'webhook' | 'card' | 'any';

/** Faults still armed. */
export interface FaultState {
  dropAcks: number;
  throttle: { count: number; status: 403 | 429; target: SendTarget };
  failSends: { count: number; status: number; target: SendTarget };
  delayAnswers: { count: number; ms: number; target: SendTarget };
  dropAnswers: { count: number; target: SendTarget };
  gatewayDown: { count: number; status: number };
}

/** Send-rate limits (sliding one-minute windows) and size limits. */
export interface Limits {
  /** Robot sends per app per minute (OpenAPI and session webhook together). Unlimited when absent. */
  appPerMinute?: number;
  /** Robot sends per group per minute. Unlimited when absent. */
  groupPerMinute?: number;
  /** Length of the sliding windows of `appPerMinute` and `groupPerMinute`, in ms. Default 60 000 (a minute); tests shorten it. */
  windowMs?: number;
  /** Max UTF-8 bytes of `msgParam` (DingTalk documents 15 000). */
  maxMsgParamBytes: number;
  /** Max UTF-8 bytes of a session-webhook message's content (DingTalk: 20 000). */
  maxWebhookBytes: number;
}

/** Counters of what the emulator did, for assertions. */
export interface Counters {
  tokensIssued: number;
  gatewayOpens: number;
  openapiSends: number;
  webhookSends: number;
  throttled: number;
  failedSends: number;
  rejectedSends: number;
  callbacksSent: number;
  redeliveries: number;
  acks: number;
  pings: number;
  pingEchoes: number;
  malformedFrames: number;
  /** Sends accepted whose answer was held back by a `delayAnswers` fault. */
  delayedAnswers: number;
  /** Sends accepted whose answer was never given (`dropAnswers`). */
  droppedAnswers: number;
  /** `connections/open` calls failed by a `gatewayDown` fault. */
  gatewayRefusals: number;
  /** Malformed frames pushed to clients by a `malformedFrames` fault. */
  malformedFramesSent: number;
}

/** `GET /_emulator/state`. */
export interface EmulatorSnapshot {
  url: string;
  apps: Array<{ clientId: string; robotCode: string; name: string }>;
  connections: ConnectionInfo[];
  /** Deliveries not yet acked (queued or pending). */
  pendingAcks: DeliveryRecord[];
  deliveries: DeliveryRecord[];
  faults: FaultState;
  limits: Limits;
  counters: Counters;
}

/** An event on `GET /_emulator/events` (Server-Sent Events; `event:` is the type). */
export type EmulatorEvent =
  | { type: 'group'; group: Group }
  | { type: 'message'; message: ChatMessage }
  /** A message changed in place (an interactive card was updated). */
  | { type: 'messageUpdate'; message: ChatMessage }
  | { type: 'delivery'; delivery: DeliveryRecord }
  | { type: 'connection'; connection: ConnectionInfo; state: 'open' | 'closing' | 'closed' }
  | { type: 'reset' };

/** Expected failures: `{ success: false, error }` with the HTTP status the control API answers. */
export type Result<T> = { success: true; data: T } | { success: false; error: { status: number; message: string } };
