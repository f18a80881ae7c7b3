import { exportRecords } from '@zwgk/bot';
import { score } from '@zwgk/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

describe('corrections that keep a unit’s points', () => {
  let t: TestBot;
  const gd = groupOf('郭道镇');
  const liaison = liaisonOf('郭道镇');
  const colleague = { id: 'gd-colleague', name: '郭道镇办公室小刘' };
  const finalOf = async (asOf: string) => score(t.plan, await exportRecords(t.store, t.plan, { asOf }), { asOf }).units.find((u) => u.unit === '郭道镇')?.final;

  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇', '沁河镇', '县司法局'] });
    const [receipt] = await t.chat.say(gd, liaison, '确认 4');
    expect(receipt?.text).toContain('按时完成');
    t.clock.set('2022-12-05 10:00');
  });
  afterEach(async () => t.close());

  it('ask which confirmation a bare 撤销 means, withdrawing nothing', async () => {
    const [reply] = await t.chat.say(gd, liaison, '撤销');
    expect(reply?.text).toContain('撤销哪一项？');
    expect(reply?.text).toContain('· 撤销 4 —— 任务4 行政处罚信息公开');
    expect(await t.store.confirmations.list({ year: 2022, unit: '郭道镇' })).toHaveLength(1);
  });

  it('state the cost of undoing an on-time confirmation after its due date, and undo only on 撤销 N 确定', async () => {
    const before = await finalOf('2022-12-05');
    const [warning] = await t.chat.say(gd, liaison, '撤销 4');
    expect(warning?.text).toContain('撤销后再确认只能记为逾期完成');
    expect(warning?.text).toMatch(/考核预估将由 \d+\.\d 分降到 \d+\.\d 分/u);
    expect(warning?.text).toContain('确需撤销请发：撤销 4 确定');
    expect(await t.store.confirmations.list({ year: 2022, unit: '郭道镇' })).toHaveLength(1);
    expect(await finalOf('2022-12-05')).toBe(before);

    const [receipt] = await t.chat.say(gd, liaison, '撤销 4 确定');
    expect(receipt?.text).toContain('已撤销 任务4');
    expect(await t.store.confirmations.list({ year: 2022, unit: '郭道镇' })).toHaveLength(0);
  });

  it('let only the confirming person, the unit’s liaisons and admins undo', async () => {
    await t.chat.say(gd, liaison, '撤销 4'); // the warning
    const [refusal] = await t.chat.say(gd, colleague, '撤销 4 确定');
    expect(refusal?.text).toContain('只有确认人、本单位登记的联络员或管理员可以撤销');
    expect(await t.store.confirmations.list({ year: 2022, unit: '郭道镇' })).toHaveLength(1);
  });

  it('add links with 补充, keeping the confirmation’s time and its on-time score', async () => {
    const [original] = await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    const before = await finalOf('2022-12-05');
    const [reply] = await t.chat.say(gd, liaison, '补充 4 www.qinyuan.gov.cn/gdz/xzcf.html，gdz.qinyuan.gov.cn/b.html（见网站）');
    expect(reply?.text).toContain('已补充佐证链接 2 个');
    expect(reply?.text).toContain('原确认时间 2022-11-21 10:00 不变（按时）');
    const [after] = await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect(after?.at).toBe(original?.at);
    expect(after?.evidence).toEqual(['http://www.qinyuan.gov.cn/gdz/xzcf.html', 'http://gdz.qinyuan.gov.cn/b.html']);
    expect(await finalOf('2022-12-05')).toBe(before);
  });

  it('add the links of a repeated 确认 to the earlier confirmation and say so, keeping it on time', async () => {
    const before = await finalOf('2022-12-05');
    const [reply] = await t.chat.say(gd, liaison, '确认 4 https://gdz.qinyuan.gov.cn/xzcf/2022.html');
    expect(reply?.text).toContain('已于 2022-11-21 10:00 确认（按时），本次补充了佐证链接 1 个，原确认时间不变');
    expect(reply?.text).not.toContain('逾期');
    const all = await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect(all).toHaveLength(1);
    expect(all[0]?.evidence).toEqual(['https://gdz.qinyuan.gov.cn/xzcf/2022.html']);
    expect(await finalOf('2022-12-05')).toBe(before);
  });

  it('answer a plain resend of 确认 without advice to resend and without changing the record', async () => {
    const [reply] = await t.chat.say(gd, liaison, '确认 4 已完成');
    expect(reply?.text).toContain('已于 2022-11-21 10:00 确认（按时），无需重复');
    expect(reply?.text).not.toContain('重发');
    const [c] = await t.store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect(c?.note).toBeNull();
  });

  it('answer a natural report, a question and unclear text without the help menu', async () => {
    t.clock.set('2022-11-22 10:00');
    const [report] = await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '第四项11月18日已办结 www.qinyuan.gov.cn/qhz/xzcf.html');
    expect(report?.text).toContain('任务4 行政处罚信息公开');
    expect(report?.text).toContain('自报完成日期 2022-11-18');
    const [stored] = await t.store.confirmations.list({ year: 2022, unit: '沁河镇', task: 4 });
    expect(stored?.evidence).toEqual(['http://www.qinyuan.gov.cn/qhz/xzcf.html']);
    const exported = (await exportRecords(t.store, t.plan)).confirmations.find((c) => c.unit === '沁河镇');
    expect(exported).toMatchObject({ task: 4, claimedDate: '2022-11-18', at: '2022-11-22T10:00:00+08:00' });
    const [open] = await t.chat.say(ADMIN_GROUP, ADMIN, '第4项哪些单位还没完成');
    expect(open?.text).toContain('县司法局');
    expect(open?.text).toContain('催办 4');
    expect(open?.text).not.toContain('沁河镇');
    const [detail] = await t.chat.say(gd, liaison, '第4项要求是什么？');
    expect(detail?.text).toContain('📄 任务4 行政处罚信息公开');
    expect(detail?.text).toContain('时间节点：4 2022-11-30');
    expect(detail?.text).toContain('郭道镇（负责）：2022-11-30 已按时完成');
    const [unclear] = await t.chat.say(gd, liaison, '处罚信息已经弄完了');
    expect(unclear?.text).toContain('你是不是想说：确认 4？');
    expect(unclear?.text).not.toContain('政务公开助手 · 命令');
  });
});
