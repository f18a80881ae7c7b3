import type { IncomingMessage, Mention } from '@zwgk/chat-contract';

/** The adapter's platform id, carried by every incoming message. */
export const SLACK_PLATFORM = 'slack';

/** What the adapter keeps in {@link IncomingMessage.raw} to answer a Slack message. */
export interface SlackRaw {
  channel: string;
  ts: string;
  /** The thread the message was posted in, when it was. */
  thread_ts?: string;
  user: string;
  team?: string;
  /** `block_actions` for a button click (see `parseBlockActions`). */
  eventType: 'app_mention' | 'message' | 'block_actions';
}

/** Options of {@link parseSlackEvent}. */
export interface ParseSlackOptions {
  /** The bot's own user id (from `auth.test`): its mention is removed from the text and the mention list. */
  botUserId: string;
  /** Channel name for {@link IncomingMessage.conversationTitle}, when known. */
  channelName?: string;
}

/** Result of {@link parseSlackEvent}: an incoming message, or why the event is not one for the bot. */
export type ParseSlackResult = { success: true; data: IncomingMessage & { raw: SlackRaw } } | { success: false; error: string };

const MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/gu;

/**
 * Turns Slack's message markup into the text a person typed: the bot's mention removed, other user mentions as
 * `@name` (or `@U…`), links unwrapped to their URL, channel links as `#name`, `&amp;` `&lt;` `&gt;` decoded,
 * whitespace collapsed.
 *
 * @example
 * slackText('<@UBOT> 确认 4 <https://gov.cn/a|gov.cn/a> &amp; <@U02|李四>', 'UBOT'); // '确认 4 https://gov.cn/a & @李四'
 */
export function slackText(text: string, botUserId: string): string {
  return text
    .replace(MENTION, (_all, id: string, name: string | undefined) => (id === botUserId ? ' ' : `@${name || id}`))
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/gu, '#$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/gu, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/gu, '$1')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&amp;/gu, '&')
    .replace(/[ \t\u3000]+/gu, ' ')
    .replace(/ *\n */gu, '\n')
    .trim();
}

/** The users @-mentioned in Slack markup, in order, once each, without the bot. */
export function slackMentions(text: string, botUserId: string): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(MENTION)) {
    const id = m[1] as string;
    if (id === botUserId || out.some((x) => x.id === id)) continue;
    out.push({ id, name: m[2] || id });
  }
  return out;
}

/**
 * Normalises an Events API event for the engine. `app_mention` events become messages; so do `message` events
 * of a direct-message channel (`channel_type: 'im'`), where people need not mention the bot. Other events
 * (channel messages without a mention, edits, bot messages, joins) are not for the bot.
 *
 * The message id is `channel:ts` (a Slack `ts` is unique within its channel only); redeliveries carry the same.
 *
 * @example
 * parseSlackEvent({ type: 'app_mention', user: 'U01', channel: 'C01', ts: '1669000000.000100', text: '<@UBOT> 确认 4' }, { botUserId: 'UBOT' });
 * // → { success: true, data: { platform: 'slack', conversationId: 'C01', messageId: 'C01:1669000000.000100', text: '确认 4', … } }
 */
export function parseSlackEvent(event: unknown, options: ParseSlackOptions): ParseSlackResult {
  if (event === null || typeof event !== 'object') return { success: false, error: 'event is not an object' };
  const e = event as Record<string, unknown>;
  const type = e.type;
  if (type !== 'app_mention' && type !== 'message') return { success: false, error: `event type ${String(type)} is not a message` };
  if (type === 'message' && e.channel_type !== 'im') return { success: false, error: 'channel message without a mention' };
  if (e.subtype !== undefined || e.bot_id !== undefined) return { success: false, error: `message subtype ${String(e.subtype ?? 'bot_message')} ignored` };
  const { channel, user, ts, text } = e;
  if (typeof channel !== 'string' || channel === '') return { success: false, error: 'event has no channel' };
  if (typeof user !== 'string' || user === '') return { success: false, error: 'event has no user' };
  if (user === options.botUserId) return { success: false, error: 'the bot’s own message' };
  if (typeof ts !== 'string' || !/^\d+\.\d+$/u.test(ts)) return { success: false, error: 'event has no valid ts' };
  const body = typeof text === 'string' ? text : '';
  const raw: SlackRaw = { channel, ts, user, eventType: type };
  if (typeof e.thread_ts === 'string' && e.thread_ts !== '') raw.thread_ts = e.thread_ts;
  if (typeof e.team === 'string') raw.team = e.team;
  const message: IncomingMessage & { raw: SlackRaw } = {
    platform: SLACK_PLATFORM,
    conversationId: channel,
    messageId: `${channel}:${ts}`,
    senderId: user,
    senderName: user,
    text: slackText(body, options.botUserId),
    mentions: slackMentions(body, options.botUserId),
    // D… channels are direct messages; app_mention events carry no channel_type.
    isGroup: type === 'message' ? false : !channel.startsWith('D'),
    receivedAt: new Date(Math.round(Number(ts) * 1000)),
    raw,
  };
  if (options.channelName) message.conversationTitle = options.channelName;
  return { success: true, data: message };
}
