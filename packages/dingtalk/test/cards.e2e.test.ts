// Interactive cards end to end: the adapter's card client and its TOPIC_CARD subscription (the real
// dingtalk-stream client inside) against @zwgk/dingtalk-emulator on loopback.
import type { IncomingEvent, IncomingMessage } from '@zwgk/chat-contract';
import { SANDBOX_APP, startEmulator, type Emulator, type Group } from '@zwgk/dingtalk-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDingTalkAdapter, DingTalkApiError, toCardParamMap, type DingTalkAdapter, type DingTalkAdapterOptions } from '../src/index.js';

const TEMPLATE = 'zwgk-action.schema';
let emu: Emulator;
let adapter: DingTalkAdapter | undefined;
let group: Group;

beforeEach(async () => {
  emu = await startEmulator({ port: 0, ackTimeoutMs: 300, maxRedeliveries: 5, cardTemplates: [{ cardTemplateId: TEMPLATE }] });
  group = emu.createGroup({ title: '郭道镇政务公开群', members: [{ staffId: 'gd-01', nick: '张三' }, { staffId: 'gd-02', nick: '李四' }] });
});

afterEach(async () => {
  await adapter?.disconnect();
  adapter = undefined;
  await emu.close();
});

function connectAdapter(extra: Partial<DingTalkAdapterOptions> = {}): DingTalkAdapter {
  adapter = createDingTalkAdapter({
    clientId: SANDBOX_APP.clientId,
    clientSecret: SANDBOX_APP.clientSecret,
    robotCode: SANDBOX_APP.robotCode,
    apiBase: emu.url,
    cards: { templateId: TEMPLATE },
    retry: { attempts: 3, baseMs: 5, maxMs: 20 },
    reconnect: { baseMs: 20, maxMs: 100, heartbeatMs: 0 },
    ...extra,
  });
  return adapter;
}

async function eventually<T>(probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 15));
  }
}

// The buttons as the adapter lays them out for its documented template; the emulator's default template reads them.
const { buttons } = toCardParamMap({
  title: '',
  markdown: '',
  actions: [
    { id: 'done-4', label: '已完成', command: '确认 4' },
    { id: 'view-4', label: '查看任务', command: '进度 4', style: 'default' },
  ],
}) as { buttons: string };

/** An engine message with one button: the adapter sends it to a group as a card. */
function withButtons(title: string) {
  return { title, blocks: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text: title }] }, { type: 'actions' as const, actions: [{ id: 'done-4', label: '已完成', command: '确认 4' }] }] };
}

