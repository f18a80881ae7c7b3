// End to end through the DingTalk emulator: 扣分 and 整改 from the admin group reach the unit and the score,
// and a failing evidence link is flagged to the admin group only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBot, exportRecords, openStore, type Bot, type Store } from '@zwgk/bot';
import { SANDBOX_APP, startEmulator, type Emulator, type Group } from '@zwgk/dingtalk-emulator';
import { score } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDingTalkAdapter, type DingTalkAdapter } from '../src/index.js';

describe('deductions, 整改 and evidence checks on DingTalk (emulated)', () => {
  const plan = getPlan('qinyuan-2022');
  let emu: Emulator;
  let adapter: DingTalkAdapter;
  let unitGroup: Group;
  let adminGroup: Group;
  let store: Store;
  let bot: Bot;
  let site: Server;
  let siteUrl = '';
  let now = new Date('2022-11-21T02:00:00Z');
  const platform = 'dingtalk';

  const say = async (group: Group, senderStaffId: string, text: string): Promise<void> => {
    const res = await fetch(`${emu.url}/_emulator/groups/${encodeURIComponent(group.conversationId)}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ senderStaffId, text }),
    });
    if (!res.ok) throw new Error(`emulator: ${res.status}`);
  };
  const fromBot = (group: Group): string[] => emu.messages(group.conversationId).filter((m) => m.from === 'bot').map((m) => (m.markdown ?? m.actionCard)?.text ?? '');
  async function waitFor(group: Group, text: string): Promise<string> {
    const until = Date.now() + 5_000;
    for (;;) {
      const hit = fromBot(group).find((m) => m.includes(text));
      if (hit !== undefined) return hit;
      if (Date.now() > until) throw new Error(`no message containing “${text}” in ${group.title}: ${JSON.stringify(fromBot(group))}`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }
  const deductionsOf = async (unit: string) => {
    const asOf = now.toISOString().slice(0, 10);
    return score(plan, await exportRecords(store, plan, { asOf }), { asOf }).units.find((u) => u.unit === unit)!.deductions;
  };

  beforeEach(async () => {
    site = createServer((req, res) => {
      res.writeHead(req.url === '/ok.html' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<title>郭道镇人民政府</title>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    emu = await startEmulator({ port: 0, ackTimeoutMs: 500, maxRedeliveries: 5, disconnectGraceMs: 100 });
    unitGroup = emu.createGroup({ title: '郭道镇政务公开群', members: [{ staffId: 'gd-01', nick: '张三' }] });
    adminGroup = emu.createGroup({ title: '县政府办管理群', members: [{ staffId: 'admin-01', nick: '王主任' }] });
    store = await openStore({ filename: ':memory:' });
    const actor = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: now };
    await store.groups.bindUnit({ platform, conversationId: unitGroup.conversationId, unit: '郭道镇', title: unitGroup.title }, actor);
    await store.groups.bindAdmin({ platform, conversationId: adminGroup.conversationId, title: adminGroup.title }, actor);
    await store.admins.add({ platform, userId: 'admin-01', name: '王主任' }, actor);
    adapter = createDingTalkAdapter({ clientId: SANDBOX_APP.clientId, clientSecret: SANDBOX_APP.clientSecret, robotCode: SANDBOX_APP.robotCode, apiBase: emu.url, retry: { attempts: 8, baseMs: 5, maxMs: 40 }, reconnect: { baseMs: 20, maxMs: 100, heartbeatMs: 0 } });
    bot = createBot({ plan, store, adapters: [adapter], clock: () => now, digest: { enabled: false }, evidence: { allowedHosts: ['127.0.0.1'], timeoutMs: 1_000 } });
    await bot.start();
  });

  afterEach(async () => {
    await bot.stop();
    await store.close();
    await emu.close();
    await new Promise((resolve) => site.close(resolve));
  });

  it('扣分 and a late 整改 cost the rubric’s points; the unit is told, reports 已整改 and the office closes it', async () => {
    await say(adminGroup, 'admin-01', '@政务公开助手 扣分 郭道镇 2 网站检查发现3条错链');
    await waitFor(adminGroup, '郭道镇 扣 2 分');
    expect(await deductionsOf('郭道镇')).toBe(2);

    await say(adminGroup, 'admin-01', '@政务公开助手 整改 郭道镇 政府信息公开专栏未按月更新 12月15日前');
    await waitFor(adminGroup, '整改 1：郭道镇');
    await waitFor(unitGroup, '请于 2022-12-15 前整改到位');
    await say(unitGroup, 'gd-01', '@政务公开助手 本周');
    await waitFor(unitGroup, '整改1 政府信息公开专栏未按月更新');

    now = new Date('2022-12-16T02:00:00Z');
    expect(await deductionsOf('郭道镇')).toBe(4);
    await say(unitGroup, 'gd-01', '@政务公开助手 已整改 1 专栏已补齐');
    await waitFor(adminGroup, '郭道镇 报告整改 1 已完成');
    await say(adminGroup, 'admin-01', '@政务公开助手 复查通过 1');
    await waitFor(unitGroup, '复查通过，已销号');
    // Verified after its due date: still late by the rubric.
    expect(await deductionsOf('郭道镇')).toBe(4);
    expect((await store.rectifications.list({ year: 2022, open: true })).length).toBe(0);
  });

  it('flags a failing evidence link to the admin group, not to the unit, after the receipt', async () => {
    await say(unitGroup, 'gd-01', `@政务公开助手 确认 4 ${siteUrl}/ok.html ${siteUrl}/gone.html`);
    await waitFor(unitGroup, '确认回执');
    const notice = await waitFor(adminGroup, '佐证链接核查异常');
    expect(notice).toContain(`${siteUrl}/gone.html`);
    expect(notice).not.toContain(`${siteUrl}/ok.html`);
    expect(fromBot(unitGroup).join('\n')).not.toContain('核查异常');
    const [c] = await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect((await store.evidenceChecks.latest([c!.id])).get(c!.id)?.map((x) => [x.result, x.title])).toEqual([
      ['ok', '郭道镇人民政府'],
      ['http_error', null],
    ]);
  });
});
