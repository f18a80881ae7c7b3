import { exportRecords, type Store } from '@zwgk/bot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

const member = { id: 'member-1', name: '郭道镇办事员' };

/** Everything a message could have written. */
async function footprint(store: Store) {
  return {
    confirmations: await store.confirmations.list({ year: 2022, includeUndone: true }),
    audit: await store.audit.list(),
    // Messages that changed something (a refusal or question is kept only as answered, changed = 0).
    processed: await store.db.selectFrom('processedMessages').selectAll().where('changed', '=', 1).execute(),
  };
}

describe('confirmations', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t);
  });
  afterEach(async () => t.close());

  it('are recorded from the unit’s group with who, when and where, and receipted on time with the due date', async () => {
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '@政务公开助手 确认 4 https://gdz.qinyuan.gov.cn/xzcf 已在网站公开');
    expect(receipt?.text).toContain('任务4 行政处罚信息公开（11月底前，截止 2022-11-30）已确认：按时完成');
    expect(receipt?.text).toContain('如需撤销：撤销 4');
    const [c] = await t.store.confirmations.list({ year: 2022 });
    expect(c).toMatchObject({
      unit: '郭道镇',
      task: 4,
      due: '2022-11-30',
      at: '2022-11-21T02:00:00.000Z',
      conversationId: groupOf('郭道镇'),
      senderId: member.id,
      senderName: member.name,
      evidence: ['https://gdz.qinyuan.gov.cn/xzcf'],
      note: '已在网站公开',
    });
    const audit = await t.store.audit.list({ action: 'confirmation.add' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { platform: 'memory', id: member.id }, channel: 'chat', conversationId: groupOf('郭道镇') });
  });

  it('are receipted as late, with the days after the due date (Asia/Shanghai)', async () => {
    t.clock.set('2022-12-02 00:30');
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '确认 ２２');
    expect(receipt?.text).toContain('任务22 优化政务公开平台建设（11月底前，截止 2022-11-30）已确认：逾期完成，晚 2 天');
  });

  it('take several tasks at once, by number or by name, and ask which milestone when a task has several open', async () => {
    const [many] = await t.chat.say(groupOf('郭道镇'), member, '确认 4、22');
    expect(many?.text).toMatch(/任务4[\s\S]*任务22/u);
    const [named] = await t.chat.say(groupOf('沁河镇'), member, '确认 行政处罚');
    expect(named?.text).toContain('任务4 行政处罚信息公开');
    const [which] = await t.chat.say(groupOf('郭道镇'), member, '确认 6');
    expect(which?.text).toContain('确认 6.1（2022-03-31 年度抽查计划公布）');
    expect(which?.text).toContain('确认 6.2（2022-10-31');
    const [second] = await t.chat.say(groupOf('郭道镇'), member, '确认 6.2');
    expect(second?.text).toContain('任务6.2');
    expect(second?.text).toContain('逾期完成，晚 21 天');
    const [byDate] = await t.chat.say(groupOf('郭道镇'), member, '确认 6 3月31日');
    expect(byDate?.text).toContain('截止 2022-03-31');
    const rows = await t.store.confirmations.list({ year: 2022 });
    expect(rows.map((r) => `${r.unit}:${r.task}:${r.due}`)).toEqual([
      '郭道镇:4:2022-11-30',
      '郭道镇:22:2022-11-30',
      '沁河镇:4:2022-11-30',
      '郭道镇:6:2022-10-31',
      '郭道镇:6:2022-03-31',
    ]);
  });

  it('keep a date that is not one of the task’s milestones in the note', async () => {
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '确认 4 11月1日已公示');
    expect(receipt?.text).toContain('已确认：按时完成');
    expect(receipt?.text).toContain('说明：11月1日已公示');
    const [c] = await t.store.confirmations.list({ year: 2022 });
    expect(c).toMatchObject({ task: 4, due: '2022-11-30', note: '11月1日已公示' });
  });

  it('do not echo a note or links as kept when nothing was recorded', async () => {
    const [reply] = await t.chat.say(groupOf('郭道镇'), member, '确认 6.3 https://x.gov.cn/a 已公示');
    expect(reply?.text).toContain('没有这个节点');
    expect(reply?.text).not.toContain('说明：已公示');
    expect(reply?.text).not.toContain('佐证');
    expect(reply?.text).toContain('本条未记录');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });

  it('say so, and write nothing, when the milestone was confirmed before', async () => {
    await t.chat.say(groupOf('郭道镇'), member, '确认 4');
    const before = await footprint(t.store);
    const [again] = await t.chat.say(groupOf('郭道镇'), member, '确认 4');
    expect(again?.text).toContain('无需重复');
    expect(await footprint(t.store)).toEqual(before);
  });

  it.each([
    ['a group bound to no unit', 'g-unbound', true, '本群还没有绑定单位'],
    ['the admin group', ADMIN_GROUP, true, '管理群不能代单位'],
    ['a one-to-one chat', 'dm-1', false, '不能在私聊中'],
  ])('are refused from %s, writing nothing', async (_what, conversationId, isGroup, reason) => {
    const before = await footprint(t.store);
    const [reply] = await t.chat.say(conversationId, member, '确认 4', { isGroup });
    expect(reply?.text).toContain(reason);
    expect(await footprint(t.store)).toEqual(before);
  });

  it('are not recorded from another unit’s group for a task that unit does not carry', async () => {
    const before = await footprint(t.store);
    // Task 13 belongs to 县教育局 alone.
    const [reply] = await t.chat.say(groupOf('郭道镇'), member, '确认 13');
    expect(reply?.text).toContain('不是本单位承担的任务，未记录');
    expect(await footprint(t.store)).toEqual(before);
    expect(await t.store.confirmations.list({ year: 2022, unit: '县教育局' })).toEqual([]);
  });

  it('count a redelivered message once', async () => {
    const first = await t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-msg-1' });
    const second = await t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-msg-1' });
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1); // the same receipt, not a new one
    expect(t.chat.sent.filter((r) => r.kind === 'reply')).toHaveLength(1);
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    expect(await t.store.audit.list({ action: 'confirmation.add' })).toHaveLength(1);
  });

  it('are committed before the receipt, and a redelivery after a failed receipt re-sends it without counting twice', async () => {
    t.chat.failSends(1);
    await expect(t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-msg-2' })).rejects.toThrow('simulated send failure');
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '确认 4', { messageId: 'dt-msg-2' });
    expect(receipt?.text).toContain('按时完成');
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
  });

  it('can be undone by task (a bare undo asks which), and then count no more', async () => {
    await t.chat.say(groupOf('郭道镇'), member, '确认 4、22');
    const [undo] = await t.chat.say(groupOf('郭道镇'), member, '撤销 4');
    expect(undo?.text).toContain('已撤销 任务4 行政处罚信息公开');
    const [which] = await t.chat.say(groupOf('郭道镇'), member, 'undo');
    expect(which?.text).toContain('撤销哪一项？');
    expect(which?.text).toContain('· 撤销 22 —— 任务22');
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    const [latest] = await t.chat.say(groupOf('郭道镇'), member, '撤销 22');
    expect(latest?.text).toContain('已撤销 任务22');
    const [nothing] = await t.chat.say(groupOf('郭道镇'), member, '撤销 4');
    expect(nothing?.text).toContain('没有可撤销的确认');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
    expect((await exportRecords(t.store, t.plan)).confirmations).toEqual([]);
    const [digest] = await t.chat.say(groupOf('郭道镇'), member, '本周');
    expect(digest?.text).toContain('任务4 行政处罚信息公开');
    expect(digest?.text).toContain('进度：已完成 0/7');
  });
});

