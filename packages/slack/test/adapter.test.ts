// The adapter, with bolt's Socket Mode client inside, against the loopback Slack emulator.
import type { IncomingMessage } from '@zwgk/chat-contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, SlackApiError, SlackAuthError, startSlackEmulator, type SlackAdapter, type SlackAdapterOptions, type SlackChannel, type SlackEmulator } from '../src/index.js';

let emu: SlackEmulator;
let adapter: SlackAdapter | undefined;
let channel: SlackChannel;
const sleeps: number[] = [];

beforeEach(async () => {
  emu = await startSlackEmulator({ port: 0, ackTimeoutMs: 300, maxRedeliveries: 5 });
  channel = emu.createChannel({ name: 'guodao-zwgk', members: [{ id: 'U01ZHANG', name: '张三' }, { id: 'U02LI', name: '李四' }] });
  sleeps.length = 0;
});

afterEach(async () => {
  await adapter?.disconnect();
  adapter = undefined;
  await emu.close();
});

const quietLogger = { info() {}, warn() {}, error() {} };

/** Registers a handler the way the engine does: acknowledges each event once `handle` resolved, never when it rejected. */
function handleWith(a: SlackAdapter, handle: (m: IncomingMessage) => Promise<void>): void {
  a.onEvent(async (event) => {
    try {
      await handle(event.message);
    } catch {
      return;
    }
    await event.ack();
  });
}

