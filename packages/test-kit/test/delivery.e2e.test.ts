import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdapterError, createBot } from '@zwgk/bot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAdapter, createTestBot, groupOf, manualClock, setupCounty, type TestBot } from '../src/index.js';

const member = { id: 'member-1', name: '郭道镇办事员' };

/** Makes the store's next `count` transactions fail like a database another connection holds. */
function busyFor(t: TestBot, count: number, error: () => Error): void {
  const original = t.store.transaction.bind(t.store);
  let left = count;
  t.store.transaction = (async (fn: Parameters<typeof original>[0]) => {
    if (left > 0) {
      left--;
      throw error();
    }
    return original(fn);
  }) as typeof t.store.transaction;
}

describe('delivery in the engine', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t);
  });
  afterEach(async () => t.close());

  it('merges concurrent deliveries of one message into one handling and one reply, and acknowledges each', async () => {
    const deliveries = await Promise.all([1, 2, 3].map(() => t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-1' })));
    expect(deliveries.every((replies) => replies.length === 1)).toBe(true);
    expect(t.chat.sent.filter((r) => r.kind === 'reply')).toHaveLength(1);
    expect(t.chat.acks).toEqual(['dt-1', 'dt-1', 'dt-1']);
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
  });

  it('merges concurrent deliveries of a read-only message into one answer', async () => {
    await Promise.all([t.chat.say(groupOf('郭道镇'), member, '本周', { messageId: 'r-1' }), t.chat.say(groupOf('郭道镇'), member, '本周', { messageId: 'r-1' })]);
    expect(t.chat.sent.filter((r) => r.kind === 'reply')).toHaveLength(1);
    expect(t.chat.acks).toEqual(['r-1', 'r-1']);
  });

  it('acknowledges a later redelivery of a read-only message without answering it again', async () => {
    await t.chat.say(groupOf('郭道镇'), member, '本周', { messageId: 'r-2' });
    await t.chat.say(groupOf('郭道镇'), member, '本周', { messageId: 'r-2' });
    expect(t.chat.sent.filter((r) => r.kind === 'reply')).toHaveLength(1);
    expect(t.chat.acks).toEqual(['r-2', 'r-2']);
  });

  it.each([
    ['SQLite’s busy code', () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })],
    ['an error that says it is retryable', () => Object.assign(new Error('the database is busy'), { retryable: true })],
  ])('leaves a message unacknowledged, unanswered and unrecorded when the store fails with %s, and handles the redelivery once', async (_what, error) => {
    busyFor(t, 1, error);
    await expect(t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-busy' })).rejects.toThrow('not acknowledged');
    expect(t.chat.sent).toEqual([]);
    expect(t.chat.acks).toEqual([]);
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-busy' });
    expect(receipt?.text).toContain('按时完成');
    expect(t.chat.acks).toEqual(['dt-busy']);
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
  });

  it('answers a burst of more messages than it handles at once: each once, noted as sent before it is acknowledged', async () => {
    // Twice the 64 handled at once, each handling giving its place away while its reply's note waits for a commit.
    const ids = Array.from({ length: 128 }, (_, i) => `burst-${i}`);
    await Promise.all(ids.map((messageId, i) => t.chat.say(groupOf('郭道镇'), member, i % 2 === 0 ? '确认 4' : '本周', { messageId })));
    const replies = t.chat.sent.filter((r) => r.kind === 'reply');
    expect(replies.map((r) => r.replyTo).sort()).toEqual([...ids].sort());
    expect(t.chat.acks.sort()).toEqual([...ids].sort());
    // Acknowledged only once noted: right after the last acknowledgement, every reply is on file as sent.
    const processed = await Promise.all(ids.map((id) => t.store.findProcessed(t.chat.platform, id)));
    expect(processed.filter((p) => typeof p?.repliedAt === 'string')).toHaveLength(ids.length);
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
  });

  it('apologises for, and acknowledges, a message whose handling fails for good', async () => {
    busyFor(t, 1, () => new Error('no such table: confirmations'));
    const [apology] = await t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-broken' });
    expect(apology?.text).toContain('处理出错，本条未记录');
    expect(t.chat.acks).toEqual(['dt-broken']);
  });

  it('acknowledges a recorded message whose reply the platform refuses for good, instead of leaving it for endless redelivery', async () => {
    t.chat.failSends(1, { error: new AdapterError('card refused: 24 buttons; at most 20', { code: 'invalidParameter.cardData', retryable: false }) });
    await t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-refused' });
    expect(t.chat.acks).toEqual(['dt-refused']);
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    // A retryable failure still leaves the message for redelivery.
    t.chat.failSends(1, { error: new AdapterError('throttled', { code: 'throttled', retryable: true }) });
    await expect(t.chat.say(groupOf('郭道镇'), member, '确认 5', { messageId: 'dt-throttled' })).rejects.toThrow('not acknowledged');
    expect(t.chat.acks).toEqual(['dt-refused']);
  });

  it('answers an oversize message once with a short notice, and neither reads, stores nor echoes it', async () => {
    const text = `确认 4 ${'很长的备注'.repeat(1000)}`;
    const [notice] = await t.chat.say(groupOf('郭道镇'), member, text, { messageId: 'big-1' });
    expect(notice?.text).toContain('消息太长，未处理');
    expect(notice?.text).toContain('2000');
    expect(notice!.text.length).toBeLessThan(200);
    await t.chat.say(groupOf('郭道镇'), member, text, { messageId: 'big-1' });
    expect(t.chat.sent.filter((r) => r.kind === 'reply')).toHaveLength(1);
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });

  it('stops taking deliveries on stop: a later one is neither handled nor acknowledged', async () => {
    await t.bot.stop();
    await expect(t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'late' })).rejects.toThrow('not acknowledged');
    expect(t.chat.sent).toEqual([]);
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });
});

