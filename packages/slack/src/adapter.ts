import { SocketModeReceiver } from '@slack/bolt';
import type { Adapter, EventHandler, IncomingMessage, OutgoingMessage, SendOptions, SentMessage } from '@zwgk/chat-contract';
import { resolveConfig, type ResolvedConfig, type SlackAdapterOptions } from './config.js';
import { SlackAuthError } from './errors.js';
import { toSlackPosts, type SlackMessage } from './format.js';
import { parseBlockActions } from './interactive.js';
import { parseSlackEvent, SLACK_PLATFORM, type SlackRaw } from './parse.js';
import { createSlackCall, isAuthCode, slackSdkLogger, type SlackCall } from './web.js';

/** Health of a {@link SlackAdapter}. */
export interface SlackAdapterState {
  /** True between a successful `connect()` and `disconnect()`. */
  connected: boolean;
  /** The bot's user id, from `auth.test` at `connect()`. */
  botUserId: string | undefined;
  /** Socket Mode (re)connections completed, the first included. */
  connections: number;
}

/**
 * The Slack adapter: the bot engine's `Adapter` over Socket Mode (`@slack/bolt`) and the Web API. It renders
 * the engine's messages as Block Kit ({@link renderSlack}); it also takes a message already rendered for
 * Slack ({@link SlackMessage}).
 */
export interface SlackAdapter extends Adapter {
  readonly platform: 'slack';
  readonly supportsButtons: true;
  /** Posts to a channel with `chat.postMessage`; returns the first message's `ts` as `messageId`. */
  send(conversationId: string, message: OutgoingMessage | SlackMessage, options?: SendOptions): Promise<SentMessage>;
  /** Posts in the message's channel (in its thread when it was in one, or always with `replyInThread`). */
  reply(incoming: IncomingMessage, message: OutgoingMessage | SlackMessage, options?: SendOptions): Promise<SentMessage>;
  /** Replaces a message sent earlier (`chat.update`; `messageId` is the `ts` that `send` returned). */
  update(conversationId: string, messageId: string, message: OutgoingMessage | SlackMessage): Promise<void>;
  state(): SlackAdapterState;
}

/** What the Socket Mode client hands an event listener. */
interface EnvelopeArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  event: unknown;
  retry_num?: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readRaw(raw: unknown): Partial<SlackRaw> {
  return raw !== null && typeof raw === 'object' ? (raw as Partial<SlackRaw>) : {};
}

