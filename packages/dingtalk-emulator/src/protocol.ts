/**
 * The DingTalk wire formats, as pure functions: identifiers, Stream frames, the robot-message
 * callback payload, the response frames clients send back, the robot OpenAPI `msgKey`/`msgParam`
 * templates, session-webhook bodies and the error bodies of both APIs.
 *
 * Sources: the Stream protocol description (open-dingtalk/developerpedia, docs/learn/stream/protocol.md),
 * the `dingtalk-stream` client, and the robot OpenAPI reference (groupMessages/send, message types).
 */
import { randomFillSync, randomUUID } from 'node:crypto';
import type { ActionCardButton, ChatMessage, Member, Result } from './types.js';

/** The robot-message callback topic. */
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';

/** A Stream frame pushed by the server. */
export interface DownstreamFrame {
  specVersion: '1.0';
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: {
    appId?: string;
    connectionId: string;
    contentType: 'application/json';
    messageId: string;
    time: string;
    topic: string;
  };
  data: string;
}

/** A response frame sent by the client (ack, ping echo). */
export interface UpstreamFrame {
  code: number;
  messageId: string;
  message: string;
  data: unknown;
}

// Ids take random bytes from a pool filled 4 KiB at a time: one system call per few hundred ids, not per id.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function random(bytes: number): Buffer {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.subarray(poolAt - bytes, poolAt);
}
const hex = (bytes: number): string => random(bytes).toString('hex');
const b64 = (bytes: number): string => random(bytes).toString('base64');

/** A stream message id shaped like DingTalk's (`212ca9d7_974_1898c159aa6_1783b`). */
export function newMessageId(now: number): string {
  return `${hex(4)}_${random(2).readUInt16BE() % 1000}_${now.toString(16)}_${hex(3).slice(0, 5)}`;
}

/** A chat message id (`msg…==`). */
export const newMsgId = (): string => `msg${b64(16)}`;

/** An open conversation id (`cid…==`). */
// '/' would need escaping in control-API paths; DingTalk ids use standard base64, so '+' stands in for it.
export const newConversationId = (): string => `cid${b64(16).replace(/\//g, '+')}`;

/** A connection id. */
export const newConnectionId = (): string => randomUUID();

/** A single-use WebSocket ticket. */
export const newTicket = (): string => randomUUID();

/** An access token (32 hex digits, like DingTalk's). */
export const newAccessToken = (): string => hex(16);

/** A session-webhook session key. */
export const newSessionKey = (): string => hex(16);

/** The `requestid` of an OpenAPI error. */
export const newRequestId = (): string => randomUUID().toUpperCase();

/** The `processQueryKey` answered by `groupMessages/send`. */
export const newProcessQueryKey = (): string => b64(32);

/** A DingTalk-internal user id for a staff id (`$:LWCP_v1:$…`), stable per staff id. */
export function dingtalkIdOf(staffId: string): string {
  return `$:LWCP_v1:$${Buffer.from(staffId, 'utf8').toString('base64')}`;
}

/** UTF-8 length of a string. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A SYSTEM frame (`ping` with `{opaque}`, `disconnect` with `{reason}`). */
export function systemFrame(topic: 'ping' | 'disconnect', data: object, connectionId: string, now: number): DownstreamFrame {
  return {
    specVersion: '1.0',
    type: 'SYSTEM',
    headers: { connectionId, contentType: 'application/json', messageId: newMessageId(now), time: String(now), topic },
    data: JSON.stringify(data),
  };
}

/** A CALLBACK frame; `messageId` is kept across redeliveries. */
export function callbackFrame(
  topic: string,
  data: object,
  ids: { appId: string; connectionId: string; messageId: string },
  now: number,
): DownstreamFrame {
  return {
    specVersion: '1.0',
    type: 'CALLBACK',
    headers: {
      appId: ids.appId,
      connectionId: ids.connectionId,
      contentType: 'application/json',
      messageId: ids.messageId,
      time: String(now),
      topic,
    },
    data: JSON.stringify(data),
  };
}

/** What the robot-message callback carries (the `data` of the CALLBACK frame, before stringifying). */
export interface RobotMessageData {
  conversationId: string;
  atUsers: Array<{ dingtalkId: string; staffId?: string }>;
  chatbotCorpId: string;
  chatbotUserId: string;
  msgId: string;
  senderNick: string;
  isAdmin: boolean;
  senderStaffId: string;
  sessionWebhookExpiredTime: number;
  createAt: number;
  senderCorpId: string;
  conversationType: '1' | '2';
  senderId: string;
  conversationTitle: string;
  isInAtList: boolean;
  sessionWebhook: string;
  text: { content: string };
  robotCode: string;
  msgtype: 'text';
}

