import { describe, expect, it } from 'vitest';
import { parseRobotMessage, stripMentions } from './parse.js';

const BOT = '$:LWCP_v1:$bot';

function data(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({
    conversationId: 'cid1',
    conversationType: '2',
    conversationTitle: '郭道镇工作群',
    msgId: 'msgA',
    msgtype: 'text',
    text: { content: ' 确认 4' },
    senderStaffId: 'u1',
    senderNick: '张三',
    chatbotUserId: BOT,
    atUsers: [{ dingtalkId: BOT }],
    isInAtList: true,
    createAt: 1_669_000_000_000,
    sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc',
    sessionWebhookExpiredTime: 1_669_005_400_000,
    ...overrides,
  });
}

describe('parseRobotMessage', () => {
  it('normalises a group message', () => {
    const r = parseRobotMessage(data());
    expect(r.success).toBe(true);
    if (!r.success) return;
    const m = r.data.message;
    expect(m).toMatchObject({
      platform: 'dingtalk',
      conversationId: 'cid1',
      conversationTitle: '郭道镇工作群',
      messageId: 'msgA',
      senderId: 'u1',
      senderName: '张三',
      text: '确认 4',
      mentions: [],
      isGroup: true,
    });
    expect(m.receivedAt?.toISOString()).toBe('2022-11-21T03:06:40.000Z');
    expect(r.data.session).toEqual({ url: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc', expiresAt: 1_669_005_400_000 });
  });

  it('removes the bot mention when DingTalk left it in the text', () => {
    const r = parseRobotMessage(data({ text: { content: '@政务公开助手 本周' } }));
    expect(r.success && r.data.message.text).toBe('本周');
  });

  it('pairs other mentions with atUsers, names from the text', () => {
    const r = parseRobotMessage(
      data({
        text: { content: '@政务公开助手 联络员 @李四 @王五 ' },
        atUsers: [{ dingtalkId: BOT }, { dingtalkId: 'd2', staffId: 'u2' }, { dingtalkId: 'd3', staffId: 'u3' }],
      }),
    );
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.message.text).toBe('联络员 @李四 @王五');
    expect(r.data.message.mentions).toEqual([
      { id: 'u2', name: '李四' },
      { id: 'u3', name: '王五' },
    ]);
  });

  it('finds the bot token by its place in atUsers when it is not first', () => {
    const r = stripMentions('联络员 @李四 @政务公开助手', [{ dingtalkId: 'd2', staffId: 'u2' }, { dingtalkId: BOT }], { chatbotUserId: BOT, botMentioned: true });
    expect(r).toEqual({ text: '联络员 @李四', mentions: [{ id: 'u2', name: '李四' }] });
  });

  it('removes a configured robot name anywhere', () => {
    const r = stripMentions('确认 4 @政务公开助手', [], { botMentioned: true, robotNames: ['政务公开助手'] });
    expect(r.text).toBe('确认 4');
  });

  it('falls back to staff ids as names when the tokens do not line up', () => {
    const r = stripMentions('联络员 @John Smith', [{ dingtalkId: 'd2', staffId: 'u2' }, { dingtalkId: 'd3', staffId: 'u3' }], { chatbotUserId: BOT, botMentioned: true });
    expect(r.mentions).toEqual([
      { id: 'u2', name: 'u2' },
      { id: 'u3', name: 'u3' },
    ]);
  });

  it('keeps a one-to-one message as typed', () => {
    const r = parseRobotMessage(data({ conversationType: '1', text: { content: '@张三 你好' }, atUsers: [], isInAtList: false }));
    expect(r.success && r.data.message.isGroup).toBe(false);
    expect(r.success && r.data.message.text).toBe('@张三 你好');
  });

  it('uses senderId for people outside the organisation', () => {
    const r = parseRobotMessage(data({ senderStaffId: undefined, senderId: '$:ext', senderNick: undefined }));
    expect(r.success && r.data.message).toMatchObject({ senderId: '$:ext', senderName: '$:ext' });
  });

  it('reads the text of richText messages', () => {
    const r = parseRobotMessage(data({ msgtype: 'richText', text: undefined, content: { richText: [{ text: '确认 ' }, { downloadCode: 'x', type: 'picture' }, { text: '9' }] } }));
    expect(r.success && r.data.message.text).toBe('确认 9');
  });

  it('fails on malformed data, naming what is wrong', () => {
    expect(parseRobotMessage('{oops')).toMatchObject({ success: false, error: expect.stringContaining('not JSON') });
    expect(parseRobotMessage(data({ msgId: 42 }))).toMatchObject({ success: false, error: expect.stringContaining('msgId') });
    expect(parseRobotMessage(data({ senderStaffId: undefined }))).toMatchObject({ success: false, error: expect.stringContaining('senderStaffId') });
    expect(parseRobotMessage(null)).toMatchObject({ success: false });
  });

  it('ignores a session webhook without a usable expiry', () => {
    const r = parseRobotMessage(data({ sessionWebhookExpiredTime: undefined }));
    expect(r.success && r.data.session).toBeUndefined();
  });
});
