import { renderDingTalk } from '@zwgk/dingtalk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@zwgk/bot';
import { directoryOf } from '@zwgk/sdk';
import { qinyuanUnits } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_GROUP, createMemoryAdapter, createTestBot, groupOf, liaisonOf, manualClock, setupCounty, type MemoryAdapter, type TestBot } from '../src/index.js';

/** How many digests each conversation received. */
function digestCounts(...chats: MemoryAdapter[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chat of chats) for (const r of chat.sent) if (r.kind === 'send') counts.set(r.conversationId, (counts.get(r.conversationId) ?? 0) + 1);
  return counts;
}

const townships = qinyuanUnits.filter((u) => u.kind === 'township').map((u) => u.name);
const departments = qinyuanUnits.filter((u) => u.kind === 'department').map((u) => u.name);

describe('weekly digests', () => {
  let t: TestBot;
  let units: string[];
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 08:00' });
    units = await setupCounty(t);
  });
  afterEach(async () => t.close());

  it('reach every township, the development zone, every department and the admin group exactly once a week', async () => {
    expect(units).toEqual(expect.arrayContaining([...townships, '沁源经济技术开发区', ...departments]));
    const early = await t.bot.runDueDigests();
    expect(early.week).toBeNull();
    expect(t.chat.sent).toEqual([]);

    t.clock.set('2022-11-21 09:00');
    const run = await t.bot.runDueDigests();
    expect(run.week).toBe('2022-W47');
    const expected = [...units.map(groupOf), ADMIN_GROUP].sort();
    expect([...digestCounts(t.chat).keys()].sort()).toEqual(expected);
    expect([...digestCounts(t.chat).values()].every((n) => n === 1)).toBe(true);

    // Later the same week, and again on another day: nothing new.
    t.clock.set('2022-11-21 15:00');
    await t.bot.runDueDigests();
    t.clock.set('2022-11-24 09:00');
    await t.bot.runDueDigests();
    expect(t.chat.sent.length).toBe(expected.length);

    // The next week: one more each.
    t.clock.set('2022-11-28 09:01');
    expect((await t.bot.runDueDigests()).week).toBe('2022-W48');
    expect([...digestCounts(t.chat).values()].every((n) => n === 2)).toBe(true);
  });

  it('show overdue items, items due soon, year-round work, progress, how to confirm, and @-mention the liaisons', async () => {
    t.clock.set('2022-11-21 09:00');
    await t.bot.runDueDigests();
    const [digest] = t.chat.messagesTo(groupOf('郭道镇'), 'send');
    expect(digest?.text).toContain('郭道镇');
    // Task 6's 2022-10-31 and 2022-03-31 milestones are past; task 4 and 22 are due 2022-11-30, within 10 working days.
    expect(digest?.text).toMatch(/已逾期 2 项[\s\S]*任务6\.1[\s\S]*任务6\.2/u);
    expect(digest?.text).toMatch(/10 个工作日内到期 2 项[\s\S]*任务4 行政处罚信息公开[\s\S]*任务22/u);
    expect(digest?.text).toMatch(/全年持续推进 3 项/u);
    expect(digest?.text).toContain('进度：已完成 0/7');
    expect(digest?.text).toContain('确认 任务编号');
    expect(digest?.mentions).toEqual([{ id: liaisonOf('郭道镇').id, name: liaisonOf('郭道镇').name }]);
    expect(digest?.text).toContain(`@${liaisonOf('郭道镇').name}`);

    const [admin] = t.chat.messagesTo(ADMIN_GROUP, 'send');
    expect(admin?.text).toContain('全县概况');
    expect(admin?.text).toContain(`共 ${units.length} 个单位`);
  });

  it('go out on the first working day of a holiday week (调休), not on the Monday', async () => {
    // 2022-10-01…07 is the National Day holiday; Saturday 10-08 is a make-up working day.
    t.clock.set('2022-10-05 10:00');
    expect((await t.bot.runDueDigests()).week).toBeNull();
    t.clock.set('2022-10-08 08:59');
    expect((await t.bot.runDueDigests()).week).toBeNull();
    t.clock.set('2022-10-08 09:00');
    const run = await t.bot.runDueDigests();
    expect(run.week).toBe('2022-W40');
    expect(run.sent.length).toBe(units.length + 1);
    expect(t.bot.nextDigestAt()?.toISOString()).toBe('2022-10-10T01:00:00.000Z');
  });

  it('retry a failed send on the next pass, and only that one', async () => {
    t.clock.set('2022-11-21 09:00');
    t.chat.failSends(1, { conversationId: groupOf('郭道镇') });
    const first = await t.bot.runDueDigests();
    expect(first.failed.map((f) => f.unit)).toEqual(['郭道镇']);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'send')).toHaveLength(0);
    t.clock.set('2022-11-21 09:01');
    const second = await t.bot.runDueDigests();
    expect(second.sent.map((s) => s.unit)).toEqual(['郭道镇']);
    expect([...digestCounts(t.chat).values()].every((n) => n === 1)).toBe(true);
  });

  it('send only the named units’ digests when asked', async () => {
    t.clock.set('2022-11-21 09:30');
    const run = await t.bot.runDueDigests(undefined, { units: ['郭道镇'] });
    expect(run.sent.map((s) => s.conversationId)).toEqual([groupOf('郭道镇')]);
    await t.bot.runDueDigests();
    expect(digestCounts(t.chat).get(groupOf('郭道镇'))).toBe(1);
  });

  it('render previews without sending or touching the outbox', async () => {
    const previews = await t.bot.previewDigests({ asOf: new Date('2022-11-21T09:00:00+08:00'), units: ['郭道镇'] });
    expect(previews.map((p) => p.kind)).toEqual(['unit', 'admin']);
    expect(previews[0]?.message.blocks[0]?.type).toBe('heading');
    expect(t.chat.sent).toEqual([]);
    expect(await t.store.outbox.list()).toEqual([]);
  });
});