/** A small cache of names that forgets its oldest entries. */
class NameCache {
  private readonly map = new Map<string, string>();
  constructor(private readonly max: number) {}
  get(key: string): string | undefined {
    return this.map.get(key);
  }
  set(key: string, value: string): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/**
 * Creates the Slack adapter. Options are validated once (a bad option throws a {@link SlackConfigError} naming
 * it, e.g. a bot token that does not start with `xoxb-`); nothing touches the network before `connect()`.
 *
 * - Incoming: Socket Mode through bolt's `SocketModeReceiver` client. `app_mention` events (and direct messages)
 *   become `IncomingMessage`s: the bot's `<@U…>` removed, other `<@U…>` as `mentions`, links unwrapped,
 *   `messageId` = `channel:ts`; channel and people's names from `conversations.info` / `users.info` when the
 *   scopes allow (ids otherwise). Each envelope reaches the engine as an `IncomingEvent` with the envelope's
 *   `ack`; the engine deduplicates and acknowledges after handling, or leaves it for Slack to redeliver
 *   (`retry_attempt` + 1). Bolt's `App` is not used for events because it acknowledges before its listeners run.
 * - Buttons: a click on a Block Kit button of a bot message (`block_actions` in an `interactive` envelope) becomes
 *   an `IncomingMessage` with `action` set (`text` = the button's `value`, `action.sourceMessageId` = the message's
 *   `ts`), acknowledged by the engine like an event; `update` changes the message with `chat.update`.
 * - Outgoing: `chat.postMessage` with the engine's Block Kit `{ text, blocks }` (mentions are already `<@U…>`),
 *   more than 50 blocks split over several messages; 429s wait `Retry-After` and retry; 5xx retried with
 *   backoff; a refused token is a {@link SlackAuthError}, other refusals a {@link SlackApiError}.
 *
 * @example
 * import { createSlackAdapter } from '@zwgk/slack';
 * import { createBot, openStore } from '@zwgk/bot';
 * import { getPlan } from '@zwgk/sdk/qinyuan';
 *
 * const slack = createSlackAdapter({
 *   botToken: process.env.SLACK_BOT_TOKEN!, // xoxb-…
 *   appToken: process.env.SLACK_APP_TOKEN!, // xapp-…, connections:write
 *   // apiUrl: emulator.apiUrl to talk to startSlackEmulator()
 * });
 * const bot = createBot({ plan: getPlan('qinyuan-2022'), store: await openStore(), adapters: [slack] });
 * await bot.start(); // connects the adapter
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const config = resolveConfig(options);
  return buildAdapter(config, createSlackCall(config, config.botToken, 'botToken'));
}

function buildAdapter(config: ResolvedConfig, call: SlackCall): SlackAdapter {
  const { logger: log } = config;
  const receiver = new SocketModeReceiver({
    appToken: config.appToken,
    logger: slackSdkLogger(log, 'socket-mode'),
    clientPingTimeout: config.clientPingTimeoutMs,
    serverPingTimeout: config.serverPingTimeoutMs,
    autoReconnectEnabled: true,
    installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
  });
  const socket = receiver.client;
  const channelNames = new NameCache(5_000);
  let handler: EventHandler | undefined;
  let accepting = false;
  let connected = false;
  let botUserId: string | undefined;
  let connections = 0;

  socket.on('connected', () => {
    connections++;
  });

  async function channelName(channel: string): Promise<string | undefined> {
    const known = channelNames.get(channel);
    if (known !== undefined) return known;
    try {
      const info = await call('conversations.info', { channel });
      const name = (info.channel as { name?: unknown } | undefined)?.name;
      if (typeof name === 'string' && name !== '') {
        channelNames.set(channel, name);
        return name;
      }
    } catch (error) {
      // Only a title for the engine (needs channels:read); the message is handled without it.
      log.debug?.({ channel, err: errorText(error) }, 'slack: conversations.info failed');
    }
    return undefined;
  }

  let usersReadable = true;
  const userNames = new NameCache(10_000);

  async function userName(id: string): Promise<string> {
    const known = userNames.get(id);
    if (known !== undefined || !usersReadable) return known ?? id;
    try {
      const info = await call('users.info', { user: id });
      const user = info.user as { name?: unknown; real_name?: unknown; profile?: { display_name?: unknown; real_name?: unknown } } | undefined;
      const name = [user?.profile?.display_name, user?.profile?.real_name, user?.real_name, user?.name].find((n): n is string => typeof n === 'string' && n.trim() !== '');
      userNames.set(id, name ?? id);
      return name ?? id;
    } catch (error) {
      // Names are a courtesy (users:read scope); without the scope, stop asking and use ids.
      if ((error as { code?: unknown }).code === 'missing_scope') usersReadable = false;
      log.debug?.({ user: id, err: errorText(error) }, 'slack: users.info failed');
      return id;
    }
  }

  async function withNames(message: IncomingMessage & { raw: SlackRaw }): Promise<IncomingMessage> {
    const [title, senderName, mentions] = await Promise.all([
      message.isGroup ? channelName(message.conversationId) : Promise.resolve(undefined),
      userName(message.senderId),
      Promise.all(message.mentions.map(async (m) => (m.name === m.id ? { id: m.id, name: await userName(m.id) } : m))),
    ]);
    const named: IncomingMessage = { ...message, senderName, mentions };
    if (title) named.conversationTitle = title;
    return named;
  }

  async function ackSafely(ack: EnvelopeArgs['ack'], messageId: string): Promise<boolean> {
    try {
      await ack();
      return true;
    } catch (error) {
      log.warn({ messageId, err: errorText(error) }, 'slack: connection gone before the ack; Slack will redeliver');
      return false;
    }
  }

  async function onEnvelope(args: EnvelopeArgs): Promise<void> {
    if (!accepting || !botUserId) return;
    const peek = parseSlackEvent(args.event, { botUserId });
    if (!peek.success) {
      log.debug?.({ envelopeId: args.envelope_id, reason: peek.error }, 'slack: event not for the bot, acknowledged');
      await ackSafely(args.ack, args.envelope_id);
      return;
    }
    const current = handler;
    if (!current) {
      log.warn({ messageId: peek.data.messageId }, 'slack: no event handler registered; left unacknowledged for redelivery');
      return;
    }
    const message = await withNames(peek.data);
    await current({ message, ack: () => ackSafely(args.ack, message.messageId) });
  }

  const listener = (args: EnvelopeArgs): void => {
    onEnvelope(args).catch((error: unknown) => log.error({ err: errorText(error) }, 'slack: event listener failed'));
  };
  socket.on('app_mention', listener);
  socket.on('message', listener);

  /** A button click: Socket Mode's `interactive` envelope with a `block_actions` payload, acked like events. */
  async function onInteractive(args: { ack: EnvelopeArgs['ack']; envelope_id: string; body: unknown }): Promise<void> {
    if (!accepting) return;
    const parsed = parseBlockActions(args.body);
    if (!parsed.success) {
      log.debug?.({ envelopeId: args.envelope_id, reason: parsed.error }, 'slack: interaction not for the bot, acknowledged');
      await ackSafely(args.ack, args.envelope_id);
      return;
    }
    const current = handler;
    if (!current) {
      log.warn({ messageId: parsed.data.messageId }, 'slack: no event handler registered; left unacknowledged for redelivery');
      return;
    }
    const known = await userName(parsed.data.senderId);
    const message: IncomingMessage = known === parsed.data.senderId ? parsed.data : { ...parsed.data, senderName: known };
    await current({ message, ack: () => ackSafely(args.ack, message.messageId) });
  }
  socket.on('interactive', (args: { ack: EnvelopeArgs['ack']; envelope_id: string; body: unknown }) => {
    onInteractive(args).catch((error: unknown) => log.error({ err: errorText(error) }, 'slack: interaction listener failed'));
  });

