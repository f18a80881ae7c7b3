import { describe, expect, it } from 'vitest';
import { parseSlackEvent, slackMentions, slackText } from './parse.js';

const BOT = 'UBOT';

describe('slackText', () => {
  it('removes the bot mention and unwraps links, channel links and entities', () => {
    expect(slackText('<@UBOT> 确认 4 <https://gov.cn/a?b=1&amp;c=2|gov.cn/a> 见 <#C01|guodao> &lt;说明&gt;', BOT)).toBe('确认 4 https://gov.cn/a?b=1&c=2 见 #guodao <说明>');
  });

  it('shows other people’s mentions as @name, or @id when Slack sent no name', () => {
    expect(slackText('<@UBOT> 联络员 <@U02LI|李四> <@W03WANG>', BOT)).toBe('联络员 @李四 @W03WANG');
  });

  it('collapses full-width and repeated spaces left by the removed mention', () => {
    expect(slackText('确认\u3000 <@UBOT>   4', BOT)).toBe('确认 4');
  });
});

describe('slackMentions', () => {
  it('lists mentioned users once each, in order, without the bot', () => {
    expect(slackMentions('<@U02|李四> <@UBOT> <@U01> <@U02|李四>', BOT)).toEqual([
      { id: 'U02', name: '李四' },
      { id: 'U01', name: 'U01' },
    ]);
  });
});

describe('parseSlackEvent', () => {
  const mention = { type: 'app_mention', user: 'U01', text: '<@UBOT> 确认 4', ts: '1669000000.000100', channel: 'C01', event_ts: '1669000000.000100', team: 'T1' };

  it('normalises an app_mention with channel:ts as message id', () => {
    const r = parseSlackEvent(mention, { botUserId: BOT, channelName: 'guodao' });
    expect(r).toEqual({
      success: true,
      data: {
        platform: 'slack',
        conversationId: 'C01',
        conversationTitle: 'guodao',
        messageId: 'C01:1669000000.000100',
        senderId: 'U01',
        senderName: 'U01',
        text: '确认 4',
        mentions: [],
        isGroup: true,
        receivedAt: new Date(1_669_000_000_000),
        raw: { channel: 'C01', ts: '1669000000.000100', user: 'U01', team: 'T1', eventType: 'app_mention' },
      },
    });
  });

  it('keeps the thread of a mention posted in a thread', () => {
    const r = parseSlackEvent({ ...mention, thread_ts: '1668999999.000001' }, { botUserId: BOT });
    expect(r.success && r.data.raw.thread_ts).toBe('1668999999.000001');
  });

  it('accepts direct messages without a mention as one-to-one chats', () => {
    const r = parseSlackEvent({ type: 'message', channel_type: 'im', user: 'U01', text: '本周', ts: '1.2', channel: 'D01' }, { botUserId: BOT });
    expect(r.success && { isGroup: r.data.isGroup, text: r.data.text }).toEqual({ isGroup: false, text: '本周' });
  });

  it.each([
    ['a channel message without a mention', { type: 'message', channel_type: 'channel', user: 'U01', text: 'hi', ts: '1.2', channel: 'C01' }],
    ['an edit', { type: 'message', subtype: 'message_changed', channel_type: 'im', ts: '1.2', channel: 'D01' }],
    ['a bot message', { type: 'message', channel_type: 'im', bot_id: 'B1', user: 'U9', text: 'x', ts: '1.2', channel: 'D01' }],
    ['the bot’s own mention', { ...mention, user: BOT }],
    ['a reaction', { type: 'reaction_added', user: 'U01' }],
    ['an event without ts', { ...mention, ts: undefined }],
    ['an event without channel', { ...mention, channel: '' }],
    ['null', null],
  ])('refuses %s', (_what, event) => {
    expect(parseSlackEvent(event, { botUserId: BOT }).success).toBe(false);
  });
});
