import { exportRecords } from '@zwgk/bot';
import { resolveRubric, score } from '@zwgk/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

const required = (() => {
  const r = resolveRubric({ review: { required: true } });
  if (!r.success) throw new Error(r.error);
  return r.data;
})();

describe('the office’s review (复核) in chat', () => {
  let t: TestBot;
  const gd = groupOf('郭道镇');
  const qh = groupOf('沁河镇');
  const stateOf = async (unit: string, task: number) => {
    const [c] = await t.store.confirmations.list({ year: 2022, unit, task });
    return (await t.store.reviews.statuses([c!])).get(c!.id)?.state;
  };

  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00', rubric: required });
    await setupCounty(t, { units: ['郭道镇', '沁河镇', '县司法局'] });
    await t.chat.say(gd, liaisonOf('郭道镇'), '确认 4 https://gdz.qinyuan.gov.cn/xzcf.html');
    t.clock.set('2022-11-21 11:00');
    await t.chat.say(gd, liaisonOf('郭道镇'), '确认 22');
    t.clock.set('2022-11-21 12:00');
    await t.chat.say(qh, liaisonOf('沁河镇'), '确认 4');
    t.clock.set('2022-11-22 09:00');
  });
  afterEach(async () => t.close());

  it('lists the queue oldest first, with the links and how to decide', async () => {
    const [reply] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核');
    const text = reply?.text ?? '';
    expect(text).toContain('待复核（3 项）');
    const order = ['郭道镇 · 任务4', '郭道镇 · 任务22', '沁河镇 · 任务4'].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('佐证：https://gdz.qinyuan.gov.cn/xzcf.html');
    expect(text).toContain('未附佐证链接');
    expect(text).toContain('退回 4 郭道镇 原因');
    const [one] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核 沁河镇');
    expect(one?.text).toContain('待复核（1 项）');
  });

  it('accepts several tasks of a unit at once, and every waiting unit of a task with 全部', async () => {
    const [both] = await t.chat.say(ADMIN_GROUP, ADMIN, '通过 4、22 郭道镇');
    expect(both?.text).toContain('复核通过 2 项');
    expect(both?.text).toMatch(/郭道镇 · 任务4 .*待复核 → 通过/u);
    expect(await stateOf('郭道镇', 22)).toBe('accepted');
    const [all] = await t.chat.say(ADMIN_GROUP, ADMIN, '通过４ 全部');
    expect(all?.text).toContain('复核通过 1 项');
    expect(await stateOf('沁河镇', 4)).toBe('accepted');
    const [again] = await t.chat.say(ADMIN_GROUP, ADMIN, '通过 4 郭道镇');
    expect(again?.text).toContain('没有改变复核状态');
    expect(again?.text).toContain('已是通过');
    const [empty] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核');
    expect(empty?.text).toContain('没有待复核的确认');
  });

  it('puts 「通过」 and 「退回」 buttons under the two oldest queue entries; a tap of 通过 accepts, a tap of 退回 asks for the reason', async () => {
    const [queue] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核');
    const [c4] = await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    const [c22] = await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 22 });
    const commands = queue?.message?.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).map((a) => a.command);
    expect(commands).toEqual([`通过 #${c4!.id}`, `退回 #${c4!.id}`, `通过 #${c22!.id}`, `退回 #${c22!.id}`]);
    const [accepted] = await t.chat.tap(queue!, `通过 #${c4!.id}`, ADMIN);
    expect(accepted?.text).toContain('复核通过 1 项');
    expect(await stateOf('郭道镇', 4)).toBe('accepted');
    const [reason] = await t.chat.tap(queue!, `退回 #${c22!.id}`, ADMIN);
    expect(reason?.text).toContain('请写明退回原因');
    expect(reason?.text).toContain(`请发：退回 #${c22!.id} 原因`);
    expect(await stateOf('郭道镇', 22)).toBe('pending');
  });

  it('accepts by queue number and says which numbers it does not know', async () => {
    const [c] = await t.store.confirmations.list({ year: 2022, unit: '沁河镇', task: 4 });
    const [reply] = await t.chat.say(ADMIN_GROUP, ADMIN, `通过 #${c!.id} #999`);
    expect(reply?.text).toContain('复核通过 1 项');
    expect(reply?.text).toContain('没有找到 #999 这条确认');
  });

  it('refuses 通过 and 复核 from someone who is not an admin, writing nothing', async () => {
    for (const text of ['通过 4 郭道镇', '退回 4 郭道镇 链接打不开', '复核']) {
      const [refusal] = await t.chat.say(gd, liaisonOf('郭道镇'), text);
      expect(refusal?.text).toContain('只有管理员可以复核');
    }
    expect(await t.store.reviews.list({ year: 2022 })).toEqual([]);
  });

  it('asks for what is missing instead of guessing: the unit, the reason', async () => {
    const [units] = await t.chat.say(ADMIN_GROUP, ADMIN, '通过 4');
    expect(units?.text).toContain('请写明单位');
    expect(units?.text).toContain('通过 4 全部');
    const [reason] = await t.chat.say(ADMIN_GROUP, ADMIN, '退回 4 郭道镇');
    expect(reason?.text).toContain('请写明退回原因');
    const [unknown] = await t.chat.say(ADMIN_GROUP, ADMIN, '通过 4 郭道');
    expect(unknown?.text).toContain('是否是：郭道镇');
    expect(await t.store.reviews.list({ year: 2022 })).toEqual([]);
  });

  it('keeps a liaison’s sentence that starts with 通过 a report, not a decision', async () => {
    const [reply] = await t.chat.say(qh, liaisonOf('沁河镇'), '通过网站公开了第22项');
    expect(reply?.text).not.toContain('只有管理员可以复核');
    expect(reply?.text).toContain('任务22');
  });

  it('returns with a reason, tells the unit’s group, and puts its next 补充 back in the queue', async () => {
    t.chat.clear();
    const [reply] = await t.chat.say(ADMIN_GROUP, ADMIN, '退回 4 郭道镇、沁河镇 佐证链接打不开');
    expect(reply?.text).toContain('已退回 2 项');
    expect(reply?.text).toContain('原因：佐证链接打不开');
    expect(reply?.text).toContain('已在 郭道镇、沁河镇 的群里通知退回原因');
    const told = t.chat.messagesTo(gd).map((m) => m.text).join('\n');
    expect(told).toContain('任务4 的确认被退回');
    expect(told).toContain('原因：佐证链接打不开');
    expect(told).toContain('补充 4');
    expect(await stateOf('郭道镇', 4)).toBe('returned');

    t.clock.set('2022-11-23 09:00');
    const [receipt] = await t.chat.say(gd, liaisonOf('郭道镇'), '补充 4 https://gdz.qinyuan.gov.cn/xzcf-2.html');
    expect(receipt?.text).toContain('任务4 已重新提交复核（此前退回原因：佐证链接打不开）');
    expect(await stateOf('郭道镇', 4)).toBe('pending');
    const [queue] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核 郭道镇');
    expect(queue?.text).toContain('退回后重新提交');
    const actions = (await t.store.audit.list()).map((e) => e.action).filter((a) => a.startsWith('review.'));
    expect(actions).toEqual(['review.return', 'review.return', 'review.resubmit']);
  });

  it('puts a returned confirmation back in the queue on the unit’s next 确认, keeping its first time', async () => {
    await t.chat.say(ADMIN_GROUP, ADMIN, '退回 22 郭道镇 未附公开网址');
    t.clock.set('2022-11-24 09:00');
    const [receipt] = await t.chat.say(gd, liaisonOf('郭道镇'), '确认 22 https://gdz.qinyuan.gov.cn/pt.html');
    expect(receipt?.text).toContain('已重新提交复核');
    expect(receipt?.text).toContain('任务22 已重新提交复核（此前退回原因：未附公开网址）');
    expect(await stateOf('郭道镇', 22)).toBe('pending');
    expect(await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 22 })).toHaveLength(1);
    const exported = (await exportRecords(t.store, t.plan, { asOf: '2022-12-31' })).confirmations.filter((c) => c.unit === '郭道镇' && c.task === 22);
    expect(exported.map((c) => [c.at, c.review?.state])).toEqual([
      ['2022-11-21T11:00:00+08:00', 'returned'],
      ['2022-11-24T09:00:00+08:00', 'pending'],
    ]);
    const [plain] = await t.chat.say(gd, liaisonOf('郭道镇'), '确认 22');
    expect(plain?.text).not.toContain('重新提交');
  });

  it('shows review counts in 进度, and scores only what was accepted when review is required', async () => {
    const finalOf = async () => score(t.plan, await exportRecords(t.store, t.plan, { asOf: '2022-12-31' }), { asOf: '2022-12-31', rubric: required }).units.find((u) => u.unit === '郭道镇')!.final;
    const before = await finalOf();
    await t.chat.say(ADMIN_GROUP, ADMIN, '通过 4 郭道镇');
    expect(await finalOf()).toBeGreaterThan(before);
    const [status] = await t.chat.say(gd, liaisonOf('郭道镇'), '进度');
    expect(status?.text).toContain('复核：待复核 1 项，通过 1 项，退回 0 项（考核只计通过的确认）');
    const [county] = await t.chat.say(ADMIN_GROUP, ADMIN, '进度');
    expect(county?.text).toContain('复核：待复核 2 项，通过 1 项，退回 0 项');
    t.chat.clear();
    await t.bot.runDueDigests();
    const digest = t.chat.messagesTo(ADMIN_GROUP).map((m) => m.text).join('\n');
    expect(digest).toContain('全县概况');
    expect(digest).toContain('复核：待复核 2 项，通过 1 项，退回 0 项（考核只计通过的确认）');
    expect(t.chat.messagesTo(gd).map((m) => m.text).join('\n')).not.toContain('复核：');
  });

  it('leaves review out of 进度 and the digests while the office has not reviewed and does not require it', async () => {
    const lenient = await createTestBot({ now: '2022-11-21 10:00' });
    try {
      await setupCounty(lenient, { units: ['郭道镇'] });
      await lenient.chat.say(gd, liaisonOf('郭道镇'), '确认 4');
      const [status] = await lenient.chat.say(gd, liaisonOf('郭道镇'), '进度');
      expect(status?.text).toContain('已完成');
      expect(status?.text).not.toContain('复核');
      const [county] = await lenient.chat.say(ADMIN_GROUP, ADMIN, '进度');
      expect(county?.text).not.toContain('复核');
    } finally {
      await lenient.close();
    }
  });
});