describe('weekly digests sent several at once', () => {
  /** Runs the week's digests with `concurrency` lanes and sends that take 15 ms; returns the most sends in flight at once. */
  async function run(concurrency: number | undefined): Promise<{ t: TestBot; units: string[]; most: number }> {
    const t = await createTestBot({ now: '2022-11-21 09:00', digest: concurrency === undefined ? {} : { concurrency } });
    const units = await setupCounty(t);
    const send = t.chat.send.bind(t.chat);
    let inFlight = 0;
    let most = 0;
    t.chat.send = async (...args: Parameters<typeof send>) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
      return send(...args);
    };
    await t.bot.runDueDigests();
    return { t, units, most };
  }

  it('send each digest once with digest.concurrency lanes, that many at a time', async () => {
    const { t, units, most } = await run(4);
    try {
      expect(most).toBe(4);
      const counts = digestCounts(t.chat);
      expect([...counts.keys()].sort()).toEqual([...units.map(groupOf), ADMIN_GROUP].sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect((await t.store.outbox.list({ week: '2022-W47' })).every((e) => e.status === 'sent')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('send one at a time by default', async () => {
    const { t, most } = await run(undefined);
    await t.close();
    expect(most).toBe(1);
  });
});

describe('weekly digests across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-e2e-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leave none missing and none doubled when the process dies in the middle of a run', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    const clock = manualClock('2022-11-21 09:00');
    const first = await createTestBot({ filename, clock });
    const units = await setupCounty(first);
    const groups = units.length + 1;

    // The first process sends 10 digests, then dies while sending the 11th.
    first.chat.hangAfter(10);
    void first.bot.runDueDigests();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.chat.sent.length).toBe(10);
    await first.store.close();

    // A new process on the same database a minute later: everything not yet sent goes out. The digest whose
    // request the dead process had started may have arrived: it is marked uncertain and never sent again.
    clock.advance(60_000);
    const chat = createMemoryAdapter();
    const second = await createTestBot({ filename, clock, chat, start: false, digest: { enabled: true, tickMs: 3_600_000 } });
    await second.bot.start(); // start-up sends what the week still owes
    expect(chat.sent.length).toBe(groups - 11);
    clock.advance(11 * 60_000);
    const later = await second.bot.runDueDigests();
    expect(later.sent).toEqual([]);
    const counts = digestCounts(first.chat, chat);
    expect(counts.size).toBe(groups - 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const outbox = await second.store.outbox.list({ week: '2022-W47' });
    expect(outbox.filter((e) => e.status === 'sent')).toHaveLength(groups - 1);
    const uncertain = await second.store.outbox.listUncertain({ week: '2022-W47' });
    expect(uncertain).toHaveLength(1);
    expect(uncertain[0]?.lastError).toMatch(/^uncertain: /);
    expect(counts.has(uncertain[0]!.conversationId)).toBe(false);
    // The office is told in its overview which digest may not have arrived.
    const overview = chat.messagesTo(ADMIN_GROUP).map((m) => m.text).join('\n');
    expect(uncertain[0]!.conversationId).not.toBe(ADMIN_GROUP);
    expect(overview).toContain('送达情况不明的消息');
    expect(overview).toContain('2022-W47 周报');
    await second.close();
  });

  it('send a digest whose claim was taken but whose request never left, when the next process starts', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    const clock = manualClock('2022-11-21 09:00');
    const first = await createTestBot({ filename, clock });
    const units = await setupCounty(first, { units: ['郭道镇', '县司法局'] });
    first.chat.hangSends(1, 'before-request');
    void first.bot.runDueDigests();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.store.close();

    const chat = createMemoryAdapter();
    const second = await createTestBot({ filename, clock, chat, start: false, digest: { enabled: true, tickMs: 3_600_000 } });
    await second.bot.start();
    const counts = digestCounts(first.chat, chat);
    expect([...counts.keys()].sort()).toEqual([...units.map(groupOf), ADMIN_GROUP].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await second.store.outbox.listUncertain()).toEqual([]);
    await second.close();
  });

  it('send a digest missed while the bot was down when it starts later that week', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    const setup = await createTestBot({ filename, now: '2022-11-18 12:00' });
    const units = await setupCounty(setup, { units: ['郭道镇', '县司法局'] });
    await setup.close();

    const later = await createTestBot({ filename, now: '2022-11-22 14:00', start: false, digest: { enabled: true, tickMs: 3_600_000 } });
    await later.bot.start();
    expect([...digestCounts(later.chat).keys()].sort()).toEqual([...units.map(groupOf), ADMIN_GROUP].sort());
    await later.close();

    const store = await openStore({ filename });
    expect((await store.outbox.list({ week: '2022-W47' })).map((e) => e.status)).toEqual(['sent', 'sent', 'sent']);
    await store.close();
  });
});

