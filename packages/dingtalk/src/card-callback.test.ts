import { describe, expect, it } from 'vitest';
import { parseCardCallback } from './card-callback.js';
import { conversationOfTrackId, newOutTrackId, toCardParamMap } from './transport/card.js';

const CID = 'cid6KeBBLoveMJOGXoYKF5x7EeiodoA==';

function callback(overrides: Record<string, unknown> = {}, privateData: unknown = { actionIds: ['action'], params: { action: 'done-4', command: '确认 4' } }) {
  const content = JSON.stringify({ cardPrivateData: privateData });
  return JSON.stringify({ extension: '{}', corpId: 'dingcorp', spaceType: '', userIdType: 1, type: 'actionCallback', userId: 'u1', content, spaceId: '', outTrackId: newOutTrackId(CID, () => Buffer.from('0102030405060708', 'hex')), value: content, ...overrides });
}

describe('newOutTrackId', () => {
  it('names its group so a callback can be routed after a restart', () => {
    const id = newOutTrackId(CID);
    expect(id).toMatch(/^zwgk\.[A-Za-z0-9_-]+\.[0-9a-f]{16}$/);
    expect(conversationOfTrackId(id)).toBe(CID);
    expect(newOutTrackId(CID)).not.toBe(id);
  });

  it('reads no group from ids it did not make', () => {
    expect(conversationOfTrackId('custom_biz_id')).toBeUndefined();
    expect(conversationOfTrackId('zwgk..00')).toBeUndefined();
  });
});

describe('parseCardCallback', () => {
  it('turns a tap into a message whose text is the button’s command and whose action names the card', () => {
    const r = parseCardCallback(callback(), { frameMessageId: 'f1', nameOf: (id) => (id === 'u1' ? '张三' : undefined) });
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data).toMatchObject({
      platform: 'dingtalk',
      conversationId: CID,
      messageId: 'card:f1',
      senderId: 'u1',
      senderName: '张三',
      text: '确认 4',
      mentions: [],
      isGroup: true,
      action: { id: 'done-4', sourceMessageId: 'zwgk.' + Buffer.from(CID).toString('base64url') + '.0102030405060708' },
      raw: { msgtype: 'cardCallback', conversationType: '2', senderStaffId: 'u1', senderCorpId: 'dingcorp', actionIds: ['action'] },
    });
  });

  it('gives redeliveries of one callback the same message id, and different taps different ones', () => {
    const a = parseCardCallback(callback(), { frameMessageId: 'f1' });
    const b = parseCardCallback(callback(), { frameMessageId: 'f1' });
    const c = parseCardCallback(callback(), { frameMessageId: 'f2' });
    expect(a.success && b.success && c.success).toBe(true);
    if (!a.success || !b.success || !c.success) return;
    expect(a.data.messageId).toBe(b.data.messageId);
    expect(c.data.messageId).not.toBe(a.data.messageId);
  });

  it('falls back to the first action id, to `value`, and to a remembered group', () => {
    const content = JSON.stringify({ cardPrivateData: { actionIds: ['btn_confirm'], params: { command: '通过 4 郭道镇' } } });
    const r = parseCardCallback({ userId: 'admin', outTrackId: 'custom_biz_id', value: content }, { frameMessageId: 'f3', conversationOf: (id) => (id === 'custom_biz_id' ? 'cidAdmin' : undefined) });
    expect(r).toMatchObject({ success: true, data: { conversationId: 'cidAdmin', text: '通过 4 郭道镇', action: { id: 'btn_confirm', sourceMessageId: 'custom_biz_id' }, senderName: 'admin' } });
  });

  it.each([
    ['data that is not JSON', '{', /not a card callback/],
    ['no userId', callback({ userId: '' }), /userId/],
    ['no content', callback({ content: undefined, value: undefined }), /no content/],
    ['content without cardPrivateData', callback({ content: '{}', value: '{}' }), /cardPrivateData/],
    ['a button without a command', callback({}, { actionIds: ['a'], params: {} }), /command/],
    ['a card of an unknown group', callback({ outTrackId: 'custom_biz_id' }), /group is unknown/],
  ])('refuses %s with a clear error', (_what, data, error) => {
    const r = parseCardCallback(data, { frameMessageId: 'f9' });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toMatch(error);
  });
});

describe('toCardParamMap', () => {
  it('fills the template’s variables, every value a string, with colours from the action styles', () => {
    const map = toCardParamMap({
      title: '复核',
      markdown: '郭道镇 · 任务 4',
      actions: [
        { id: 'accept-4', label: '通过', command: '通过 4 郭道镇', style: 'primary' },
        { id: 'return-4', label: '退回', command: '退回 4 郭道镇', style: 'danger' },
        { id: 'view-4', label: '查看任务', command: '进度 4', style: 'default' },
      ],
    });
    expect(Object.values(map).every((v) => typeof v === 'string')).toBe(true);
    expect(JSON.parse(map.buttons!)).toEqual([
      { text: '通过', color: 'blue', params: { action: 'accept-4', command: '通过 4 郭道镇' } },
      { text: '退回', color: 'red', params: { action: 'return-4', command: '退回 4 郭道镇' } },
      { text: '查看任务', color: 'gray', params: { action: 'view-4', command: '进度 4' } },
    ]);
    expect(toCardParamMap({ title: 't', markdown: 'm' }).buttons).toBe('[]');
  });

  it('round-trips: a tap on a button it made parses back to the action’s id and command', () => {
    const map = toCardParamMap({ title: 't', markdown: 'm', actions: [{ id: 'done-4', label: '已完成', command: '确认 4' }] });
    const [button] = JSON.parse(map.buttons!) as Array<{ params: Record<string, string> }>;
    const content = JSON.stringify({ cardPrivateData: { actionIds: ['action'], params: button!.params } });
    const r = parseCardCallback({ userId: 'u1', outTrackId: newOutTrackId(CID), content }, { frameMessageId: 'f' });
    expect(r).toMatchObject({ success: true, data: { text: '确认 4', action: { id: 'done-4' }, conversationId: CID } });
  });
});
