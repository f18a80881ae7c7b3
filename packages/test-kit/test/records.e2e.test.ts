import { exportRecords } from '@zwgk/bot';
import { score, validateRecords } from '@zwgk/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

const gd = liaisonOf('郭道镇');

async function unitScore(t: TestBot, unit: string) {
  const records = await exportRecords(t.store, t.plan, { asOf: '2022-12-31' });
  const checked = validateRecords(t.plan, records);
  expect(checked.success).toBe(true);
  const found = score(t.plan, records, { asOf: '2022-12-31' }).units.find((u) => u.unit === unit);
  if (!found) throw new Error(`no score for ${unit}`);
  return found;
}

describe('records kept in chat, as the assessment reads them', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-06-10 16:00' });
    await setupCounty(t);
  });
  afterEach(async () => t.close());

  it('a leader briefing (汇报) earns the briefing points (rule 4 of the assessment rubric (docs/assessment.md))', async () => {
    expect((await unitScore(t, '郭道镇')).briefing).toBe(0);
    const [receipt] = await t.chat.say(groupOf('郭道镇'), gd, '汇报 2022-06-10 镇长听取政务公开工作汇报');
    expect(receipt?.text).toContain('已登记汇报');
    const records = await exportRecords(t.store, t.plan);
    expect(records.briefings).toEqual([{ unit: '郭道镇', date: '2022-06-10', note: '镇长听取政务公开工作汇报' }]);
    expect((await unitScore(t, '郭道镇')).briefing).toBe(10);
    expect((await unitScore(t, '沁河镇')).briefing).toBe(0);
  });

  it('keeps a briefing note as typed, and does not record the same briefing date twice', async () => {
    const text = '汇报 2022-06-10 镇长主持召开政务公开专题会，听取工作汇报';
    const [receipt] = await t.chat.say(groupOf('郭道镇'), gd, text);
    expect(receipt?.text).toContain('（镇长主持召开政务公开专题会，听取工作汇报）');
    const [again] = await t.chat.say(groupOf('郭道镇'), gd, text);
    expect(again?.text).toContain('2022-06-10 的汇报已登记过');
    expect(again?.text).toContain('本条未重复记录');
    const [other] = await t.chat.say(groupOf('郭道镇'), gd, '汇报 6月1日 党组会');
    expect(other?.text).toContain('本年度已登记 2 次');
    const briefings = (await exportRecords(t.store, t.plan)).briefings;
    expect(briefings).toHaveLength(2);
    expect(briefings).toContainEqual({ unit: '郭道镇', date: '2022-06-10', note: '镇长主持召开政务公开专题会，听取工作汇报' });
  });

  it('keeps highlight titles and exemption reasons as typed', async () => {
    await t.chat.say(groupOf('郭道镇'), gd, '亮点 “政策找人”精准推送（试点），３个村');
    await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 22 郭道镇 平台由县里统一建设，不承担此项');
    const records = await exportRecords(t.store, t.plan);
    expect(records.highlights[0]?.title).toBe('“政策找人”精准推送（试点），３个村');
    expect(records.exemptions[0]?.reason).toBe('平台由县里统一建设，不承担此项');
  });

  it('refuses a briefing dated in the future or outside the plan year, writing nothing', async () => {
    const [future] = await t.chat.say(groupOf('郭道镇'), gd, '汇报 2022-07-01');
    expect(future?.text).toContain('晚于今天');
    const [other] = await t.chat.say(groupOf('郭道镇'), gd, '汇报 2021-12-01');
    expect(other?.text).toContain('不在本年度');
    expect((await exportRecords(t.store, t.plan)).briefings).toEqual([]);
  });

  it('a highlight (亮点) gets a number, +1 while submitted and +3 once selected (入选), not +4 (rule 5)', async () => {
    const [receipt] = await t.chat.say(groupOf('郭道镇'), gd, '亮点 “政策找人”精准推送服务 https://gdz.qinyuan.gov.cn/zcr');
    const number = /亮点 #(\d+)/u.exec(receipt?.text ?? '')?.[1];
    expect(number).toBeDefined();
    expect((await exportRecords(t.store, t.plan)).highlights).toEqual([{ unit: '郭道镇', title: '“政策找人”精准推送服务', status: 'submitted' }]);
    expect((await unitScore(t, '郭道镇')).bonus).toBe(1);

    const [refused] = await t.chat.say(groupOf('郭道镇'), gd, `入选 ${number}`);
    expect(refused?.text).toContain('只有管理员可以标记亮点入选');
    expect((await unitScore(t, '郭道镇')).bonus).toBe(1);

    const [selected] = await t.chat.say(ADMIN_GROUP, ADMIN, `入选 ${number}`);
    expect(selected?.text).toContain('已入选');
    expect((await unitScore(t, '郭道镇')).bonus).toBe(3);
  });

  it('a highlight sent again with the same title (a new message) is not registered twice', async () => {
    const [first] = await t.chat.say(groupOf('郭道镇'), gd, '亮点 政策找人精准推送');
    const number = /亮点 #(\d+)/u.exec(first?.text ?? '')?.[1];
    expect(number).toBeDefined();
    const [again] = await t.chat.say(groupOf('郭道镇'), gd, '亮点 政策找人精准推送');
    expect(again?.text).toContain(`亮点 #${number}「政策找人精准推送」已登记过`);
    expect((await t.store.highlights.list({ year: t.plan.year })).map((h) => [h.unit, h.title])).toEqual([['郭道镇', '政策找人精准推送']]);
    // Another unit may report a highlight of the same name.
    await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '亮点 政策找人精准推送');
    expect(await t.store.highlights.list({ year: t.plan.year })).toHaveLength(2);
  });

  it('an identical exemption (same task, unit and milestone) is not recorded twice', async () => {
    const [ok] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 22 郭道镇 无独立政务公开平台');
    expect(ok?.text).toContain('已豁免');
    const [again] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 22 郭道镇 平台由县里统一建设');
    expect(again?.text).toContain('此前已豁免，未重复记录');
    expect((await exportRecords(t.store, t.plan)).exemptions).toEqual([{ task: 22, unit: '郭道镇', reason: '无独立政务公开平台' }]);
    expect(await t.store.exemptions.list({ year: t.plan.year })).toHaveLength(1);
  });

  it('an exemption (豁免) drops the milestone from the completion sum (rule 2)', async () => {
    // As of year end, 郭道镇 confirmed everything but task 22.
    t.clock.set('2022-11-21 10:00');
    await t.chat.say(groupOf('郭道镇'), gd, '确认 1、4、6.1、6.2、31、32');
    const before = await unitScore(t, '郭道镇');
    expect(before.detail.milestones.find((m) => m.task === 22)?.status).toBe('overdue');

    const [refused] = await t.chat.say(groupOf('郭道镇'), gd, '豁免 22 郭道镇 无此平台');
    expect(refused?.text).toContain('只有管理员可以豁免');
    expect((await exportRecords(t.store, t.plan)).exemptions).toEqual([]);

    const [granted] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 22 郭道 无独立政务公开平台');
    expect(granted?.text).toContain('未豁免'); // 郭道 is not a unit name: suggestions, nothing written
    expect(granted?.text).toContain('郭道镇');
    const [ok] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 22 郭道镇 无独立政务公开平台');
    expect(ok?.text).toContain('已豁免');
    expect((await exportRecords(t.store, t.plan)).exemptions).toEqual([{ task: 22, unit: '郭道镇', reason: '无独立政务公开平台' }]);

    const after = await unitScore(t, '郭道镇');
    expect(after.detail.milestones.find((m) => m.task === 22)?.status).toBe('exempt');
    // Tasks 1 and 4 on time (1 each), 6.1 and 6.2 late (0.5 each); 31 and 32 are scored by their own rules.
    expect(before.completion).toBe(54); // 90 × 3 / 5, task 22 overdue counts 0
    expect(after.completion).toBe(67.5); // 90 × 3 / 4, task 22 dropped
  });

  it('an exemption of a task the unit already confirmed says what it drops', async () => {
    t.clock.set('2022-11-21 10:00');
    await t.chat.say(groupOf('郭道镇'), gd, '确认 4');
    const [warned] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 4 郭道镇 由县司法局统一公开');
    expect(warned?.text).toContain('已豁免');
    expect(warned?.text).toContain('该单位已于 2022-11-21 确认完成此项，豁免后此项不再计入其考核');
    const [plain] = await t.chat.say(ADMIN_GROUP, ADMIN, '豁免 22 郭道镇 无独立政务公开平台');
    expect(plain?.text).toContain('已豁免');
    expect(plain?.text).not.toContain('确认完成此项');
    expect((await exportRecords(t.store, t.plan)).confirmations.filter((c) => c.task === 4 && c.unit === '郭道镇')).toHaveLength(1);
  });

  it('exports records the SDK validates, with confirmation times on the Shanghai clock', async () => {
    t.clock.set('2022-11-30 23:30');
    await t.chat.say(groupOf('郭道镇'), gd, '确认 4 https://x.cn/a 已公开');
    // The link's check (no allow-list here: nothing fetched) is exported with the confirmation.
    await t.bot.checkEvidence();
    const records = await exportRecords(t.store, t.plan, { asOf: '2022-12-31' });
    expect(records.confirmations).toEqual([
      {
        task: 4,
        unit: '郭道镇',
        due: '2022-11-30',
        at: '2022-11-30T23:30:00+08:00',
        evidence: ['https://x.cn/a'],
        note: '已公开',
        evidenceChecks: [{ url: 'https://x.cn/a', result: 'not_checked', checkedAt: '2022-11-30T15:30:00.000Z' }],
        review: { state: 'pending' },
      },
    ]);
    expect(validateRecords(t.plan, records).success).toBe(true);
    // 23:30 in Shanghai on the due date is on time.
    expect((await unitScore(t, '郭道镇')).detail.milestones.find((m) => m.task === 4)?.status).toBe('on_time');
  });
});