  function requireMessage(conversationId: unknown, message: OutgoingMessage | SlackMessage): void {
    if (typeof conversationId !== 'string' || conversationId === '') throw new TypeError('slack: conversationId must be a non-empty channel id');
    const m = message as Partial<OutgoingMessage & SlackMessage> | null;
    if (!m || !Array.isArray(m.blocks) || (typeof m.title !== 'string' && typeof m.text !== 'string')) {
      throw new TypeError('slack: message must be a message with blocks (and a title, or Block Kit with fallback text)');
    }
  }

  async function post(channel: string, message: OutgoingMessage | SlackMessage, threadTs: string | undefined, beforeRequest: (() => Promise<void>) | undefined): Promise<SentMessage> {
    let first: string | undefined;
    let marked = false;
    for (const p of toSlackPosts(message)) {
      const args: Record<string, unknown> = { channel, text: p.text };
      if (p.blocks) args.blocks = p.blocks;
      if (threadTs) args.thread_ts = threadTs;
      if (!marked) {
        marked = true;
        await beforeRequest?.();
      }
      const answer = await call('chat.postMessage', args, { attempts: 1 });
      if (first === undefined && typeof answer.ts === 'string') first = answer.ts;
    }
    return first === undefined ? {} : { messageId: first };
  }

  const adapter: SlackAdapter = {
    platform: SLACK_PLATFORM,
    supportsButtons: true,

    async connect() {
      // Bad bot tokens surface now, not at the first digest; the user id is needed to recognise mentions.
      const who = await call('auth.test', {});
      botUserId = typeof who.user_id === 'string' ? who.user_id : undefined;
      if (!botUserId) throw new SlackAuthError('botToken', 'no_user_id', 'auth.test');
      accepting = true;
      try {
        await receiver.start();
      } catch (error) {
        accepting = false;
        const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
        if (typeof code === 'string' && isAuthCode(code)) throw new SlackAuthError('appToken', code, 'apps.connections.open');
        throw error;
      }
      connected = true;
      log.info({ apiUrl: config.apiUrl, botUserId }, 'slack: connected (Socket Mode)');
    },

    async disconnect() {
      // The engine drains the events it is handling (and acknowledges them) before it disconnects.
      accepting = false;
      const wait = (ms: number) =>
        new Promise<void>((resolve) => {
          setTimeout(resolve, ms).unref?.();
        });
      if (connected) await Promise.race([receiver.stop(), wait(3_000)]);
      connected = false;
    },

    onEvent(h) {
      handler = h;
    },

    async send(conversationId, message, sendOptions) {
      requireMessage(conversationId, message);
      return post(conversationId, message, undefined, sendOptions?.beforeRequest);
    },

    async reply(incoming, message, sendOptions) {
      requireMessage(incoming?.conversationId, message);
      const raw = readRaw(incoming.raw);
      const thread = raw.thread_ts ?? (config.replyInThread ? raw.ts : undefined);
      return post(incoming.conversationId, message, thread, sendOptions?.beforeRequest);
    },

    async update(conversationId, messageId, message) {
      requireMessage(conversationId, message);
      const [p] = toSlackPosts(message);
      const args: Record<string, unknown> = { channel: conversationId, ts: messageId, text: p?.text ?? ' ' };
      args.blocks = p?.blocks ?? [];
      await call('chat.update', args);
    },

    state() {
      return { connected, botUserId, connections };
    },
  };
  return adapter;
}
