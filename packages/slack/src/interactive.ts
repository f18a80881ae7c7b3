import type { IncomingMessage } from '@zwgk/chat-contract';
import { SLACK_PLATFORM, type SlackRaw } from './parse.js';

/** What the adapter keeps in {@link IncomingMessage.raw} for a button click. */
export interface SlackActionRaw extends SlackRaw {
  eventType: 'block_actions';
  /** The clicked button's `action_id`. */
  action_id: string;
  /** When the click happened (unique per click). */
  action_ts: string;
  block_id?: string;
}

/** Result of {@link parseBlockActions}. */
export type ParseBlockActionsResult =
  | { success: true; data: IncomingMessage & { raw: SlackActionRaw; action: { id: string; sourceMessageId: string } } }
  | { success: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Turns a `block_actions` interaction payload (a button click on a message, delivered in an `interactive` Socket
 * Mode envelope) into the engine's incoming message: `text` is the button's `value` (the command it stands for),
 * `action.id` its `action_id`, `action.sourceMessageId` the clicked message's `ts` (the id `chat.update` takes),
 * `messageId` `channel:action:<action_ts>` (the same on a redelivered envelope, different for a second click).
 *
 * @example
 * parseBlockActions({ type: 'block_actions', user: { id: 'U01', name: 'zhang' }, channel: { id: 'C01', name: 'guodao' },
 *   container: { type: 'message', message_ts: '1669000000.000100', channel_id: 'C01' },
 *   actions: [{ type: 'button', action_id: 'done-4', value: '确认 4', action_ts: '1669000100.000200' }] });
 * // → { success: true, data: { text: '确认 4', action: { id: 'done-4', sourceMessageId: '1669000000.000100' }, … } }
 */
export function parseBlockActions(payload: unknown): ParseBlockActionsResult {
  if (!isObject(payload)) return { success: false, error: 'payload is not an object' };
  if (payload.type !== 'block_actions') return { success: false, error: `interaction type ${String(payload.type)} is not block_actions` };
  const container = isObject(payload.container) ? payload.container : {};
  const channel = str(isObject(payload.channel) ? payload.channel.id : undefined) ?? str(container.channel_id);
  if (!channel) return { success: false, error: 'block_actions without a channel (not a message button)' };
  const user = isObject(payload.user) ? payload.user : {};
  const userId = str(user.id);
  if (!userId) return { success: false, error: 'block_actions without a user' };
  const messageTs = str(container.message_ts) ?? str(isObject(payload.message) ? payload.message.ts : undefined);
  if (!messageTs) return { success: false, error: 'block_actions without the clicked message’s ts' };
  const action = Array.isArray(payload.actions) ? payload.actions[0] : undefined;
  if (!isObject(action)) return { success: false, error: 'block_actions without actions' };
  const actionId = str(action.action_id);
  const actionTs = str(action.action_ts);
  if (!actionId || !actionTs) return { success: false, error: 'the action has no action_id or action_ts' };
  const command = typeof action.value === 'string' ? action.value.trim() : '';
  if (command === '') return { success: false, error: `button ${actionId} carries no value (no command to run)` };
  const raw: SlackActionRaw = { channel, ts: messageTs, user: userId, eventType: 'block_actions', action_id: actionId, action_ts: actionTs };
  const threadTs = isObject(payload.message) ? str(payload.message.thread_ts) : undefined;
  if (threadTs) raw.thread_ts = threadTs;
  const team = str(isObject(payload.team) ? payload.team.id : undefined) ?? str(user.team_id);
  if (team) raw.team = team;
  const blockId = str(action.block_id);
  if (blockId) raw.block_id = blockId;
  const channelName = str(isObject(payload.channel) ? payload.channel.name : undefined);
  const message: IncomingMessage & { raw: SlackActionRaw; action: { id: string; sourceMessageId: string } } = {
    platform: SLACK_PLATFORM,
    conversationId: channel,
    messageId: `${channel}:action:${actionTs}`,
    senderId: userId,
    senderName: str(user.name) ?? str(user.username) ?? userId,
    text: command,
    mentions: [],
    isGroup: !channel.startsWith('D'),
    receivedAt: new Date(Math.round(Number(actionTs) * 1000)),
    raw,
    action: { id: actionId, sourceMessageId: messageTs },
  };
  if (channelName && message.isGroup) message.conversationTitle = channelName;
  return { success: true, data: message };
}
