import { z } from 'zod';
import type { IncomingMessage, Mention } from '@zwgk/chat-contract';

/** The platform id of DingTalk messages (`IncomingMessage.platform`). */
export const DINGTALK_PLATFORM = 'dingtalk';

/** What the adapter keeps in `IncomingMessage.raw` to answer a DingTalk message. */
export interface DingTalkRaw {
  /** The message's session webhook (a reply URL valid for about 90 minutes), when given. */
  sessionWebhook?: string;
  /** When the session webhook expires, epoch ms. */
  sessionWebhookExpiredTime?: number;
  /** `'1'` one-to-one, `'2'` group. */
  conversationType: string;
  /** The sender's staff id (one-to-one replies through the OpenAPI need it). */
  senderStaffId?: string;
  /** The bot's own user id in this conversation. */
  chatbotUserId?: string;
  robotCode?: string;
  senderCorpId?: string;
  /** DingTalk's own admin flag of the sender (informational; the bot keeps its own admin list). */
  isAdmin?: boolean;
  /** `text`, `richText`, `picture` … */
  msgtype: string;
}

/** A robot message turned into the engine's incoming message, plus its session webhook. */
export interface ParsedRobotMessage {
  message: IncomingMessage & { raw: DingTalkRaw };
  /** The conversation's reply webhook, when the message carried one with a valid expiry. */
  session?: { url: string; expiresAt: number };
}

/** `{ success: true, data } | { success: false, error }` — malformed input is an expected failure. */
export type ParseResult = { success: true; data: ParsedRobotMessage } | { success: false; error: string };

const atUser = z.object({ dingtalkId: z.string().optional(), staffId: z.string().optional() }).loose();

const robotMessage = z
  .object({
    conversationId: z.string().min(1),
    conversationType: z.union([z.string(), z.number()]).transform(String),
    conversationTitle: z.string().optional(),
    msgId: z.string().min(1),
    msgtype: z.string().default('text'),
    senderStaffId: z.string().optional(),
    senderId: z.string().optional(),
    senderNick: z.string().optional(),
    senderCorpId: z.string().optional(),
    isAdmin: z.boolean().optional(),
    chatbotUserId: z.string().optional(),
    robotCode: z.string().optional(),
    atUsers: z.array(atUser).optional(),
    isInAtList: z.boolean().optional(),
    createAt: z.number().optional(),
    sessionWebhook: z.string().optional(),
    sessionWebhookExpiredTime: z.number().optional(),
    text: z.object({ content: z.string().optional() }).loose().optional(),
    content: z.unknown().optional(),
  })
  .loose();

type RobotMessageData = z.infer<typeof robotMessage>;

// A mention is `@` and a name up to the next space (DingTalk puts U+2005 after it, which \s covers).
const MENTION = /@([^\s@]+)/gu;