/** Builds the robot-message callback for a member's group message that @-mentions the robot. */
export function robotMessageData(input: {
  conversationId: string;
  conversationTitle: string;
  msgId: string;
  sender: Member;
  corpId: string;
  chatbotUserId: string;
  robotCode: string;
  text: string;
  mentioned: Member[];
  createAt: number;
  sessionWebhook: string;
  sessionWebhookExpiredTime: number;
}): RobotMessageData {
  return {
    conversationId: input.conversationId,
    atUsers: [
      { dingtalkId: input.chatbotUserId },
      ...input.mentioned.map((m) => ({ dingtalkId: dingtalkIdOf(m.staffId), staffId: m.staffId })),
    ],
    chatbotCorpId: input.corpId,
    chatbotUserId: input.chatbotUserId,
    msgId: input.msgId,
    senderNick: input.sender.nick,
    isAdmin: input.sender.isAdmin ?? false,
    senderStaffId: input.sender.staffId,
    sessionWebhookExpiredTime: input.sessionWebhookExpiredTime,
    createAt: input.createAt,
    senderCorpId: input.corpId,
    conversationType: '2',
    senderId: dingtalkIdOf(input.sender.staffId),
    conversationTitle: input.conversationTitle,
    isInAtList: true,
    sessionWebhook: input.sessionWebhook,
    // DingTalk strips the @robot mention and keeps the space that followed it.
    text: { content: ` ${input.text}` },
    robotCode: input.robotCode,
    msgtype: 'text',
  };
}

/**
 * Reads a client frame. Only response frames (`{code, headers:{messageId}, message, data}`) are
 * meaningful upstream; anything else is an error the caller logs and ignores.
 */