describe('confirmations under the liaisons-only policy', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00', policy: 'liaisons' });
    await setupCounty(t);
  });
  afterEach(async () => t.close());

  it('are refused from a member who is not a registered liaison, writing nothing', async () => {
    const before = await footprint(t.store);
    const [reply] = await t.chat.say(groupOf('郭道镇'), member, '确认 4');
    expect(reply?.text).toContain('只有郭道镇登记的联络员可以确认任务');
    expect(await footprint(t.store)).toEqual(before);
  });

  it('are recorded from the unit’s liaison', async () => {
    const [reply] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 4');
    expect(reply?.text).toContain('按时完成');
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
  });

  it('are refused from another unit’s liaison in this unit’s group', async () => {
    const [reply] = await t.chat.say(groupOf('郭道镇'), liaisonOf('沁河镇'), '确认 4');
    expect(reply?.text).toContain('不是登记的联络员');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });
});

describe('progress', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t);
    await t.chat.say(groupOf('郭道镇'), member, '确认 4');
    t.clock.set('2022-12-01 09:00');
    await t.chat.say(groupOf('沁河镇'), member, '确认 4');
  });
  afterEach(async () => t.close());

  it('shows a lead unit every unit on its task', async () => {
    const [view] = await t.chat.say(groupOf('县司法局'), liaisonOf('县司法局'), '进度 4');
    const text = view?.text ?? '';
    expect(text).toContain('牵头：县司法局');
    expect(text).toContain('各单位：已完成 2/13（15%），逾期 11 项');
    expect(text).toMatch(/郭道镇 11月底前（截止 2022-11-30）：已完成，2022-11-21 10:00 确认/u);
    expect(text).toMatch(/沁河镇 11月底前（截止 2022-11-30）：逾期完成，2022-12-01 09:00 确认/u);
    expect(text).toMatch(/灵空山镇 11月底前（截止 2022-11-30）：已逾期，逾期 1 天/u);
  });

  it('sums up the led tasks in the lead unit’s own progress', async () => {
    const [view] = await t.chat.say(groupOf('县司法局'), liaisonOf('县司法局'), '进度');
    expect(view?.text).toMatch(/本单位牵头的任务[\s\S]*任务4 行政处罚信息公开：2\/13 已完成；逾期：灵空山镇/u);
  });

  it('shows a unit that does not lead the task only its own rows', async () => {
    const [view] = await t.chat.say(groupOf('郭道镇'), member, '进度 4');
    expect(view?.text).toContain('本单位：已完成 1/1');
    expect(view?.text).not.toContain('沁河镇');
  });

  it('refuses another unit’s progress to a unit group, and shows it to an admin', async () => {
    const [refused] = await t.chat.say(groupOf('郭道镇'), member, '进度 沁河镇');
    expect(refused?.text).toContain('只能查看本单位的进度');
    const [shown] = await t.chat.say(ADMIN_GROUP, ADMIN, '进度 沁河镇');
    expect(shown?.text).toContain('沁河镇 · 进度');
  });
});