describe('the digest outbox', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot();
    await setupCounty(t);
    t.clock.set('2022-11-21 09:00');
  });
  afterEach(async () => t.close());

  it('gives up at once on a send that fails for good', async () => {
    t.chat.failSends(1, { conversationId: groupOf('郭道镇'), error: new AdapterError('chat not found', { code: 'rejected', retryable: false }) });
    const first = await t.bot.runDueDigests();
    expect(first.failed.map((f) => f.unit)).toEqual(['郭道镇']);
    expect((await t.store.listOutbox()).find((e) => e.unit === '郭道镇')?.status).toBe('failed');
    t.clock.set('2022-11-21 09:01');
    const second = await t.bot.runDueDigests();
    expect(second.sent).toEqual([]);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'send')).toHaveLength(0);
  });

  it('does not repeat an uncertain send, and says it was uncertain', async () => {
    t.chat.failSends(1, { conversationId: groupOf('郭道镇'), error: new AdapterError('read timeout after the request was sent', { code: 'uncertain', retryable: true, uncertain: true }) });
    const first = await t.bot.runDueDigests();
    expect(first.failed).toMatchObject([{ unit: '郭道镇', uncertain: true }]);
    const entry = (await t.store.listOutbox()).find((e) => e.unit === '郭道镇');
    expect(entry).toMatchObject({ status: 'failed', lastError: expect.stringContaining('uncertain') });
    t.clock.set('2022-11-21 09:01');
    expect((await t.bot.runDueDigests()).sent).toEqual([]);
  });

  it('retries a send that failed retryably on every pass until it goes out', async () => {
    for (let i = 0; i < 7; i++) t.chat.failSends(1, { conversationId: groupOf('郭道镇'), error: new AdapterError('throttled', { code: 'throttled', retryable: true }) });
    for (let pass = 0; pass < 7; pass++) {
      t.clock.set(`2022-11-21 09:${String(pass).padStart(2, '0')}`);
      expect((await t.bot.runDueDigests()).failed.map((f) => f.unit)).toEqual(['郭道镇']);
    }
    t.clock.set('2022-11-21 09:30');
    expect((await t.bot.runDueDigests()).sent.map((s) => s.unit)).toEqual(['郭道镇']);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'send')).toHaveLength(1);
  });
});

describe('the text catalogue', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-texts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets an office change the engine’s own words through templatesDir', async () => {
    writeFileSync(join(dir, 'texts.json'), JSON.stringify({ 'oversize.title': '内容过长', 'oversize.hint': '请在{max}字内' }));
    const t = await createTestBot({ templatesDir: dir, maxTextLength: 10 });
    await setupCounty(t, { units: ['郭道镇'] });
    const [notice] = await t.chat.say(groupOf('郭道镇'), member, '确认 4 一二三四五六七八');
    expect(notice?.text).toContain('内容过长');
    expect(notice?.text).toContain('请在10字内');
    await t.close();
  });
});

describe('createBot options', () => {
  it('names the option that is wrong', async () => {
    const t = await createTestBot({ start: false });
    expect(() => createBot({ plan: t.plan, store: t.store, policy: 'everyone' as 'group' })).toThrow(/policy/);
    expect(() => createBot({ plan: t.plan, store: t.store, digest: { horizonDays: -1 } })).toThrow(/digest\.horizonDays/);
    expect(() => createBot({ plan: t.plan, store: t.store, digest: { time: '9:00' } })).toThrow(/HH:mm/);
    expect(() => createBot({ plan: t.plan, store: t.store, digest: { maxAttempts: 5 } as never })).toThrow(/maxAttempts/);
    await t.close();
  });
});

