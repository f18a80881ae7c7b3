import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

const stranger = { id: 'u-9', name: '路人' };

describe('admin commands in chat', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇', '沁河镇', '县司法局'] });
  });
  afterEach(async () => t.close());

  it('bind a new group to a unit, suggesting names for an unknown one', async () => {
    const [unknown] = await t.chat.say('g-new', ADMIN, '绑定 灵空山');
    expect(unknown?.text).toContain('是否是：灵空山镇');
    expect(await t.store.groups.of('memory', 'g-new')).toBeNull();
    const [bound] = await t.chat.say('g-new', ADMIN, '绑定 灵空山镇', { conversationTitle: '灵空山镇政务公开' });
    expect(bound?.text).toContain('本群已绑定：灵空山镇');
    expect(await t.store.groups.of('memory', 'g-new')).toMatchObject({ kind: 'unit', unit: '灵空山镇', title: '灵空山镇政务公开' });
    const [shown] = await t.chat.say('g-new', stranger, '绑定');
    expect(shown?.text).toContain('本群已绑定：灵空山镇');
  });

  it('in a private chat, ask for a unit name instead of suggesting a binding that is refused there', async () => {
    for (const text of ['进度', '本周']) {
      const [admin] = await t.chat.say('dm-admin', ADMIN, text, { isGroup: false });
      expect(admin?.text).toContain('私聊中请指定单位：进度 单位名 / 本周 单位名');
      expect(admin?.text).not.toContain('绑定');
    }
    for (const text of ['进度', '本周', '进度 4']) {
      const [member] = await t.chat.say('dm-9', stranger, text, { isGroup: false });
      expect(member?.text).toContain('请在本单位已绑定的群里发送');
      expect(member?.text).not.toContain('请县政府办管理员在本群发送');
    }
    const [bind] = await t.chat.say('dm-admin', ADMIN, '绑定', { isGroup: false });
    expect(bind?.text).toContain('私聊不能绑定单位');
    // In a group that is not bound yet, binding is still the advice.
    const [group] = await t.chat.say('g-new', stranger, '进度');
    expect(group?.text).toContain('请县政府办管理员在本群发送：绑定 单位名');
  });

  it('refuse binding from someone who is not an admin, writing nothing', async () => {
    const [reply] = await t.chat.say('g-new', stranger, '绑定 灵空山镇');
    expect(reply?.text).toContain('只有管理员可以绑定群');
    expect(await t.store.groups.of('memory', 'g-new')).toBeNull();
    expect(await t.store.audit.list({ action: 'group.bind' })).toHaveLength(3); // only the set-up
  });

  it('register and remove liaisons by @-mention', async () => {
    const zhang = { id: 'u-zhang', name: '张三' };
    const [added] = await t.chat.say(groupOf('郭道镇'), ADMIN, '联络员 @张三', { mentions: [zhang] });
    expect(added?.text).toContain('已登记 郭道镇 联络员：张三');
    expect(await t.store.liaisons.has('郭道镇', 'memory', zhang.id)).toBe(true);
    const [list] = await t.chat.say(groupOf('郭道镇'), stranger, '联络员');
    expect(list?.text).toContain(`${liaisonOf('郭道镇').name}、张三`);
    const [removed] = await t.chat.say(groupOf('郭道镇'), ADMIN, '联络员 移除 @张三', { mentions: [zhang] });
    expect(removed?.text).toContain('已移除');
    expect(await t.store.liaisons.has('郭道镇', 'memory', zhang.id)).toBe(false);
    const [refused] = await t.chat.say(groupOf('郭道镇'), stranger, '联络员 @张三', { mentions: [zhang] });
    expect(refused?.text).toContain('只有管理员');
  });

  it('nudge every unit group with the task open, @-mentioning its liaisons, and only once per message', async () => {
    await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 4');
    t.chat.clear();
    const [receipt] = await t.chat.say(ADMIN_GROUP, ADMIN, '催办 4', { messageId: 'nudge-1' });
    expect(receipt?.text).toContain('已催办 2 个单位（沁河镇、县司法局）'); // the lead unit has its own milestone too
    expect(receipt?.text).toContain('未绑定群、未能催办：灵空山镇');
    const [nudge] = t.chat.messagesTo(groupOf('沁河镇'), 'send');
    expect(nudge?.text).toContain('催办：任务4 行政处罚信息公开');
    expect(nudge?.mentions).toEqual([{ id: liaisonOf('沁河镇').id, name: liaisonOf('沁河镇').name }]);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'send')).toEqual([]);
    await t.chat.say(ADMIN_GROUP, ADMIN, '催办 4', { messageId: 'nudge-1' });
    expect(t.chat.messagesTo(groupOf('沁河镇'), 'send')).toHaveLength(1);
    expect(await t.store.audit.list({ action: 'nudge' })).toHaveLength(1);
  });

  it('show the county scores and one unit’s detail to admins only', async () => {
    const [refused] = await t.chat.say(groupOf('郭道镇'), stranger, '考核');
    expect(refused?.text).toContain('只有管理员可以查看考核得分');
    const [overview] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核');
    expect(overview?.text).toMatch(/【乡镇组】[\s\S]*【部门组】/u);
    const [detail] = await t.chat.say(ADMIN_GROUP, ADMIN, '考核 郭道镇');
    expect(detail?.text).toContain('郭道镇：');
    expect(detail?.text).toContain('逾期未确认：任务6（2022-03-31）、任务6（2022-10-31）');
  });

  it('export the records as a file', async () => {
    await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 4');
    const [reply] = await t.chat.say(ADMIN_GROUP, ADMIN, '导出');
    expect(reply?.text).toContain('确认 1 条');
    expect(reply?.text).toContain('全部记录（JSON 文件 zwgk-records-2022-2022-11-21.json）随后发到本群');
    const file = t.chat.sent.find((r) => r.kind === 'file');
    expect(file?.file?.filename).toBe('zwgk-records-2022-2022-11-21.json');
    const records = JSON.parse(String(file?.file?.content)) as { confirmations: unknown[] };
    expect(records.confirmations).toHaveLength(1);
  });

  it('say plainly that no file was sent where the platform cannot send files', async () => {
    const noFiles = await createTestBot({ now: '2022-11-21 10:00', chat: { files: false } });
    try {
      await setupCounty(noFiles, { units: ['郭道镇'] });
      const [reply] = await noFiles.chat.say(ADMIN_GROUP, ADMIN, '导出');
      expect(reply?.text).toContain('确认 0 条');
      expect(reply?.text).toContain('不能发文件，所以没有发出记录文件');
      expect(reply?.text).toContain('zwgk report --format xlsx --out');
      expect(noFiles.chat.sent.some((r) => r.kind === 'file')).toBe(false);
    } finally {
      await noFiles.close();
    }
  });

  it('answer anything unrecognised with short help, and help for admins lists the admin commands', async () => {
    const [help] = await t.chat.say(groupOf('郭道镇'), stranger, '你好');
    expect(help?.text).toContain('确认 4');
    expect(help?.text).not.toContain('管理员：');
    const [adminHelp] = await t.chat.say(ADMIN_GROUP, ADMIN, '帮助');
    expect(adminHelp?.text).toContain('管理员：');
  });
});

describe('binding when weekly digests are off', () => {
  it('does not promise weekly reminders', async () => {
    const t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: [] });
    const [unit] = await t.chat.say('g-new', ADMIN, '绑定 灵空山镇');
    expect(unit?.text).toContain('本群已绑定：灵空山镇');
    expect(unit?.text).not.toMatch(/每周|提醒/u);
    const [admin] = await t.chat.say('g-admin-2', ADMIN, '绑定 管理群');
    expect(admin?.text).toContain('管理员可在此使用');
    expect(admin?.text).not.toMatch(/每周|概况/u);
    await t.close();
  });

  it('promises them when they are on', async () => {
    const t = await createTestBot({ now: '2022-11-21 08:00', digest: { enabled: true, tickMs: 3_600_000 } });
    await setupCounty(t, { units: [] });
    const [unit] = await t.chat.say('g-new', ADMIN, '绑定 灵空山镇');
    expect(unit?.text).toContain('每周首个工作日 09:00 在本群发送提醒');
    await t.close();
  });
});