describe('DingTalk interactive cards', () => {
  it('delivers a card, hands a tap to the engine as an action message, acks after handling and updates the card', async () => {
    const a = connectAdapter();
    const events: IncomingEvent[] = [];
    a.onEvent(async (event) => {
      events.push(event);
    });
    await a.connect();
    expect(emu.connections()[0]!.subscriptions).toContainEqual({ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' });

    const { outTrackId, existed } = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: '本周待办', markdown: '**任务 4**', buttons }, preview: '本周待办' });
    expect(existed).toBe(false);
    expect(emu.messages(group.conversationId).at(-1)).toMatchObject({ msgtype: 'card', card: { outTrackId, title: '本周待办' } });

    const click = emu.clickCard(outTrackId, { userId: 'gd-02', text: '已完成' });
    const event = await eventually(() => events[0]);
    const message: IncomingMessage = event.message;
    expect(message).toMatchObject({
      platform: 'dingtalk',
      conversationId: group.conversationId,
      messageId: `card:${click.messageId}`,
      senderId: 'gd-02',
      text: '确认 4',
      isGroup: true,
      action: { id: 'done-4', sourceMessageId: outTrackId },
    });
    // Not acknowledged yet: the engine acks after it committed, and until then DingTalk redelivers.
    await eventually(() => events.length >= 2);
    expect(events[1]!.message.messageId).toBe(message.messageId);
    expect(await event.ack()).toBe(true);
    await eventually(() => emu.deliveries().find((d) => d.messageId === click.messageId)?.status === 'acked');

    await a.cards!.update(outTrackId, { markdown: '✅ 李四 已确认任务 4', buttons: '[]' });
    expect(emu.messages(group.conversationId).at(-1)!.card).toMatchObject({ markdown: '✅ 李四 已确认任务 4', buttons: [], version: 2 });

    // A reply to a tap (no session webhook) goes through the robot OpenAPI.
    await a.reply(message, { title: '回执', text: '已确认任务 4' });
    expect(emu.messages(group.conversationId).at(-1)).toMatchObject({ msgtype: 'markdown', via: 'openapi', markdown: { text: expect.stringContaining('已确认任务 4') } });
  });

  it('sends an engine message with buttons as a card, and updates it through update()', async () => {
    const a = connectAdapter();
    a.onEvent(async (event) => {
      await event.ack();
    });
    await a.connect();
    const digest = {
      title: '郭道镇 政务公开本周提醒',
      blocks: [
        { type: 'heading' as const, content: [{ type: 'text' as const, text: '📋 郭道镇 · 政务公开本周提醒' }] },
        { type: 'actions' as const, actions: [{ id: 'digest-unit:确认 4', label: '任务4 已完成', command: '确认 4', style: 'primary' as const }] },
      ],
    };
    const { messageId } = await a.send(group.conversationId, digest, { mentions: [{ id: 'gd-01', name: '张三' }] });
    const card = emu.messages(group.conversationId).at(-1)!;
    expect(card).toMatchObject({ msgtype: 'card', card: { outTrackId: messageId, markdown: '### 📋 郭道镇 · 政务公开本周提醒' } });
    expect(JSON.stringify(card.card)).toContain('确认 4');
    await a.update!(group.conversationId, messageId!, { title: 't', blocks: [{ type: 'context', content: [{ type: 'text', text: '✅ 张三 已点按：确认 4' }] }] });
    expect(emu.messages(group.conversationId).at(-1)!.card).toMatchObject({ markdown: '> ✅ 张三 已点按：确认 4', buttons: [] });
    // A heading over a body becomes the card's title rather than showing twice.
    const { messageId: receiptId } = await a.send(group.conversationId, {
      title: '确认回执',
      blocks: [
        { type: 'heading', content: [{ type: 'text', text: '✅ 郭道镇 · 确认回执' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '任务4 已确认：按时完成' }] },
        { type: 'actions', actions: [{ id: 'confirm:撤销 4', label: '撤销', command: '撤销 4', style: 'danger' }] },
      ],
    });
    expect(emu.messages(group.conversationId).at(-1)!.card).toMatchObject({ outTrackId: receiptId, title: '✅ 郭道镇 · 确认回执', markdown: '任务4 已确认：按时完成' });
    // Without buttons an engine message stays markdown.
    await a.send(group.conversationId, { title: 't', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '好的' }] }] });
    expect(emu.messages(group.conversationId).at(-1)).toMatchObject({ msgtype: 'markdown' });
  });

  it('runs the engine’s send marker once, right before the card request', async () => {
    const a = connectAdapter();
    a.onEvent(async (event) => {
      await event.ack();
    });
    await a.connect();
    const marks: number[] = [];
    const before = emu.messages(group.conversationId).length;
    await a.send(
      group.conversationId,
      { title: '催办', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '任务4 请尽快办理' }] }, { type: 'actions', actions: [{ id: 'nudge:任务详情 4', label: '查看任务', command: '任务详情 4' }] }] },
      { beforeRequest: async () => void marks.push(emu.messages(group.conversationId).length) },
    );
    expect(marks).toEqual([before]);
    expect(emu.messages(group.conversationId)).toHaveLength(before + 1);
  });

  it('names the tapper from robot messages seen before', async () => {
    const a = connectAdapter();
    const seen: IncomingMessage[] = [];
    a.onEvent(async (event) => {
      seen.push(event.message);
      await event.ack();
    });
    await a.connect();
    emu.postMessage(group.conversationId, { senderStaffId: 'gd-01', text: '本周' });
    await eventually(() => seen.length === 1);
    const { outTrackId } = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm', buttons } });
    emu.clickCard(outTrackId, { userId: 'gd-01', button: 1 });
    const tap = await eventually(() => seen[1]);
    expect(tap).toMatchObject({ senderName: '张三', text: '进度 4', action: { id: 'view-4' } });
  });

  it('has no card client and no TOPIC_CARD subscription without a template id', async () => {
    const a = connectAdapter({ cards: undefined });
    a.onEvent(async () => undefined);
    await a.connect();
    expect(a.cards).toBeUndefined();
    expect(emu.connections()[0]!.subscriptions.map((s) => s.topic)).not.toContain('/v1.0/card/instances/callback');
  });

  it('treats a retry with the same outTrackId as done, without a second card', async () => {
    const a = connectAdapter();
    const first = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm' } });
    const again = await a.cards!.createAndDeliver({ conversationId: group.conversationId, outTrackId: first.outTrackId, cardParamMap: { title: 't', markdown: 'm' } });
    expect(again).toEqual({ outTrackId: first.outTrackId, existed: true });
    expect(emu.messages(group.conversationId).filter((m) => m.msgtype === 'card')).toHaveLength(1);
  });

  it('reports refusals as non-retryable, and outlasted server errors as retryable, AdapterErrors', async () => {
    const a = connectAdapter();
    const refused = await a.cards!.createAndDeliver({ conversationId: group.conversationId, templateId: 'unknown.schema', cardParamMap: { title: 't', markdown: 'm' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DingTalkApiError);
    expect(refused).toMatchObject({ name: 'DingTalkApiError', retryable: false, uncertain: false, code: 'invalidParameter.cardTemplateId.notExist' });

    // One attempt each, although the adapter's retry policy allows 3: the engine retries by `retryable`.
    emu.injectFaults({ failSends: { count: 1, status: 503 } });
    const failed = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm' } }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ kind: 'server', retryable: true, uncertain: false, attempts: 1 });

    emu.injectFaults({ throttle: { count: 1, status: 429 } });
    const throttled = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm' } }).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ kind: 'throttled', retryable: true, uncertain: false, attempts: 1 });
    expect(emu.messages(group.conversationId).filter((m) => m.msgtype === 'card')).toHaveLength(0);
    await expect(a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm' } })).resolves.toMatchObject({ existed: false });

    const missing = await a.cards!.createAndDeliver({ conversationId: 'cidNoSuchGroup', cardParamMap: { title: 't', markdown: 'm' } }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'AdapterError', code: 'card_not_delivered', retryable: false });

    const stale = await a.cards!.update('zwgk.unknown.00', { markdown: 'x' }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ retryable: false, code: 'invalidParameter.outTrackId.notExist' });
  });

  it('reports a card request that timed out as uncertain, never retryable', async () => {
    const a = connectAdapter({
      requestTimeoutMs: 50,
      fetch: async (input, init) => {
        if (String(input).includes('/card/instances')) await new Promise((r) => setTimeout(r, 200));
        return fetch(input, init);
      },
    });
    const error = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'uncertain', uncertain: true, retryable: false });
  });

  it('sends a card once when its answer comes after the timeout or never: uncertain, not retried', async () => {
    const a = connectAdapter({ requestTimeoutMs: 150 });
    for (const fault of [{ delayAnswers: { count: 1, ms: 600, target: 'card' as const } }, { dropAnswers: { count: 1, target: 'card' as const } }]) {
      emu.injectFaults(fault);
      const before = emu.messages(group.conversationId).length;
      const marks: string[] = [];
      const error = await a
        .send(group.conversationId, withButtons('本周待办'), { beforeRequest: async () => void marks.push(`started with ${emu.messages(group.conversationId).length - before} shown`) })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DingTalkApiError', kind: 'uncertain', uncertain: true, retryable: false, attempts: 1 });
      // Marked started before the request, and the card arrived exactly once although the sender cannot know it.
      expect(marks).toEqual(['started with 0 shown']);
      await new Promise((r) => setTimeout(r, 700));
      expect(emu.messages(group.conversationId).slice(before).filter((m) => m.msgtype === 'card')).toHaveLength(1);
    }
    expect(emu.state().counters).toMatchObject({ delayedAnswers: 1, droppedAnswers: 1 });
  });

  it('calls a card send\'s beforeRequest once, right before its request, and sends nothing when it rejects', async () => {
    const a = connectAdapter();
    a.onEvent(async (event) => {
      await event.ack();
    });
    await a.connect();
    let calls = 0;
    // An expired token makes the adapter repeat the request with a fresh one: the marker still runs once.
    emu.injectFaults({ expireTokens: true });
    await a.send(group.conversationId, withButtons('一'), { beforeRequest: async () => void calls++ });
    expect(calls).toBe(1);
    expect(emu.messages(group.conversationId).filter((m) => m.msgtype === 'card')).toHaveLength(1);
    await expect(a.send(group.conversationId, withButtons('二'), { beforeRequest: async () => Promise.reject(new Error('claim lost')) })).rejects.toThrow('claim lost');
    expect(emu.messages(group.conversationId).filter((m) => m.msgtype === 'card')).toHaveLength(1);
  });

  it('tries an update again after an uncertain or failed answer (an update replaces data and posts nothing)', async () => {
    const a = connectAdapter({ requestTimeoutMs: 150 });
    const { outTrackId } = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm', buttons } });
    emu.injectFaults({ delayAnswers: { count: 1, ms: 400, target: 'card' }, failSends: { count: 1, status: 503, target: 'card' } });
    await a.cards!.update(outTrackId, { title: 't', markdown: '✅ 张三 已确认', buttons: '[]' }, { byKey: false });
    const cards = emu.messages(group.conversationId).filter((m) => m.msgtype === 'card');
    expect(cards).toHaveLength(1);
    expect(cards[0]!.card).toMatchObject({ markdown: '✅ 张三 已确认', buttons: [] });
    expect(emu.state().counters).toMatchObject({ failedSends: 1, delayedAnswers: 1 });
    // Refusals are final.
    await expect(a.cards!.update('zwgk.unknown.00', { markdown: 'x' })).rejects.toMatchObject({ retryable: false, uncertain: false, attempts: 1 });
  });

  it('stops retrying an update once a newer update of the same card started, so old data never wins', async () => {
    const a = connectAdapter({ requestTimeoutMs: 150, retry: { attempts: 3, baseMs: 200, maxMs: 200 }, random: () => 1 });
    const { outTrackId } = await a.cards!.createAndDeliver({ conversationId: group.conversationId, cardParamMap: { title: 't', markdown: 'm' } });
    // The old update fails (503, provably not applied) and waits 200 ms to retry; the new one goes through meanwhile.
    emu.injectFaults({ failSends: { count: 1, status: 503, target: 'card' } });
    const old = a.cards!.update(outTrackId, { title: 't', markdown: 'old' }, { byKey: false });
    await new Promise((r) => setTimeout(r, 50));
    await a.cards!.update(outTrackId, { title: 't', markdown: 'new' }, { byKey: false });
    await old;
    expect(emu.cards().find((c) => c.outTrackId === outTrackId)?.cardParamMap).toMatchObject({ markdown: 'new' });
  });

  it('keeps 20 buttons on a card with more actions and shows the rest as links in its text, so DingTalk takes it', async () => {
    const a = connectAdapter();
    const actions = Array.from({ length: 24 }, (_, i) => ({ id: `digest-unit:确认 ${i + 1}`, label: `任务${i + 1} 已完成`, command: `确认 ${i + 1}` }));
    await a.send(group.conversationId, { title: '本周待办', blocks: [{ type: 'paragraph', content: [{ type: 'text', text: '本周' }] }, { type: 'actions', actions }] });
    const card = emu.messages(group.conversationId).at(-1)!.card!;
    expect(card.buttons.map((b) => b.text)).toEqual(actions.slice(0, 20).map((x) => x.label));
    for (const x of actions.slice(20)) expect(card.markdown).toContain(x.label);
    expect(card.markdown).not.toContain('任务20 已完成');
  });

  it('refuses a card template id that is empty in the configuration', () => {
    expect(() => connectAdapter({ cards: { templateId: ' ' } })).toThrow(/cards\.templateId/);
  });
});
