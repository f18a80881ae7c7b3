import { describe, expect, it } from 'vitest';
import {
  MSG_KEYS,
  callbackFrame,
  mentionsIn,
  newConversationId,
  newMessageId,
  newMsgId,
  parseMsgParam,
  parseUpstreamFrame,
  parseWebhookBody,
  robotMessageData,
  systemFrame,
} from './protocol.js';

const members = [
  { staffId: 'u1', nick: '张三' },
  { staffId: 'u2', nick: '张三丰' },
  { staffId: 'u3', nick: '李四' },
];

describe('parseMsgParam', () => {
  it('turns sampleMarkdown into a markdown message', () => {
    const r = parseMsgParam('sampleMarkdown', JSON.stringify({ title: '本周待办', text: '## 逾期\n- 任务 4' }), 15000);
    expect(r).toEqual({ success: true, data: { msgtype: 'markdown', markdown: { title: '本周待办', text: '## 逾期\n- 任务 4' } } });
  });

  it('turns sampleText into a text message', () => {
    const r = parseMsgParam('sampleText', '{"content":"你好"}', 15000);
    expect(r.success && r.data).toEqual({ msgtype: 'text', text: '你好' });
  });

  it('turns sampleActionCard into a card with one vertical button', () => {
    const r = parseMsgParam(
      'sampleActionCard',
      JSON.stringify({ title: 'T', text: 'x', singleTitle: '查看', singleURL: 'https://example.org/a' }),
      15000,
    );
    expect(r.success && r.data.actionCard).toEqual({
      title: 'T',
      text: 'x',
      buttons: [{ title: '查看', url: 'https://example.org/a' }],
      btnOrientation: '0',
    });
  });

  it('reads the numbered buttons of sampleActionCard3 in order', () => {
    const param = { title: 'T', text: 'x', actionTitle1: 'a', actionURL1: 'https://a', actionTitle2: 'b', actionURL2: 'https://b', actionTitle3: 'c', actionURL3: 'https://c' };
    const r = parseMsgParam('sampleActionCard3', JSON.stringify(param), 15000);
    expect(r.success && r.data.actionCard?.buttons.map((b) => b.title)).toEqual(['a', 'b', 'c']);
  });

  it('lays the two buttons of sampleActionCard6 out horizontally', () => {
    const param = { title: 'T', text: 'x', buttonTitle1: '同意', buttonUrl1: 'https://a', buttonTitle2: '拒绝', buttonUrl2: 'https://b' };
    const r = parseMsgParam('sampleActionCard6', JSON.stringify(param), 15000);
    expect(r.success && r.data.actionCard?.btnOrientation).toBe('1');
  });

  it('names the missing fields of a template', () => {
    const r = parseMsgParam('sampleActionCard', JSON.stringify({ title: 'T', text: 'x' }), 15000);
    expect(r).toMatchObject({ success: false, error: { status: 400, code: 'invalidParameter.msgParam.invalid' } });
    expect(!r.success && r.error.message).toContain('singleTitle, singleURL');
  });

  it('refuses an unknown msgKey with the known ones listed', () => {
    const r = parseMsgParam('sampleHologram', '{}', 15000);
    expect(r).toMatchObject({ success: false, error: { code: 'invalidParameter.msgKey.invalid' } });
    expect(!r.success && r.error.message).toContain('sampleMarkdown');
  });

  it('refuses msgParam that is an object instead of a JSON string', () => {
    const r = parseMsgParam('sampleText', { content: 'x' }, 15000);
    expect(r).toMatchObject({ success: false, error: { code: 'invalidParameter.msgParam.invalid' } });
  });

  it('refuses msgParam that is not JSON', () => {
    expect(parseMsgParam('sampleText', '{content:', 15000)).toMatchObject({ success: false, error: { code: 'invalidParameter.msgParam.invalid' } });
  });

  it('counts the limit in UTF-8 bytes, so 5000 Chinese characters pass 15000 bytes only just', () => {
    const fits = JSON.stringify({ title: 't', text: '字'.repeat(4990) });
    const tooLong = JSON.stringify({ title: 't', text: '字'.repeat(5000) });
    expect(parseMsgParam('sampleMarkdown', fits, 15000).success).toBe(true);
    expect(parseMsgParam('sampleMarkdown', tooLong, 15000)).toMatchObject({ success: false, error: { code: 'invalidParameter.param.invalid' } });
  });

  it('knows every template it documents', () => {
    expect(Object.keys(MSG_KEYS)).toEqual(expect.arrayContaining(['sampleText', 'sampleMarkdown', 'sampleActionCard', 'sampleActionCard5', 'sampleLink']));
  });
});

