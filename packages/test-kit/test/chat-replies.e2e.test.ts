import { renderDingTalk } from '@zwgk/dingtalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

describe('replies in DingTalk markdown', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00', chat: { render: (message) => renderDingTalk(message).text } });
    await setupCounty(t, { units: ['郭道镇', '沁河镇', '县司法局', '县市场监管局'] });
  });
  afterEach(async () => t.close());

  it('show a highlight number without a stray backslash', async () => {
    const [receipt] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '亮点 政策找人');
    expect(receipt?.text).toContain('亮点 #1「政策找人」已登记为已报送');
    const [selected] = await t.chat.say(ADMIN_GROUP, ADMIN, '入选 1');
    expect(selected?.text).toContain('亮点 #1「政策找人」（郭道镇）已入选');
    const [missing] = await t.chat.say(ADMIN_GROUP, ADMIN, '入选 99');
    expect(missing?.text).toContain('亮点 #编号');
    for (const reply of [receipt, selected, missing]) expect(reply?.text).not.toContain('\\');
  });

  it.each([
    ['确定 22', '你是不是想说：确认 22？'],
    ['确人 10', '你是不是想说：确认 10？'],
    ['#10', '你是不是想说：确认 10？'],
    ['确认 0', '没有第0项任务'],
    ['撤销 撤销', '例如：撤销 4'],
  ])('answer %s with a short question, not the whole help', async (text, expected) => {
    const [reply] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), text);
    expect(reply?.text).toContain(expected);
    expect(reply?.text).not.toContain('政务公开助手 · 命令');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });

  it('record nothing of a list with a wrong task number, and say so with the corrected command', async () => {
    const [reply] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 4、99');
    expect(reply?.text).toContain('没有第99项任务');
    expect(reply?.text).toContain('本条没有记录任何一项（任务4 也没有记录）');
    expect(reply?.text).toContain('请改正后重发：确认 4');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });

  it('list the milestones to choose from one per line', async () => {
    const [reply] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 6');
    const lines = (reply?.text ?? '').split('\n');
    expect(lines).toContain('  - 确认 6.1（2022-03-31 年度抽查计划公布）');
    expect(lines).toContain('  - 确认 6.2（2022-10-31 2022年度的市场监管信息补录）');
  });

  it('show the evidence links in the receipt, not 链接1', async () => {
    const [receipt] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 4 https://www.qinyuan.gov.cn/xxgk/zfxxgk/xzcf/index.html 已公开 https://gdz.qinyuan.gov.cn/xzcf');
    expect(receipt?.text).toContain('佐证：[qinyuan.gov.cn/…/index.html](https://www.qinyuan.gov.cn/xxgk/zfxxgk/xzcf/index.html)、[gdz.qinyuan.gov.cn/xzcf](https://gdz.qinyuan.gov.cn/xzcf)');
    expect(receipt?.text).not.toContain('链接1');
  });

  it('say how many units are overdue beyond the ten the county overview lists', async () => {
    t.clock.set('2022-12-05 10:00');
    const [overview] = await t.chat.say(ADMIN_GROUP, ADMIN, '本周');
    const text = overview?.text ?? '';
    const listed = text.slice(text.indexOf('**逾期单位**'), text.indexOf('**各单位**')).match(/^- .+：逾期 \d+ 项$/gmu) ?? [];
    expect(listed).toHaveLength(10);
    const all = text.slice(text.indexOf('**各单位**')).match(/，逾期 \d+/gu) ?? [];
    expect(all.length).toBeGreaterThan(10);
    expect(text).toContain(`等 ${all.length} 个单位（另有 ${all.length - 10} 个未列出`);
  });

  it('mark mid-year scores as an estimate and tell a unit the most it can still reach', async () => {
    const note = '截至 11-21 的预估：未到期的任务不计入完成情况，年终考核计入全部任务';
    const [overview] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核');
    expect(overview?.text).toContain(note);
    const [detail] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核 郭道镇');
    expect(detail?.text).toContain(note);
    expect(detail?.text).toMatch(/年终最高可得 \*\*\d+\.\d 分\*\*/u);
    t.clock.set('2022-12-31 18:00');
    const [lastDay] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核 郭道镇');
    expect(lastDay?.text).toContain('截至 12-31 的预估');
    t.clock.set('2023-01-03 10:00');
    const [yearEnd] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核 郭道镇');
    expect(yearEnd?.text).not.toContain('预估');
    expect(yearEnd?.text).not.toContain('年终最高可得');
  });

  it('refuse another unit’s digest and progress to a unit group in the same words, and show them to an admin', async () => {
    const [digest] = await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '本周 郭道镇');
    expect(digest?.text).toContain('只能查看本单位的本周提醒');
    expect(digest?.text).toContain('本群属于 沁河镇，不能查看 郭道镇 的本周提醒');
    expect(digest?.text).not.toContain('政务公开本周提醒');
    const [status] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '进度 沁河镇');
    expect(status?.text).toContain('本群属于 郭道镇，不能查看 沁河镇 的进度');
    const [own] = await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '本周 沁河镇');
    expect(own?.text).toContain('沁河镇 · 政务公开本周提醒');
    const [admin] = await t.chat.say(groupOf('沁河镇'), ADMIN, '本周 郭道镇');
    expect(admin?.text).toContain('郭道镇 · 政务公开本周提醒');
  });

  it('show a named unit’s digest and progress in the admin group to registered admins only', async () => {
    const clerk = { id: 'office-clerk-7', name: '县政府办小李' };
    const [digest] = await t.chat.say(ADMIN_GROUP, clerk, '本周 沁河镇');
    expect(digest?.text).toContain('只能查看本单位的本周提醒');
    expect(digest?.text).toContain('查看 沁河镇 的本周提醒需要管理员身份');
    expect(digest?.text).not.toContain('沁河镇 · 政务公开本周提醒');
    const [status] = await t.chat.say(ADMIN_GROUP, clerk, '进度 郭道镇');
    expect(status?.text).toContain('查看 郭道镇 的进度需要管理员身份');
    const [overview] = await t.chat.say(ADMIN_GROUP, clerk, '进度');
    expect(overview?.text).toContain('全县进度');
    const [admin] = await t.chat.say(ADMIN_GROUP, ADMIN, '进度 郭道镇');
    expect(admin?.text).not.toContain('需要管理员身份');
    expect(admin?.text).toContain('郭道镇');
  });
});
