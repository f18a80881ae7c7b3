import type { DWClientDownStream } from 'dingtalk-stream';
import { actionsOf, plainInline, withoutActions, type Adapter, type EventHandler, type IncomingMessage, type Mention, type OutgoingMessage, type SendOptions, type SentMessage } from '@zwgk/chat-contract';
import { parseCardCallback } from './card-callback.js';
import { resolveConfig, type DingTalkAdapterOptions, type ResolvedConfig, type SharedRateLimiter } from './config.js';
import { DingTalkApiError, DingTalkAuthError } from './errors.js';
import { mentionNames, planMessage, renderDingTalk, toOpenApiMessage, toWebhookBody, type DingTalkMessage, type DingTalkPart } from './format.js';
import { Lru } from './lru.js';
import { DINGTALK_PLATFORM, parseRobotMessage, type DingTalkRaw } from './parse.js';
import { classifyOpenApi, classifyWebhook, createHttpClient, type HttpClient } from './transport/http.js';
import { createCardClient, toCardParamMap, type DingTalkCardClient } from './transport/card.js';
import { createRateLimiter } from './transport/rate.js';
import { DingTalkStreamClient, type Delivery, type StreamState } from './transport/stream.js';
import { createTokenProvider, withFreshToken, type TokenProvider } from './transport/token.js';

/** Health of a {@link DingTalkAdapter}. */
export type DingTalkAdapterState = StreamState;

/**
 * The DingTalk adapter: the bot engine's `Adapter` over the Stream gateway (`dingtalk-stream`) and the
 * robot OpenAPI. It renders the engine's messages as markdown, their buttons as an ActionCard
 * ({@link renderDingTalk}); it also takes a message already rendered for DingTalk ({@link DingTalkMessage}).
 */
export interface DingTalkAdapter extends Adapter {
  readonly platform: 'dingtalk';
  readonly supportsButtons: true;
  /** Sends to a group through the robot OpenAPI (`groupMessages/send`); a one-to-one chat the bot has seen goes through `oToMessages/batchSend`. */
  send(conversationId: string, message: OutgoingMessage | DingTalkMessage, options?: SendOptions): Promise<SentMessage>;
  /** Replies through the message's session webhook while it is valid (with @-mentions), otherwise like {@link DingTalkAdapter.send}. */
  reply(incoming: IncomingMessage, message: OutgoingMessage | DingTalkMessage, options?: SendOptions): Promise<SentMessage>;
  /**
   * Interactive cards (create and deliver, update), when `cards.templateId` is configured; undefined
   * otherwise (the engine then sends markdown and ActionCards). Taps on a card's buttons arrive through
   * `onEvent` like typed messages, with `message.action` set and `text` the button's command.
   */
  readonly cards: DingTalkCardClient | undefined;
  /** Connection and handling state, for health checks. */
  state(): DingTalkAdapterState;
}

interface Conversation {
  isGroup: boolean;
  /** The other person of a one-to-one chat. */
  userId?: string;
  webhook?: { url: string; expiresAt: number };
}