describe('parseWebhookBody', () => {
  it('reads a markdown reply with its @-mentions', () => {
    const r = parseWebhookBody({ msgtype: 'markdown', markdown: { title: '回执', text: '已确认 @u1' }, at: { atUserIds: ['u1'] } }, 20000);
    expect(r).toEqual({
      success: true,
      data: { msgtype: 'markdown', markdown: { title: '回执', text: '已确认 @u1' }, atUserIds: ['u1'], isAtAll: false },
    });
  });

  it('reads an actionCard with btns', () => {
    const r = parseWebhookBody(
      { msgtype: 'actionCard', actionCard: { title: 'T', text: 'x', btnOrientation: '1', btns: [{ title: '确认', actionURL: 'dtmd://dingtalkclient/sendMessage?content=x' }] } },
      20000,
    );
    expect(r.success && r.data.actionCard).toEqual({ title: 'T', text: 'x', buttons: [{ title: '确认', url: 'dtmd://dingtalkclient/sendMessage?content=x' }], btnOrientation: '1' });
  });

  it('answers errcode 460101 when the content is over the limit', () => {
    const r = parseWebhookBody({ msgtype: 'text', text: { content: 'x'.repeat(101) } }, 100);
    expect(r).toMatchObject({ success: false, error: { errcode: 460101 } });
  });

  it('names a missing markdown field', () => {
    const r = parseWebhookBody({ msgtype: 'markdown', markdown: { title: 'x' } }, 20000);
    expect(r).toMatchObject({ success: false, error: { errcode: 40035, errmsg: '缺少参数 markdown.text' } });
  });

  it('refuses an unknown msgtype', () => {
    expect(parseWebhookBody({ msgtype: 'hologram', hologram: {} }, 20000)).toMatchObject({ success: false, error: { errcode: 40008 } });
  });

  it('refuses an actionCard without buttons', () => {
    expect(parseWebhookBody({ msgtype: 'actionCard', actionCard: { title: 'T', text: 'x' } }, 20000).success).toBe(false);
  });
});

describe('mentionsIn', () => {
  it('finds members by staff id and by nick, longest nick first', () => {
    expect(mentionsIn('请 @张三丰 和 @u3 确认', members).map((m) => m.staffId)).toEqual(['u2', 'u3']);
  });

  it('finds nobody in text without @', () => {
    expect(mentionsIn('张三 确认 4', members)).toEqual([]);
  });
});

describe('parseUpstreamFrame', () => {
  it('reads an ack', () => {
    const r = parseUpstreamFrame(JSON.stringify({ code: 200, headers: { messageId: 'm1', contentType: 'application/json' }, message: 'OK', data: '{"response":null}' }));
    expect(r).toEqual({ success: true, data: { code: 200, messageId: 'm1', message: 'OK', data: '{"response":null}' } });
  });

  it('refuses text that is not JSON', () => {
    expect(parseUpstreamFrame('{oops')).toMatchObject({ success: false, error: { status: 400 } });
  });

  it('refuses a frame without headers.messageId', () => {
    expect(parseUpstreamFrame('{"code":200,"headers":{}}')).toMatchObject({ success: false, error: { message: 'frame has no headers.messageId' } });
  });
});

describe('frames', () => {
  it('builds a CALLBACK frame whose data is a JSON string', () => {
    const f = callbackFrame('/v1.0/im/bot/messages/get', { a: 1 }, { appId: 'app', connectionId: 'c1', messageId: 'm1' }, 1700000000000);
    expect(f).toEqual({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: 'app', connectionId: 'c1', contentType: 'application/json', messageId: 'm1', time: '1700000000000', topic: '/v1.0/im/bot/messages/get' },
      data: '{"a":1}',
    });
  });

  it('builds a ping with an opaque id in its data', () => {
    const f = systemFrame('ping', { opaque: 'o1' }, 'c1', 5);
    expect(f).toMatchObject({ type: 'SYSTEM', headers: { topic: 'ping', connectionId: 'c1' }, data: '{"opaque":"o1"}' });
  });

  it('makes message ids shaped like DingTalk’s and distinct', () => {
    const a = newMessageId(1690362102194);
    expect(a).toMatch(/^[0-9a-f]{8}_\d{1,3}_[0-9a-f]+_[0-9a-f]{5}$/);
    expect(newMessageId(1690362102194)).not.toBe(a);
  });

  it('keeps ids distinct and well-shaped across many refills of its random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newMsgId();
      expect(id).toMatch(/^msg[A-Za-z0-9+/]{22}==$/);
      ids.add(id);
      ids.add(newMessageId(1690362102194));
    }
    expect(ids.size).toBe(4000);
  });

  it('makes conversation ids without a slash, so they fit in a URL path', () => {
    for (let i = 0; i < 50; i++) expect(newConversationId()).toMatch(/^cid[A-Za-z0-9+]+==$/);
  });
});

describe('robotMessageData', () => {
  it('carries the docs/dingtalk.md fields, a leading space in the content and the robot first in atUsers', () => {
    const d = robotMessageData({
      conversationId: 'cid1',
      conversationTitle: '郭道镇',
      msgId: 'msg1',
      sender: { staffId: 'u1', nick: '张三', isAdmin: true },
      corpId: 'corp',
      chatbotUserId: 'bot-id',
      robotCode: 'robot',
      text: '确认 4 @李四',
      mentioned: [{ staffId: 'u3', nick: '李四' }],
      createAt: 1000,
      sessionWebhook: 'http://127.0.0.1:1/robot/sendBySession?session=s',
      sessionWebhookExpiredTime: 2000,
    });
    expect(d).toMatchObject({
      conversationId: 'cid1',
      conversationType: '2',
      conversationTitle: '郭道镇',
      msgId: 'msg1',
      senderStaffId: 'u1',
      senderNick: '张三',
      senderCorpId: 'corp',
      isAdmin: true,
      chatbotUserId: 'bot-id',
      robotCode: 'robot',
      isInAtList: true,
      createAt: 1000,
      sessionWebhookExpiredTime: 2000,
      msgtype: 'text',
      text: { content: ' 确认 4 @李四' },
    });
    expect(d.atUsers[0]).toEqual({ dingtalkId: 'bot-id' });
    expect(d.atUsers[1]).toMatchObject({ staffId: 'u3' });
  });
});
