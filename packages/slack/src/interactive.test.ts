import { describe, expect, it } from 'vitest';
import { parseBlockActions } from './interactive.js';

function payload(overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}) {
  return {
    type: 'block_actions',
    user: { id: 'U01', username: 'u01', name: 'zhang', team_id: 'T1' },
    team: { id: 'T1', domain: 'x' },
    container: { type: 'message', message_ts: '1669000000.000100', channel_id: 'C01', is_ephemeral: false },
    channel: { id: 'C01', name: 'guodao' },
    message: { ts: '1669000000.000100', text: '本周待办' },
    actions: [{ type: 'button', action_id: 'done-4', block_id: 'item-4', value: '确认 4', action_ts: '1669000100.000200', ...action }],
    ...overrides,
  };
}

describe('parseBlockActions', () => {
  it('turns a button click into a message whose text is the button’s value and whose action names the message', () => {
    expect(parseBlockActions(payload())).toEqual({
      success: true,
      data: {
        platform: 'slack',
        conversationId: 'C01',
        conversationTitle: 'guodao',
        messageId: 'C01:action:1669000100.000200',
        senderId: 'U01',
        senderName: 'zhang',
        text: '确认 4',
        mentions: [],
        isGroup: true,
        receivedAt: new Date(1669000100000),
        raw: { channel: 'C01', ts: '1669000000.000100', user: 'U01', team: 'T1', eventType: 'block_actions', action_id: 'done-4', action_ts: '1669000100.000200', block_id: 'item-4' },
        action: { id: 'done-4', sourceMessageId: '1669000000.000100' },
      },
    });
  });

  it('gives two clicks different ids and keeps a thread for the reply', () => {
    const a = parseBlockActions(payload());
    const b = parseBlockActions(payload({ message: { ts: '1669000000.000100', thread_ts: '1668999999.000001' } }, { action_ts: '1669000200.000300' }));
    expect(a.success && b.success).toBe(true);
    if (!a.success || !b.success) return;
    expect(a.data.messageId).not.toBe(b.data.messageId);
    expect(b.data.raw.thread_ts).toBe('1668999999.000001');
  });

  it('treats a direct-message channel as one-to-one', () => {
    const r = parseBlockActions(payload({ channel: { id: 'D01', name: 'directmessage' }, container: { type: 'message', message_ts: '1.2', channel_id: 'D01' } }));
    expect(r).toMatchObject({ success: true, data: { isGroup: false, conversationId: 'D01' } });
    if (r.success) expect(r.data.conversationTitle).toBeUndefined();
  });

  it.each([
    ['another interaction type', { type: 'view_submission' }, {}, /view_submission/],
    ['no channel (a button in a modal)', { channel: undefined, container: { type: 'view' } }, {}, /channel/],
    ['no user', { user: {} }, {}, /user/],
    ['a link button without a value', {}, { value: undefined }, /no value/],
    ['an action without action_ts', {}, { action_ts: undefined }, /action_ts/],
  ])('refuses %s', (_what, overrides, action, why) => {
    const r = parseBlockActions(payload(overrides, action));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toMatch(why);
  });
});