/** Everything the adapter is made of; tests build it with fakes. */
interface Parts {
  config: ResolvedConfig;
  http: HttpClient;
  tokens: TokenProvider;
  limiter: SharedRateLimiter;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readRaw(raw: unknown): Partial<DingTalkRaw> {
  return raw !== null && typeof raw === 'object' ? (raw as Partial<DingTalkRaw>) : {};
}

/**
 * Creates the DingTalk adapter. Options are validated once (a bad option throws a
 * {@link DingTalkConfigError} naming it); nothing touches the network before `connect()`.
 *
 * - Incoming: every robot-message CALLBACK becomes an `IncomingEvent` (platform `dingtalk`) carrying the
 *   frame's acknowledgement; the engine deduplicates and decides when to acknowledge (redeliveries are
 *   handed over like first deliveries). Unreadable messages are logged, acknowledged and dropped.
 * - Outgoing: replies through the session webhook while it is valid, otherwise — and for `send` — through
 *   the robot OpenAPI with a cached access token; markdown, ActionCards, @-mentions (`atUserIds`), long
 *   messages split into numbered parts; per-group and per-app rate limits; retries with jittered backoff on
 *   throttling and 5xx; {@link DingTalkAuthError} for bad credentials.
 * - Connection: the `dingtalk-stream` client against `{apiBase}`, reconnecting after any drop.
 *
 * @example
 * import { createDingTalkAdapter } from '@zwgk/dingtalk';
 * import { createBot, openStore } from '@zwgk/bot';
 * import { getPlan } from '@zwgk/sdk/qinyuan';
 *
 * const dingtalk = createDingTalkAdapter({
 *   clientId: process.env.DINGTALK_CLIENT_ID!,
 *   clientSecret: process.env.DINGTALK_CLIENT_SECRET!,
 *   robotCode: process.env.DINGTALK_ROBOT_CODE!,
 *   // apiBase: 'http://127.0.0.1:8790' to talk to @zwgk/dingtalk-emulator
 * });
 * const bot = createBot({ plan: getPlan('qinyuan-2022'), store: await openStore(), adapters: [dingtalk] });
 * await bot.start(); // connects the adapter
 */
export function createDingTalkAdapter(options: DingTalkAdapterOptions): DingTalkAdapter {
  const config = resolveConfig(options);
  const http = createHttpClient(config);
  const tokens = createTokenProvider(config, http);
  const limiter: SharedRateLimiter =
    config.rate === false
      ? { acquire: async () => {} }
      : config.rateLimiter
        ? config.rateLimiter
        : createRateLimiter({ ...config.rate, clock: config.clock, sleep: config.sleep });
  return buildAdapter({ config, http, tokens, limiter });
}

/** Buttons one interactive card carries at most (zwgk's card template; the emulator refuses more, as DingTalk does). */
const MAX_CARD_BUTTONS = 20;

function buildAdapter({ config, http, tokens, limiter }: Parts): DingTalkAdapter {
  const { logger: log, clock } = config;
  const conversations = new Lru<string, Conversation>(10_000);
  const robotNames = config.robotName ? [config.robotName] : [];
  // A card callback carries only the user id; names come from the robot messages seen.
  const names = new Lru<string, string>(10_000);
  const cards = config.cards ? createCardClient({ config: { ...config, cards: config.cards }, http, tokens, limiter }) : undefined;
  let handler: EventHandler | undefined;
  let accepting = false;

  function remember(message: IncomingMessage & { raw: DingTalkRaw }, session: { url: string; expiresAt: number } | undefined): void {
    const known = conversations.get(message.conversationId);
    const next: Conversation = { isGroup: message.isGroup };
    if (!message.isGroup && message.raw.senderStaffId) next.userId = message.raw.senderStaffId;
    const webhook = session && (!known?.webhook || session.expiresAt >= known.webhook.expiresAt) ? session : known?.webhook;
    if (webhook) next.webhook = webhook;
    conversations.set(message.conversationId, next);
  }

  function onRobotFrame(frame: DWClientDownStream, delivery: Delivery): void {
    if (!accepting) return;
    const parsed = parseRobotMessage(frame.data, { robotNames });
    if (!parsed.success) {
      log.warn({ frameMessageId: delivery.frameMessageId, err: parsed.error }, 'dingtalk: unreadable robot message acknowledged and dropped');
      delivery.ack();
      return;
    }
    const { message, session } = parsed.data;
    remember(message, session);
    if (message.raw.senderStaffId && message.senderName !== message.raw.senderStaffId) names.set(message.raw.senderStaffId, message.senderName);
    const current = handler;
    if (!current) {
      log.warn({ messageId: message.messageId }, 'dingtalk: no event handler registered; left unacknowledged for redelivery');
      return;
    }
    const ack = async (): Promise<boolean> => {
      const sent = delivery.ack();
      if (!sent) log.warn({ messageId: message.messageId }, 'dingtalk: connection gone before the ack; DingTalk will redeliver');
      return sent;
    };
    current({ message, ack }).catch((error: unknown) => {
      log.error({ messageId: message.messageId, err: errorText(error) }, 'dingtalk: event handler failed');
    });
  }

  function onCardFrame(frame: DWClientDownStream, delivery: Delivery): void {
    if (!accepting) return;
    const parsed = parseCardCallback(frame.data, { frameMessageId: delivery.frameMessageId, nameOf: (id) => names.get(id) });
    if (!parsed.success) {
      log.warn({ frameMessageId: delivery.frameMessageId, err: parsed.error }, 'dingtalk: unreadable card callback acknowledged and dropped');
      delivery.ack();
      return;
    }
    const message = parsed.data;
    if (!conversations.has(message.conversationId)) conversations.set(message.conversationId, { isGroup: true });
    const current = handler;
    if (!current) {
      log.warn({ messageId: message.messageId }, 'dingtalk: no event handler registered; card callback left unacknowledged for redelivery');
      return;
    }
    const ack = async (): Promise<boolean> => {
      const sent = delivery.ack();
      if (!sent) log.warn({ messageId: message.messageId }, 'dingtalk: connection gone before the ack; DingTalk will redeliver');
      return sent;
    };
    current({ message, ack }).catch((error: unknown) => {
      log.error({ messageId: message.messageId, err: errorText(error) }, 'dingtalk: event handler failed');
    });
  }

  const stream = new DingTalkStreamClient({ config, http, onRobotFrame, ...(cards ? { onCardFrame } : {}) });

  const withToken = <T>(call: (token: string) => Promise<T>): Promise<T> => withFreshToken(tokens, config.clientId, call);

  /** The `beforeRequest` of a send, run once, right before its first request (after the rate limiter). */
  function onceBefore(hook: (() => Promise<void>) | undefined): () => Promise<void> {
    let done = false;
    return async () => {
      if (done || !hook) return;
      done = true;
      await hook();
    };
  }

  async function sendPartOpenApi(conversationId: string, part: DingTalkPart, before: () => Promise<void>): Promise<string | undefined> {
    const { msgKey, msgParam } = toOpenApiMessage(part);
    const conversation = conversations.get(conversationId);
    const single = conversation && !conversation.isGroup && conversation.userId ? conversation.userId : undefined;
    const url = single ? `${config.apiBase}/v1.0/robot/oToMessages/batchSend` : `${config.apiBase}/v1.0/robot/groupMessages/send`;
    const body = single ? { robotCode: config.robotCode, userIds: [single], msgKey, msgParam } : { robotCode: config.robotCode, openConversationId: conversationId, msgKey, msgParam };
    const answer = await withToken((token) =>
      http.post({
        what: `send ${msgKey} to ${conversationId}`,
        url,
        body,
        headers: { 'x-acs-dingtalk-access-token': token },
        classify: classifyOpenApi,
        beforeAttempt: async () => {
          await limiter.acquire(conversationId);
          await before();
        },
        // The engine retries (outbox, redelivery) by the error's `retryable`: one layer only.
        attempts: 1,
      }),
    );
    const key = (answer as { processQueryKey?: unknown } | null)?.processQueryKey;
    return typeof key === 'string' ? key : undefined;
  }

  async function sendOpenApi(conversationId: string, parts: DingTalkPart[], before: () => Promise<void>): Promise<SentMessage> {
    let messageId: string | undefined;
    for (const part of parts) messageId = (await sendPartOpenApi(conversationId, part, before)) ?? messageId;
    return messageId === undefined ? {} : { messageId };
  }

  function validWebhook(incoming: IncomingMessage): { url: string; expiresAt: number } | undefined {
    const raw = readRaw(incoming.raw);
    const candidates = [conversations.get(incoming.conversationId)?.webhook];
    if (typeof raw.sessionWebhook === 'string' && typeof raw.sessionWebhookExpiredTime === 'number') {
      candidates.push({ url: raw.sessionWebhook, expiresAt: raw.sessionWebhookExpiredTime });
    }
    const deadline = clock().getTime() + config.webhookMarginMs;
    return candidates.filter((c): c is { url: string; expiresAt: number } => c !== undefined && c.expiresAt > deadline).sort((a, b) => b.expiresAt - a.expiresAt)[0];
  }

  /** The message as DingTalk markdown: an engine message is rendered, a DingTalk message taken as it is. */
  function toDingTalk(conversationId: string, message: OutgoingMessage | DingTalkMessage, mentions: readonly Mention[]): DingTalkMessage {
    if (typeof conversationId !== 'string' || conversationId === '') throw new TypeError('dingtalk: conversationId must be a non-empty string');
    if (message && Array.isArray((message as OutgoingMessage).blocks)) return renderDingTalk(message as OutgoingMessage, { mentions: mentions.length > 0 });
    if (!message || typeof (message as DingTalkMessage).text !== 'string') throw new TypeError('dingtalk: message must be a message with blocks, or markdown text');
    return message as DingTalkMessage;
  }

  /** A card's variables for an engine message: its markdown without the buttons, and the buttons as card buttons. */
  function cardParams(message: OutgoingMessage): Record<string, string> {
    const actions = actionsOf(message);
    // More buttons than a card takes: the first ones stay buttons, the rest become links in the text (as
    // markdown shows every action), so no action is lost and DingTalk does not refuse the card.
    const kept = new Set(actions.slice(0, MAX_CARD_BUTTONS));
    const blocks =
      actions.length > MAX_CARD_BUTTONS
        ? message.blocks.flatMap((b): Array<OutgoingMessage['blocks'][number]> =>
            b.type !== 'actions' ? [b] : b.actions.some((a) => !kept.has(a)) ? [{ ...b, actions: b.actions.filter((a) => !kept.has(a)) }] : [],
          )
        : withoutActions(message).blocks;
    const [first, ...rest] = blocks;
    // The template shows `title` as the card's heading: a leading heading becomes it instead of showing twice.
    const heading = first?.type === 'heading' && rest.some((b) => b.type !== 'actions') ? first : undefined;
    const rendered = renderDingTalk({ ...message, blocks: heading ? rest : blocks }, { actionCard: false });
    return toCardParamMap({ title: heading ? plainInline(heading.content) : rendered.title, markdown: rendered.text, actions: [...kept] });
  }

  /**
   * An engine message with buttons goes to a group as an interactive card when a card template is
   * configured; its `outTrackId` is the message id (taps carry it as `sourceMessageId`). Null: not a card.
   */
  async function sendCard(conversationId: string, outgoing: OutgoingMessage | DingTalkMessage, mentions: readonly Mention[], isGroup: boolean, beforeRequest?: () => Promise<void>): Promise<SentMessage | null> {
    if (!cards || !isGroup || !outgoing || !Array.isArray((outgoing as OutgoingMessage).blocks)) return null;
    const message = outgoing as OutgoingMessage;
    if (actionsOf(message).length === 0) return null;
    const atUserIds = mentions.map((m) => m.id).filter((id) => id !== '');
    const { outTrackId } = await cards.createAndDeliver({
      conversationId,
      cardParamMap: cardParams(message),
      ...(atUserIds.length > 0 ? { atUserIds } : {}),
      preview: message.title,
      // The engine's send marker, right before the request as for any other message.
      ...(beforeRequest ? { beforeRequest } : {}),
    });
    return { messageId: outTrackId };
  }

  const adapter: DingTalkAdapter = {
    platform: DINGTALK_PLATFORM,
    supportsButtons: true,
    cards,
    ...(cards
      ? {
          // A card sent earlier (its outTrackId) shows what a tap did: its data replaced, buttons included.
          async update(_conversationId: string, messageId: string, message: OutgoingMessage | DingTalkMessage) {
            if (!Array.isArray((message as OutgoingMessage).blocks)) throw new TypeError('dingtalk: a card is updated with an engine message');
            await cards.update(messageId, cardParams(message as OutgoingMessage), { byKey: false });
          },
        }
      : {}),

    async connect() {
      accepting = true;
      try {
        // Bad credentials surface now, not at the first digest.
        await tokens.get();
      } catch (error) {
        if (error instanceof DingTalkAuthError) {
          accepting = false;
          throw error;
        }
        log.warn({ err: errorText(error) }, 'dingtalk: could not get an access token yet; sends will retry');
      }
      try {
        await stream.start();
      } catch (error) {
        accepting = false;
        throw error;
      }
      log.info({ apiBase: config.apiBase, clientId: config.clientId }, 'dingtalk: connected');
    },

    async disconnect() {
      // The engine drains the events it is handling (and acknowledges them) before it disconnects.
      accepting = false;
      await stream.stop();
    },

    onEvent(h) {
      handler = h;
    },

    async send(conversationId, outgoing, sendOptions) {
      const card = await sendCard(conversationId, outgoing, sendOptions?.mentions ?? [], true, sendOptions?.beforeRequest);
      if (card) return card;
      const message = toDingTalk(conversationId, outgoing, sendOptions?.mentions ?? []);
      const parts = planMessage(message, { channel: 'openapi', mentions: sendOptions?.mentions ?? [], maxBytes: config.maxMessageBytes });
      return sendOpenApi(conversationId, parts, onceBefore(sendOptions?.beforeRequest));
    },

    async reply(incoming, outgoing, sendOptions) {
      const mentions: Mention[] = sendOptions?.mentions ?? [];
      const card = await sendCard(incoming?.conversationId, outgoing, mentions, incoming?.isGroup === true, sendOptions?.beforeRequest);
      if (card) return card;
      const message = toDingTalk(incoming?.conversationId, outgoing, mentions);
      const conversationId = incoming.conversationId;
      const raw = readRaw(incoming.raw);
      if (!conversations.has(conversationId)) {
        const seen: Conversation = { isGroup: incoming.isGroup };
        if (!incoming.isGroup && raw.senderStaffId) seen.userId = raw.senderStaffId;
        conversations.set(conversationId, seen);
      }
      const before = onceBefore(sendOptions?.beforeRequest);
      const webhook = validWebhook(incoming);
      if (!webhook) {
        return sendOpenApi(conversationId, planMessage(message, { channel: 'openapi', mentions, maxBytes: config.maxMessageBytes }), before);
      }
      const parts = planMessage(message, { channel: 'webhook', mentions, maxBytes: config.maxMessageBytes });
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] as DingTalkPart;
        try {
          await http.post({
            what: `reply in ${conversationId}`,
            url: webhook.url,
            body: toWebhookBody(part),
            classify: classifyWebhook,
            beforeAttempt: async () => {
              await limiter.acquire(conversationId);
              await before();
            },
            attempts: 1,
          });
        } catch (error) {
          // This part may have arrived (sent, no answer), or the engine's marker refused the send: sending it
          // again through the OpenAPI could show it twice.
          // A throttled or failing webhook is the engine's to retry (redelivery): only a refused one (an
          // expired session) falls back to the OpenAPI.
          if (!(error instanceof DingTalkApiError) || error.uncertain || error.retryable) throw error;
          log.warn({ conversationId, err: errorText(error), part: i + 1, parts: parts.length }, 'dingtalk: session webhook failed, sending the rest through the OpenAPI');
          const rest = parts.slice(i).map((p) => ({ ...p, text: mentionNames(p.text, mentions), atUserIds: [] }));
          return sendOpenApi(conversationId, rest, before);
        }
      }
      return {};
    },

    state() {
      return stream.state();
    },
  };
  return adapter;
}

