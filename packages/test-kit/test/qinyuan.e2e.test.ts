import { exportRecords } from '@zwgk/bot';
import { score, validateRecords } from '@zwgk/sdk';
import { getPlan, qinyuanUnits } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

describe('the bot on the bundled Qinyuan 2022 plan', () => {
  let t: TestBot;
  let units: string[];
  beforeEach(async () => {
    t = await createTestBot({ plan: getPlan('qinyuan-2022'), now: '2022-11-21 08:30' });
    units = await setupCounty(t);
  });
  afterEach(async () => t.close());

  it('sends one week’s digests to every township, every department and the admin group exactly once', async () => {
    const townships = qinyuanUnits.filter((u) => u.kind === 'township').map((u) => u.name);
    const departments = qinyuanUnits.filter((u) => u.kind === 'department').map((u) => u.name);
    expect(units).toEqual(expect.arrayContaining([...townships, ...departments]));
    t.clock.set('2022-11-21 09:00');
    await t.bot.runDueDigests();
    t.clock.set('2022-11-22 09:00');
    await t.bot.runDueDigests();
    const sends = t.chat.sent.filter((r) => r.kind === 'send').map((r) => r.conversationId);
    expect(sends.sort()).toEqual([...units.map(groupOf), ADMIN_GROUP].sort());
  });

  it('takes confirmations by number and by name, and asks which milestone of task 6', async () => {
    const gd = liaisonOf('郭道镇');
    const [byName] = await t.chat.say(groupOf('郭道镇'), gd, '@政务公开助手 确认 行政处罚 https://www.qinyuan.gov.cn/gdz/xzcf');
    expect(byName?.text).toContain('任务4 行政处罚信息公开（11月底前，截止 2022-11-30）已确认：按时完成');
    const [which] = await t.chat.say(groupOf('郭道镇'), gd, '确认 6');
    // The plan was issued after March: the yearly March milestone is next year's, so it comes second.
    expect(which?.text).toContain('确认 6.2（2023-03-31 年度抽查计划公布）');
    const [ambiguous] = await t.chat.say(groupOf('郭道镇'), gd, '确认 信息公开');
    expect(ambiguous?.text).toContain('对应多项任务');
    const [several] = await t.chat.say(groupOf('郭道镇'), gd, '确认 ２２，３０');
    expect(several?.text).toMatch(/任务22[\s\S]*任务30/u);
    const records = await exportRecords(t.store, t.plan, { asOf: '2022-12-31' });
    expect(validateRecords(t.plan, records).success).toBe(true);
    expect(records.confirmations.map((c) => c.task)).toEqual([4, 22, 30]);
    const assessment = score(t.plan, records, { asOf: '2022-12-31' });
    const gdScore = assessment.units.find((u) => u.unit === '郭道镇');
    expect(gdScore?.detail.milestones.filter((m) => m.status === 'on_time').map((m) => m.task)).toEqual([4, 22, 30]);
  });

  it('shows the lead unit of task 9 (县行政审批局) every unit on it', async () => {
    await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '确认 9');
    const [view] = await t.chat.say(groupOf('县行政审批局'), liaisonOf('县行政审批局'), '进度 9');
    expect(view?.text).toContain('牵头：县行政审批局');
    expect(view?.text).toMatch(/沁河镇 11月底前（截止 2022-11-30）：已完成/u);
    expect(view?.text).toMatch(/郭道镇 11月底前（截止 2022-11-30）：即将到期/u);
  });
});