function messageText(data: RobotMessageData): string {
  if (typeof data.text?.content === 'string') return data.text.content;
  // richText: { content: { richText: [{ text }, { downloadCode, type: 'picture' }] } }
  const content = data.content as { richText?: unknown } | undefined;
  if (content && Array.isArray(content.richText)) {
    return content.richText
      .map((part: unknown) => (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join('');
  }
  return '';
}

/** Options of {@link parseRobotMessage}. */
export interface ParseRobotOptions {
  /** The robot's display name(s); `@name` of these is always removed from the text. */
  robotNames?: readonly string[];
}

/**
 * Removes the bot's @-mention from a message text and pairs the other @-mentions with `atUsers`.
 *
 * DingTalk's `atUsers` carry ids only (the bot's entry has its `chatbotUserId` and no staff id), so names
 * come from the `@name` tokens of the text, in order, when their count matches; otherwise the staff id
 * stands in for the name.
 */
export function stripMentions(
  content: string,
  atUsers: ReadonlyArray<{ dingtalkId?: string | undefined; staffId?: string | undefined }>,
  options: { chatbotUserId?: string | undefined; botMentioned: boolean; robotNames?: readonly string[] | undefined },
): { text: string; mentions: Mention[] } {
  const botIndex = options.chatbotUserId === undefined ? -1 : atUsers.findIndex((u) => u.dingtalkId === options.chatbotUserId);
  const others = atUsers.filter((_, i) => i !== botIndex);
  let text = content;
  const names = new Set(options.robotNames ?? []);
  if (names.size > 0) text = text.replace(MENTION, (whole, name: string) => (names.has(name) ? '' : whole));
  const tokens = [...text.matchAll(MENTION)];
  if (options.botMentioned) {
    // DingTalk usually drops the bot's own @ from text.content. When it is there, atUsers (in text order)
    // tells which token it is; failing that, it is the extra leading token.
    const own = botIndex >= 0 && tokens.length === atUsers.length ? tokens[botIndex] : tokens.length > others.length && /^\s*@/u.test(text) ? tokens[0] : undefined;
    if (own?.index !== undefined) text = text.slice(0, own.index) + text.slice(own.index + own[0].length);
  }
  const remaining = [...text.matchAll(MENTION)];
  const paired = remaining.length === others.length;
  const mentions: Mention[] = [];
  others.forEach((u, i) => {
    if (!u.staffId) return;
    mentions.push({ id: u.staffId, name: paired ? (remaining[i]?.[1] ?? u.staffId) : u.staffId });
  });
  return { text: text.trim(), mentions };
}

/**
 * Parses the `data` of a robot-message CALLBACK (topic `/v1.0/im/bot/messages/get`) into the engine's
 * {@link IncomingMessage}: platform `dingtalk`, `messageId` = `msgId`, `senderId` = `senderStaffId`
 * (`senderId` for people outside the organisation), `isGroup` for `conversationType` `'2'`, the bot's
 * @-mention removed from the text, the other @-mentions from `atUsers`, `receivedAt` from `createAt`.
 *
 * @example
 * const parsed = parseRobotMessage(frame.data);
 * if (parsed.success) await handler(parsed.data.message);
 */
export function parseRobotMessage(data: unknown, options: ParseRobotOptions = {}): ParseResult {
  let json: unknown = data;
  if (typeof data === 'string') {
    try {
      json = JSON.parse(data);
    } catch (error) {
      return { success: false, error: `data is not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const parsed = robotMessage.safeParse(json);
  if (!parsed.success) {
    return { success: false, error: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'data'}: ${i.message}`).join('; ') };
  }
  const d = parsed.data;
  const senderId = d.senderStaffId || d.senderId;
  if (!senderId) return { success: false, error: 'senderStaffId: missing (and no senderId)' };
  const isGroup = d.conversationType === '2';
  const botMentioned = d.isInAtList === true || (d.atUsers ?? []).some((u) => d.chatbotUserId !== undefined && u.dingtalkId === d.chatbotUserId) || isGroup;
  const { text, mentions } = stripMentions(messageText(d), d.atUsers ?? [], { chatbotUserId: d.chatbotUserId, botMentioned, robotNames: options.robotNames });
  const receivedAt = d.createAt !== undefined && Number.isFinite(d.createAt) ? new Date(d.createAt) : undefined;

  const raw: DingTalkRaw = { conversationType: d.conversationType, msgtype: d.msgtype };
  if (d.sessionWebhook) raw.sessionWebhook = d.sessionWebhook;
  if (d.sessionWebhookExpiredTime !== undefined) raw.sessionWebhookExpiredTime = d.sessionWebhookExpiredTime;
  if (d.senderStaffId) raw.senderStaffId = d.senderStaffId;
  if (d.chatbotUserId) raw.chatbotUserId = d.chatbotUserId;
  if (d.robotCode) raw.robotCode = d.robotCode;
  if (d.senderCorpId) raw.senderCorpId = d.senderCorpId;
  if (d.isAdmin !== undefined) raw.isAdmin = d.isAdmin;

  const message: ParsedRobotMessage['message'] = {
    platform: DINGTALK_PLATFORM,
    conversationId: d.conversationId,
    messageId: d.msgId,
    senderId,
    senderName: d.senderNick || senderId,
    text,
    mentions,
    isGroup,
    raw,
  };
  if (d.conversationTitle) message.conversationTitle = d.conversationTitle;
  if (receivedAt) message.receivedAt = receivedAt;

  const result: ParsedRobotMessage = { message };
  if (d.sessionWebhook && isHttpUrl(d.sessionWebhook) && d.sessionWebhookExpiredTime !== undefined && Number.isFinite(d.sessionWebhookExpiredTime)) {
    result.session = { url: d.sessionWebhook, expiresAt: d.sessionWebhookExpiredTime };
  }
  return { success: true, data: result };
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