export function parseUpstreamFrame(raw: string): Result<UpstreamFrame> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return fail(400, `frame is not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(parsed)) return fail(400, 'frame is not a JSON object');
  const { code, headers, message, data } = parsed;
  if (typeof code !== 'number') return fail(400, 'frame has no numeric code');
  if (!isRecord(headers) || typeof headers.messageId !== 'string' || headers.messageId === '') {
    return fail(400, 'frame has no headers.messageId');
  }
  return {
    success: true,
    data: { code, messageId: headers.messageId, message: typeof message === 'string' ? message : '', data },
  };
}

/** The content part of a {@link ChatMessage}. */
export type MessageContent = Pick<ChatMessage, 'msgtype' | 'text' | 'markdown' | 'actionCard' | 'link' | 'image'>;

/** `msgKey`s of `groupMessages/send` the emulator accepts, with the `msgParam` fields each requires. */
export const MSG_KEYS: Readonly<Record<string, readonly string[]>> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: ['title', 'text', ...buttonFields(2)],
  sampleActionCard3: ['title', 'text', ...buttonFields(3)],
  sampleActionCard4: ['title', 'text', ...buttonFields(4)],
  sampleActionCard5: ['title', 'text', ...buttonFields(5)],
  sampleActionCard6: ['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2'],
};

function buttonFields(n: number): string[] {
  return Array.from({ length: n }, (_, i) => [`actionTitle${i + 1}`, `actionURL${i + 1}`]).flat();
}

/** An OpenAPI error: HTTP status and DingTalk's `code`. */
export interface ApiError {
  status: number;
  code: string;
  message: string;
}

/**
 * Validates `msgKey` and `msgParam` of `groupMessages/send` and turns them into message content.
 * Errors use DingTalk's codes (`invalidParameter.msgKey.invalid`, `invalidParameter.msgParam.invalid`).
 */
export function parseMsgParam(
  msgKey: unknown,
  msgParam: unknown,
  maxBytes: number,
): { success: true; data: MessageContent } | { success: false; error: ApiError } {
  const bad = (code: string, message: string) => ({ success: false as const, error: { status: 400, code, message } });
  if (typeof msgKey !== 'string' || msgKey === '') return bad('invalidParameter.msgKey.empty', 'msgKey is missing');
  const required = MSG_KEYS[msgKey];
  if (!required) {
    return bad('invalidParameter.msgKey.invalid', `msgKey ${JSON.stringify(msgKey)} is not one of ${Object.keys(MSG_KEYS).join(', ')}`);
  }
  if (typeof msgParam !== 'string' || msgParam === '') return bad('invalidParameter.msgParam.invalid', 'msgParam must be a JSON string');
  if (utf8Bytes(msgParam) > maxBytes) {
    return bad('invalidParameter.param.invalid', `msgParam is ${utf8Bytes(msgParam)} bytes; the limit is ${maxBytes}`);
  }
  let p: unknown;
  try {
    p = JSON.parse(msgParam);
  } catch {
    return bad('invalidParameter.msgParam.invalid', 'msgParam must be in JSON format');
  }
  if (!isRecord(p)) return bad('invalidParameter.msgParam.invalid', 'msgParam must be a JSON object');
  const missing = required.filter((f) => typeof p[f] !== 'string' || (p[f] as string).trim() === '');
  if (missing.length > 0) {
    return bad('invalidParameter.msgParam.invalid', `msgParam of ${msgKey} needs non-empty string ${missing.join(', ')}`);
  }
  const s = (f: string): string => p[f] as string;
  switch (msgKey) {
    case 'sampleText':
      return ok({ msgtype: 'text', text: s('content') });
    case 'sampleMarkdown':
      return ok({ msgtype: 'markdown', markdown: { title: s('title'), text: s('text') } });
    case 'sampleImageMsg':
      return ok({ msgtype: 'image', image: { photoURL: s('photoURL') } });
    case 'sampleLink':
      return ok({
        msgtype: 'link',
        link: { title: s('title'), text: s('text'), messageUrl: s('messageUrl'), ...(typeof p.picUrl === 'string' ? { picUrl: p.picUrl } : {}) },
      });
    case 'sampleActionCard':
      return ok(card(s('title'), s('text'), [{ title: s('singleTitle'), url: s('singleURL') }], '0'));
    case 'sampleActionCard6':
      return ok(
        card(s('title'), s('text'), [1, 2].map((i) => ({ title: s(`buttonTitle${i}`), url: s(`buttonUrl${i}`) })), '1'),
      );
    default: {
      const n = Number(msgKey.slice('sampleActionCard'.length));
      const buttons = Array.from({ length: n }, (_, i) => ({ title: s(`actionTitle${i + 1}`), url: s(`actionURL${i + 1}`) }));
      return ok(card(s('title'), s('text'), buttons, '0'));
    }
  }
}

function card(title: string, text: string, buttons: ActionCardButton[], btnOrientation: '0' | '1'): MessageContent {
  return { msgtype: 'actionCard', actionCard: { title, text, buttons, btnOrientation } };
}

/** A session-webhook error: DingTalk answers HTTP 200 with a non-zero `errcode`. */
export interface WebhookError {
  status: number;
  errcode: number;
  errmsg: string;
}

/** Session-webhook error bodies. */
export const WEBHOOK_ERRORS = {
  sessionMissing: { status: 200, errcode: 300001, errmsg: 'session 不存在' },
  tooFast: { status: 200, errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' },
  tooLong: (limit: number): WebhookError => ({ status: 200, errcode: 460101, errmsg: `message too long, exceed ${limit} bytes` }),
  missing: (what: string): WebhookError => ({ status: 200, errcode: 40035, errmsg: `缺少参数 ${what}` }),
  badType: (what: string): WebhookError => ({ status: 200, errcode: 40008, errmsg: `不合法的消息类型 ${what}` }),
  busy: (status: number): WebhookError => ({ status, errcode: -1, errmsg: '系统繁忙' }),
} as const;

/**
 * Validates a session-webhook body (`{msgtype, text|markdown|actionCard|link, at}`) and turns it into
 * message content plus its @-mentions.
 */
export function parseWebhookBody(
  body: unknown,
  maxBytes: number,
): { success: true; data: MessageContent & { atUserIds: string[]; isAtAll: boolean } } | { success: false; error: WebhookError } {
  const err = (e: WebhookError) => ({ success: false as const, error: e });
  if (!isRecord(body)) return err(WEBHOOK_ERRORS.missing('json'));
  const { msgtype } = body;
  if (typeof msgtype !== 'string' || msgtype === '') return err(WEBHOOK_ERRORS.missing('msgtype'));
  const at = isRecord(body.at) ? body.at : {};
  const atUserIds = Array.isArray(at.atUserIds) ? at.atUserIds.filter((x): x is string => typeof x === 'string') : [];
  const isAtAll = at.isAtAll === true;
  const str = (o: Record<string, unknown>, f: string): string | undefined =>
    typeof o[f] === 'string' && (o[f] as string) !== '' ? (o[f] as string) : undefined;
  const section = body[msgtype];
  if (!['text', 'markdown', 'actionCard', 'link'].includes(msgtype)) return err(WEBHOOK_ERRORS.badType(msgtype));
  if (!isRecord(section)) return err(WEBHOOK_ERRORS.missing(msgtype));
  const need = (fields: string[]): string | undefined => fields.find((f) => str(section, f) === undefined);
  const done = (content: MessageContent, measured: string) =>
    utf8Bytes(measured) > maxBytes ? err(WEBHOOK_ERRORS.tooLong(maxBytes)) : ok({ ...content, atUserIds, isAtAll });

  if (msgtype === 'text') {
    const m = need(['content']);
    if (m) return err(WEBHOOK_ERRORS.missing(`text.${m}`));
    return done({ msgtype: 'text', text: section.content as string }, section.content as string);
  }
  if (msgtype === 'markdown') {
    const m = need(['title', 'text']);
    if (m) return err(WEBHOOK_ERRORS.missing(`markdown.${m}`));
    return done({ msgtype: 'markdown', markdown: { title: section.title as string, text: section.text as string } }, section.text as string);
  }
  if (msgtype === 'link') {
    const m = need(['title', 'text', 'messageUrl']);
    if (m) return err(WEBHOOK_ERRORS.missing(`link.${m}`));
    const link = { title: section.title as string, text: section.text as string, messageUrl: section.messageUrl as string };
    return done({ msgtype: 'link', link: { ...link, ...(str(section, 'picUrl') ? { picUrl: section.picUrl as string } : {}) } }, link.text);
  }
  const m = need(['title', 'text']);
  if (m) return err(WEBHOOK_ERRORS.missing(`actionCard.${m}`));
  let buttons: ActionCardButton[];
  if (str(section, 'singleTitle') && str(section, 'singleURL')) {
    buttons = [{ title: section.singleTitle as string, url: section.singleURL as string }];
  } else if (Array.isArray(section.btns) && section.btns.length > 0) {
    const btns = section.btns;
    if (!btns.every((b) => isRecord(b) && str(b, 'title') && str(b, 'actionURL'))) {
      return err(WEBHOOK_ERRORS.missing('actionCard.btns[].title/actionURL'));
    }
    buttons = btns.map((b) => ({ title: (b as Record<string, string>).title!, url: (b as Record<string, string>).actionURL! }));
  } else {
    return err(WEBHOOK_ERRORS.missing('actionCard.singleTitle/singleURL or actionCard.btns'));
  }
  const orientation = section.btnOrientation === '1' ? '1' : '0';
  return done(card(section.title as string, section.text as string, buttons, orientation), section.text as string);
}

/**
 * Members @-mentioned in a text: `@staffId` or `@nick`, longest match first so `@张三丰` is not `@张三`.
 */
export function mentionsIn(text: string, members: readonly Member[]): Member[] {
  const tokens = members
    .flatMap((m) => [
      { token: `@${m.staffId}`, m },
      { token: `@${m.nick}`, m },
    ])
    .sort((a, b) => b.token.length - a.token.length);
  const found: Member[] = [];
  let i = 0;
  while ((i = text.indexOf('@', i)) !== -1) {
    const hit = tokens.find((t) => text.startsWith(t.token, i));
    if (hit && !found.includes(hit.m)) found.push(hit.m);
    i += hit ? hit.token.length : 1;
  }
  return found;
}

/** An OpenAPI error body: `{code, message, requestid}`. */
export function apiErrorBody(code: string, message: string): { code: string; message: string; requestid: string } {
  return { code, message, requestid: newRequestId() };
}

/** OpenAPI errors the emulator answers. */
export const API_ERRORS = {
  badCredentials: { status: 400, code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' },
  badToken: { status: 401, code: 'InvalidAuthentication', message: '不合法的access_token' },
  throttled: (status: number): ApiError => ({
    status,
    code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
    message: '应用调用该接口的请求数超出限制, 请稍后重试',
  }),
  serverError: (status: number): ApiError => ({
    status,
    code: status === 503 ? 'ServiceUnavailable' : 'InternalError',
    message: status === 503 ? '服务暂不可用' : '系统繁忙',
  }),
} as const;

function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

function fail(status: number, message: string): { success: false; error: { status: number; message: string } } {
  return { success: false, error: { status, message } };
}

/** Narrowing helper for parsed JSON. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
