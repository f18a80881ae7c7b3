import { PlanSchema, planStatuses, resolveRubric, type Plan } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, setupCounty, type TestBot } from '../src/index.js';

const ctx = { actor: { platform: 'cli', id: 'seed', channel: 'cli' } };

/** Every milestone due by `asOf` confirmed on time by `units`, and their leaders briefed: the best record there is. */
async function perfectRecords(t: TestBot, units: readonly string[], asOf: string) {
  for (const row of planStatuses(t.plan, { asOf })) {
    if (!units.includes(row.unit) || row.due > asOf) continue;
    await t.store.confirmations.add(
      { year: 2022, unit: row.unit, task: row.task, due: row.due, at: new Date(`${row.due}T09:00:00+08:00`), platform: 'memory', conversationId: groupOf(row.unit), senderId: 's', senderName: 's', evidence: [] },
      ctx,
    );
  }
  for (const unit of units) await t.store.briefings.add({ year: 2022, unit, date: '2022-05-01' }, ctx);
}

describe('考核 with the assessor and vertically managed units (沁源 2022)', () => {
  let t: TestBot;
  afterEach(async () => t.close());

  it('scores the assessor without ranking it, and ranks vertically managed units in their own group', async () => {
    t = await createTestBot({ plan: getPlan('qinyuan-2022'), now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇', '县司法局'] });
    // Records on both sides: the assessor and the tax office have a perfect record, 县司法局 only part of one.
    await perfectRecords(t, ['县政府办', '县税务局', '县审计局'], '2022-11-21');
    const [overview] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核');
    const text = overview?.text ?? '';
    const department = text.split('【部门组】')[1]!.split('【')[0]!;
    expect(department).toMatch(/^\s*· 第1名 县审计局 100\.0/u);
    expect(department).toContain('· 县政府办 100.0 优秀（考核单位，不参与排名）');
    expect(department).not.toContain('县税务局');
    const vertical = text.split('【垂管单位组】')[1] ?? '';
    expect(vertical).toMatch(/第1名 县税务局 100\.0/u);
    expect(vertical).toContain('县生态环境分局');
    const [detail] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核 县政府办');
    expect(detail?.text).toContain('县政府办：100.0 分，优秀，考核单位，不参与排名');
  });

  it('leaves vertically managed units unranked when the rubric says so', async () => {
    const rubric = resolveRubric({ vertical: { mode: 'left-out' } });
    if (!rubric.success) throw new Error(rubric.error);
    t = await createTestBot({ plan: getPlan('qinyuan-2022'), now: '2022-11-21 10:00', rubric: rubric.data });
    await setupCounty(t, { units: ['郭道镇'] });
    await perfectRecords(t, ['县税务局'], '2022-11-21');
    const [overview] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核');
    expect(overview?.text).not.toContain('【垂管单位组】');
    expect(overview?.text).toContain('· 县税务局 100.0 优秀（垂直管理，不参与排名）');
  });
});

describe('豁免 several units at once', () => {
  let t: TestBot;
  afterEach(async () => t.close());

  it('records every unit with its reason in the audit log, or none when one is wrong', async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇', '沁河镇', '法中乡'] });
    const [refused] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 4 郭道镇、县教育局 无此职能');
    expect(refused?.text).toContain('县教育局 不承担任务4');
    expect(await t.store.exemptions.list({ year: 2022 })).toEqual([]);
    const [reply] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 4 郭道镇、沁河镇、法中乡 辖区内无行政执法事项');
    expect(reply?.text).toContain('郭道镇 任务4 行政处罚信息公开：已豁免');
    expect(reply?.text).toContain('法中乡 任务4 行政处罚信息公开：已豁免');
    expect((await t.store.exemptions.list({ year: 2022 })).map((e) => e.unit)).toEqual(['郭道镇', '沁河镇', '法中乡']);
    const audit = await t.store.audit.list({ action: 'exemption.add' });
    expect(audit).toHaveLength(3);
    expect(JSON.stringify(audit)).toContain('辖区内无行政执法事项');
  });
});

describe('the admin digest', () => {
  let t: TestBot;
  afterEach(async () => t.close());

  it('names the tasks that reach no unit', async () => {
    const base = getPlan('qinyuan-2022');
    // Without the office's mappings, task 12 (各行业主管部门 / 归口管理的公共企事业单位) reaches nobody.
    const plan: Plan = PlanSchema.parse({ ...base, assignments: {} });
    t = await createTestBot({ plan, now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇'] });
    const [digest] = await t.chat.say(ADMIN_GROUP, ADMIN, '本周');
    expect(digest?.text).toContain('没有责任单位的任务（无人被提醒、无人计分）：任务12 公共企事业单位信息公开');
    const t2 = await createTestBot({ plan: base, now: '2022-11-21 10:00' });
    await setupCounty(t2, { units: ['郭道镇'] });
    const [mapped] = await t2.chat.say(ADMIN_GROUP, ADMIN, '本周');
    expect(mapped?.text).not.toContain('没有责任单位的任务');
    await t2.close();
  });
});