function makeAdapter(extra: Partial<SlackAdapterOptions> = {}): SlackAdapter {
  adapter = createSlackAdapter({
    botToken: emu.botToken,
    appToken: emu.appToken,
    apiUrl: emu.apiUrl,
    clientPingTimeoutMs: 300,
    logger: quietLogger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
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

const envelope = (id: string) => emu.envelopes().find((e) => e.envelope_id === id);
const botMessages = () => emu.messages(channel.id).filter((m) => m.from === 'bot');

describe('createSlackAdapter against the emulator', () => {
  it('hands an app_mention to the handler normalised, and replies in the channel', async () => {
    const a = makeAdapter();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
      await a.reply(m, { text: '回执', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `已收到 <@${m.senderId}>` } }] });
    });
    await a.connect();
    const { ts, envelopeId } = emu.post({ channel: channel.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 确认 4 <https://www.qinyuan.gov.cn/gdz/xzcf> <@U02LI>` });
    await eventually(() => envelope(envelopeId)?.status === 'acked');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      platform: 'slack',
      conversationId: channel.id,
      conversationTitle: 'guodao-zwgk',
      messageId: `${channel.id}:${ts}`,
      senderId: 'U01ZHANG',
      senderName: '张三',
      isGroup: true,
      text: '确认 4 https://www.qinyuan.gov.cn/gdz/xzcf @U02LI',
      mentions: [{ id: 'U02LI', name: '李四' }],
    });
    expect(botMessages()).toMatchObject([{ text: '回执', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '已收到 <@U01ZHANG>' } }] }]);
    expect(botMessages()[0]?.thread_ts).toBeUndefined();
  });

  it('ignores channel messages that do not mention the bot, acknowledging them', async () => {
    const a = makeAdapter();
    let calls = 0;
    handleWith(a, async () => {
      calls++;
    });
    await a.connect();
    const { envelopeId } = emu.post({ channel: channel.id, user: 'U01ZHANG', text: '大家好' });
    await eventually(() => envelope(envelopeId)?.status === 'acked');
    expect(envelope(envelopeId)?.eventType).toBe('message');
    expect(calls).toBe(0);
  });

  it('acknowledges an envelope only when the engine acknowledges the event', async () => {
    const a = makeAdapter();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    handleWith(a, async () => {
      started = true;
      await gate;
    });
    await a.connect();
    const { envelopeId } = emu.post({ channel: channel.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 本周` });
    await eventually(() => started);
    await new Promise((r) => setTimeout(r, 100));
    expect(envelope(envelopeId)?.status).toBe('pending');
    release();
    await eventually(() => envelope(envelopeId)?.status === 'acked');
  });

  it('leaves an envelope unacknowledged when the engine does not acknowledge it, and hands over the redelivery', async () => {
    const a = makeAdapter();
    const attempts: number[] = [];
    handleWith(a, async () => {
      attempts.push(attempts.length);
      if (attempts.length === 1) throw new Error('database busy');
    });
    await a.connect();
    const { envelopeId } = emu.post({ channel: channel.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 本周` });
    const e = await eventually(() => envelope(envelopeId)?.status === 'acked' && envelope(envelopeId));
    expect(e.attempts.map((x) => x.retryAttempt).slice(0, 2)).toEqual([0, 1]);
    expect(attempts).toHaveLength(2);
  });

  it('hands Slack’s redelivery of a message whose ack was dropped to the engine again (the engine deduplicates)', async () => {
    const a = makeAdapter();
    let calls = 0;
    handleWith(a, async () => {
      calls++;
    });
    await a.connect();
    emu.faults({ dropAcks: 1 });
    const { envelopeId } = emu.post({ channel: channel.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 进度` });
    const e = await eventually(() => envelope(envelopeId)?.status === 'acked' && envelope(envelopeId));
    expect(e.droppedAcks).toBe(1);
    expect(e.attempts.length).toBeGreaterThanOrEqual(2);
    expect(calls).toBe(e.attempts.length);
  });

  it('sends Block Kit messages; a rate-limited post rejects as retryable after one attempt, for the engine to retry', async () => {
    const a = makeAdapter();
    await a.connect();
    emu.faults({ rateLimit: { count: 1, retryAfter: 3 } });
    const message = { text: '本周提醒', blocks: [{ type: 'header', text: { type: 'plain_text', text: '📋 郭道镇' } }] };
    await expect(a.send(channel.id, message)).rejects.toMatchObject({ code: 'ratelimited', retryable: true });
    expect(sleeps).toEqual([]);
    const sent = await a.send(channel.id, message);
    expect(emu.counters().rateLimited).toBe(1);
    const [m] = botMessages();
    expect(m).toMatchObject({ text: '本周提醒', blocks: [{ type: 'header', text: { type: 'plain_text', text: '📋 郭道镇' } }] });
    expect(sent.messageId).toBe(m?.ts);
  });

  it('delivers a county overview longer than one Slack section allows', async () => {
    const a = makeAdapter();
    await a.connect();
    const lines = Array.from({ length: 150 }, (_, i) => `• 单位${i}：12/34（35%），逾期 2，即将到期 1`);
    await a.send(channel.id, { text: '全县概况', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] });
    const [m] = botMessages();
    expect((m!.blocks as { text: { text: string } }[]).map((b) => b.text.text).join('\n')).toBe(lines.join('\n'));
  });

  it('gives up with a SlackApiError after one rate-limited attempt of a post, whatever attempts says', async () => {
    const a = makeAdapter({ attempts: 2 });
    await a.connect();
    emu.faults({ rateLimit: { count: 5, retryAfter: 1 } });
    await expect(a.send(channel.id, { title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] })).rejects.toThrow(SlackApiError);
    expect(emu.counters().rateLimited).toBe(1);
    expect(botMessages()).toHaveLength(0);
  });

  it('replaces a sent message with chat.update', async () => {
    const a = makeAdapter();
    await a.connect();
    const { messageId } = await a.send(channel.id, { text: 'v1', blocks: [] });
    await a.update(channel.id, messageId!, { text: 'v2', blocks: [{ type: 'divider' }] });
    expect(botMessages()).toMatchObject([{ ts: messageId, text: 'v2', blocks: [{ type: 'divider' }] }]);
  });

  it('rejects a send to an unknown channel with the Slack error code', async () => {
    const a = makeAdapter();
    await a.connect();
    await expect(a.send('CNOPE', { text: 'x', blocks: [] })).rejects.toMatchObject({ name: 'SlackApiError', code: 'channel_not_found' });
  });

  it('refuses an invalid bot token with SlackAuthError naming SLACK_BOT_TOKEN', async () => {
    const a = makeAdapter({ botToken: 'xoxb-wrong' });
    const error = await a.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SlackAuthError);
    expect(error).toMatchObject({ token: 'botToken', code: 'invalid_auth' });
    expect((error as Error).message).toContain('SLACK_BOT_TOKEN');
    expect(emu.connections()).toHaveLength(0);
  });

  it('refuses an invalid app token with SlackAuthError naming SLACK_APP_TOKEN', async () => {
    const a = makeAdapter({ appToken: 'xapp-wrong' });
    await expect(a.connect()).rejects.toMatchObject({ name: 'SlackAuthError', token: 'appToken', code: 'invalid_auth' });
    expect(emu.connections()).toHaveLength(0);
  });

  it('reconnects after a disconnect message and loses no message', async () => {
    const a = makeAdapter();
    const seen: string[] = [];
    handleWith(a, async (m) => {
      seen.push(m.text);
    });
    await a.connect();
    const first = emu.post({ channel: channel.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 进度 1` });
    await eventually(() => envelope(first.envelopeId)?.status === 'acked');
    emu.faults({ disconnect: { reason: 'refresh_requested' } });
    const during = emu.post({ channel: channel.id, user: 'U02LI', text: `<@${emu.botUserId}> 进度 2` });
    await eventually(() => a.state().connections >= 2);
    await eventually(() => envelope(during.envelopeId)?.status === 'acked');
    expect(seen.sort()).toEqual(['进度 1', '进度 2']);
  });
});
