// Block Kit buttons end to end: the adapter (bolt's Socket Mode client inside) receives block_actions from the
// loopback Slack emulator as action messages, acknowledges them when the engine does, and updates the message.
import type { IncomingEvent, IncomingMessage } from '@zwgk/chat-contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, startSlackEmulator, type SlackAdapter, type SlackChannel, type SlackEmulator } from '../src/index.js';

let emu: SlackEmulator;
let adapter: SlackAdapter | undefined;
let channel: SlackChannel;

beforeEach(async () => {
  emu = await startSlackEmulator({ port: 0, ackTimeoutMs: 300, maxRedeliveries: 5 });
  channel = emu.createChannel({ name: 'guodao-zwgk', members: [{ id: 'U01ZHANG', name: '张三' }, { id: 'U02LI', name: '李四' }] });
});

afterEach(async () => {
  await adapter?.disconnect();
  adapter = undefined;
  await emu.close();
});

function makeAdapter(): SlackAdapter {
  adapter = createSlackAdapter({ botToken: emu.botToken, appToken: emu.appToken, apiUrl: emu.apiUrl, clientPingTimeoutMs: 300, logger: { info() {}, warn() {}, error() {} }, sleep: async () => {} });
  return adapter;
}

async function eventually<T>(probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const digest = {
  text: '本周待办',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: '*本周待办*\n任务 4 政务公开工作年度报告' } },
    { type: 'actions', elements: [{ type: 'button', action_id: 'done-4', style: 'primary', text: { type: 'plain_text', text: '已完成' }, value: '确认 4' }] },
  ],
};

describe('Slack buttons through the adapter', () => {
  it('hands a click to the engine as an action message, is redelivered until acked, and updates the message with chat.update', async () => {
    const a = makeAdapter();
    const events: IncomingEvent[] = [];
    a.onEvent(async (event) => {
      events.push(event);
    });
    await a.connect();
    const { messageId: ts } = await a.send(channel.id, digest);
    expect(ts).toEqual(expect.any(String));

    const { envelopeId, actionTs } = emu.click({ channel: channel.id, ts: ts!, user: 'U02LI', action_id: 'done-4' });
    const first = await eventually(() => events[0]);
    const message: IncomingMessage = first.message;
    expect(message).toMatchObject({
      platform: 'slack',
      conversationId: channel.id,
      messageId: `${channel.id}:action:${actionTs}`,
      senderId: 'U02LI',
      senderName: '李四',
      text: '确认 4',
      isGroup: true,
      action: { id: 'done-4', sourceMessageId: ts },
    });
    // Left unacknowledged (the engine has not committed): the envelope comes again, with the same message id.
    const second = await eventually(() => events[1]);
    expect(second.message.messageId).toBe(message.messageId);
    expect(await second.ack()).toBe(true);
    await eventually(() => emu.envelopes().find((e) => e.envelope_id === envelopeId)?.status === 'acked');

    await a.update(channel.id, message.action!.sourceMessageId!, { text: '已确认', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '✅ 李四 已确认任务 4' } }] });
    expect(emu.messages(channel.id).find((m) => m.ts === ts)).toMatchObject({ text: '已确认', blocks: [{ type: 'section' }], edited: { ts: expect.any(String) } });

    await a.reply(message, { title: '回执', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '已确认任务 4' }] }] });
    expect(emu.messages(channel.id).at(-1)).toMatchObject({ from: 'bot', text: expect.stringContaining('回执') });
  });

  it('refuses buttons Slack refuses, as a non-retryable SlackApiError', async () => {
    const a = makeAdapter();
    const bad = { ...digest, blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'x'.repeat(80) }, value: 'v' }] }] };
    await expect(a.send(channel.id, bad)).rejects.toMatchObject({ name: 'SlackApiError', code: 'invalid_blocks', retryable: false });
  });
});