describe('the digest scheduler', () => {
  it('sends on its own once the clock passes the send time', async () => {
    const t = await createTestBot({ now: '2022-11-21 08:59', start: false, digest: { enabled: true, tickMs: 10 } });
    await setupCounty(t, { units: ['郭道镇'] });
    await t.bot.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.chat.sent).toEqual([]);
    t.clock.set('2022-11-21 09:00');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...digestCounts(t.chat).entries()].sort()).toEqual([
      [ADMIN_GROUP, 1],
      [groupOf('郭道镇'), 1],
    ]);
    await t.close();
  });
});

describe('digest messages', () => {
  it('build the digest as a neutral message that DingTalk renders as markdown, mentioning the liaisons', async () => {
    const t = await createTestBot({ now: '2022-11-21 09:00' });
    await setupCounty(t, { units: ['郭道镇'] });
    await t.bot.runDueDigests();
    const [digest] = t.chat.messagesTo(groupOf('郭道镇'), 'send');
    expect(digest?.text).toContain('行政处罚信息公开');
    const markdown = renderDingTalk(digest!.message!, { mentions: true }).text;
    expect(markdown).toContain('行政处罚信息公开');
    expect(markdown).toContain(`@${liaisonOf('郭道镇').id}`);
    expect(JSON.stringify(digest?.message)).toContain(JSON.stringify({ type: 'mention', id: liaisonOf('郭道镇').id, name: liaisonOf('郭道镇').name }));
    await t.close();
  });

  it('cover every unit of the directory that has work in the plan', async () => {
    const t = await createTestBot();
    const units = await setupCounty(t);
    expect(units.length).toBe(directoryOf(t.plan).units.length);
    await t.close();
  });
});
