import { z } from 'zod';
import type { IncomingMessage } from '@zwgk/chat-contract';
import { conversationOfTrackId } from './transport/card.js';
import { DINGTALK_PLATFORM, type DingTalkRaw } from './parse.js';

/** What the adapter keeps in `IncomingMessage.raw` for a tap on a card button. */
export interface DingTalkCardRaw extends DingTalkRaw {
  msgtype: 'cardCallback';
  /** The card's `outTrackId`. */
  outTrackId: string;
  /** `cardPrivateData.actionIds` of the callback. */
  actionIds: string[];
  /** `cardPrivateData.params` of the callback (string values). */
  params: Record<string, string>;
}

/** Options of {@link parseCardCallback}. */
export interface ParseCardCallbackOptions {
  /** The Stream frame's `headers.messageId`: the same on every redelivery, so it makes the message id. */
  frameMessageId: string;
  /** The group of an `outTrackId` the adapter did not make with `newOutTrackId` (e.g. remembered at delivery). */
  conversationOf?: (outTrackId: string) => string | undefined;
  /** Display names of staff ids the adapter has seen (a callback carries only the user id). */
  nameOf?: (staffId: string) => string | undefined;
}

/** `{ success: true, data } | { success: false, error }`: a malformed callback is an expected failure. */
export type ParseCardResult = { success: true; data: IncomingMessage & { raw: DingTalkCardRaw; action: { id: string; sourceMessageId: string } } } | { success: false; error: string };

const stringMap = z.record(z.string(), z.unknown());

const callback = z
  .object({
    outTrackId: z.string().min(1),
    userId: z.string().min(1),
    corpId: z.string().optional(),
    type: z.string().optional(),
    content: z.string().optional(),
    value: z.string().optional(),
  })
  .loose();

const privateData = z
  .object({
    cardPrivateData: z
      .object({
        actionIds: z.array(z.string()).default([]),
        params: stringMap.default({}),
      })
      .loose(),
  })
  .loose();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Turns a card callback (the `data` of a CALLBACK frame on `/v1.0/card/instances/callback`) into the engine's
 * incoming message: `text` is the button's `command` param, `action.id` its `action` param (else the first
 * action id), `action.sourceMessageId` the card's `outTrackId`, `messageId` `card:<frame messageId>` (stable
 * across redeliveries), the group read from the `outTrackId` (see `newOutTrackId`) or `conversationOf`.
 *
 * @example
 * parseCardCallback(JSON.stringify({ outTrackId, userId: 'u1', content: '{"cardPrivateData":{"actionIds":["action"],"params":{"action":"done-4","command":"确认 4"}}}' }), { frameMessageId: 'm1' });
 * // → { success: true, data: { text: '确认 4', action: { id: 'done-4', sourceMessageId: outTrackId }, messageId: 'card:m1', … } }
 */
export function parseCardCallback(data: unknown, options: ParseCardCallbackOptions): ParseCardResult {
  const parsedData = typeof data === 'string' ? parseJson(data) : data;
  const c = callback.safeParse(parsedData);
  if (!c.success) return { success: false, error: `not a card callback: ${c.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}` };
  const { outTrackId, userId, corpId } = c.data;
  const contentText = c.data.content ?? c.data.value;
  if (contentText === undefined) return { success: false, error: `card callback for ${outTrackId} has no content` };
  const p = privateData.safeParse(parseJson(contentText));
  if (!p.success) return { success: false, error: `card callback for ${outTrackId}: content has no cardPrivateData` };
  const { actionIds } = p.data.cardPrivateData;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.data.cardPrivateData.params)) if (typeof v === 'string') params[k] = v;
  const command = params.command?.trim();
  if (!command) return { success: false, error: `card callback for ${outTrackId}: the button has no command param (the template's 回传参数 must set command)` };
  const conversationId = conversationOfTrackId(outTrackId) ?? options.conversationOf?.(outTrackId);
  if (!conversationId) return { success: false, error: `card callback for ${outTrackId}: the card's group is unknown` };
  if (typeof options.frameMessageId !== 'string' || options.frameMessageId === '') return { success: false, error: 'card callback without a stream messageId' };
  const raw: DingTalkCardRaw = { conversationType: '2', msgtype: 'cardCallback', senderStaffId: userId, outTrackId, actionIds, params };
  if (corpId) raw.senderCorpId = corpId;
  const message: IncomingMessage & { raw: DingTalkCardRaw; action: { id: string; sourceMessageId: string } } = {
    platform: DINGTALK_PLATFORM,
    conversationId,
    messageId: `card:${options.frameMessageId}`,
    senderId: userId,
    senderName: options.nameOf?.(userId) ?? userId,
    text: command,
    mentions: [],
    isGroup: true,
    raw,
    action: { id: params.action || actionIds[0] || 'action', sourceMessageId: outTrackId },
  };
  return { success: true, data: message };
}