describe('receipts after a crash', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-receipts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are sent at start-up, once, when the process died between commit and reply', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    const clock = manualClock('2022-11-21 10:00');
    const first = await createTestBot({ filename, clock });
    await setupCounty(first);
    // The process dies before sending the receipt: the confirmation is committed, the receipt never leaves.
    first.chat.hangSends(1, 'before-request');
    void first.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'crash-1' }).catch(() => {});
    for (let i = 0; i < 100 && (await first.store.confirmations.list({ year: 2022 })).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(first.chat.sent).toEqual([]);
    expect(first.chat.acks).toEqual([]);
    await first.store.close();

    clock.advance(60_000);
    const chat = createMemoryAdapter();
    const second = await createTestBot({ filename, clock, chat });
    const receipts = chat.messagesTo(groupOf('郭道镇'));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.text).toContain('按时完成');
    // DingTalk redelivers the unacknowledged message: recognised, acknowledged, not answered again.
    await chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'crash-1' });
    expect(chat.messagesTo(groupOf('郭道镇'))).toHaveLength(1);
    expect(chat.acks).toEqual(['crash-1']);
    await second.close();

    const again = createMemoryAdapter();
    const third = await createTestBot({ filename, clock, chat: again });
    expect(again.sent).toEqual([]);
    expect(await third.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    await third.close();
  });

  it('are not sent again when the process died inside the receipt’s own request, and a redelivery is not answered', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    const clock = manualClock('2022-11-21 10:00');
    const first = await createTestBot({ filename, clock });
    await setupCounty(first);
    // The request of the receipt left (it may have arrived) and the process died before the answer.
    first.chat.hangSends(1);
    void first.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'mid-1' }).catch(() => {});
    // The request leaves once its marker is committed (a commit after the confirmation's own).
    for (let i = 0; i < 100 && !(await first.store.inbox.find('memory', 'mid-1'))?.replyStartedAt; i++) await new Promise((r) => setTimeout(r, 20));
    await first.store.close();

    clock.advance(60_000);
    const chat = createMemoryAdapter();
    const second = await createTestBot({ filename, clock, chat });
    expect(chat.sent).toEqual([]);
    await chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'mid-1' });
    expect(chat.sent).toEqual([]);
    expect(chat.acks).toEqual(['mid-1']);
    const row = await second.store.inbox.find('memory', 'mid-1');
    expect(row).toMatchObject({ repliedAt: null, replyStartedAt: expect.any(String) });
    expect(await second.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    await second.close();
  });

  it.each(['进度', '本周', '帮助', '进度 4', '没头没尾的一句话'])('answer a redelivered %s once across a restart', async (text) => {
    const filename = join(dir, 'zwgk.sqlite');
    const clock = manualClock('2022-11-21 10:00');
    const first = await createTestBot({ filename, clock });
    await setupCounty(first);
    await first.chat.say(groupOf('郭道镇'), member, text, { messageId: 'q-1' });
    expect(first.chat.sent.filter((r) => r.kind === 'reply')).toHaveLength(1);
    await first.close();

    // The ack was lost with the process: DingTalk redelivers the question to the new one.
    const chat = createMemoryAdapter();
    const second = await createTestBot({ filename, clock, chat });
    await chat.say(groupOf('郭道镇'), member, text, { messageId: 'q-1' });
    expect(chat.sent).toEqual([]);
    expect(chat.acks).toEqual(['q-1']);
    expect(await second.store.inbox.find('memory', 'q-1')).toMatchObject({ repliedAt: expect.any(String) });
    await second.close();
  });

  it('are not sent when older than receiptMaxAgeMs', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    const clock = manualClock('2022-11-21 10:00');
    const first = await createTestBot({ filename, clock });
    await setupCounty(first);
    first.chat.hangSends(1, 'before-request');
    void first.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'old-1' }).catch(() => {});
    for (let i = 0; i < 100 && (await first.store.confirmations.list({ year: 2022 })).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await first.store.close();

    clock.advance(2 * 60 * 60_000);
    const chat = createMemoryAdapter();
    const second = await createTestBot({ filename, clock, chat, receiptMaxAgeMs: 60 * 60_000 });
    expect(chat.sent).toEqual([]);
    await second.close();
  });
});
