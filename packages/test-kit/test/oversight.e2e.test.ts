import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRecords } from '@zwgk/bot';
import { score, shanghaiDate } from '@zwgk/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

async function finalOf(t: TestBot, unit: string): Promise<{ final: number; deductions: number }> {
  const asOf = shanghaiDate(t.clock.now());
  const u = score(t.plan, await exportRecords(t.store, t.plan, { asOf }), { asOf }).units.find((x) => x.unit === unit)!;
  return { final: u.final, deductions: u.deductions };
}

describe('deductions and 整改 through the chat', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇', '沁河镇'] });
  });
  afterEach(async () => t.close());

  it('扣分 takes the points off the unit’s score, 撤销扣分 gives them back, and only admins may do either', async () => {
    // A briefing puts the final above the points taken off (it is floored at 0).
    await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '汇报 2022-06-10 主要负责人听取政务公开工作汇报');
    const before = await finalOf(t, '郭道镇');
    expect(before.final).toBeGreaterThanOrEqual(10);
    const [refused] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '扣分 郭道镇 2 网站检查发现错链');
    expect(refused?.text).toContain('只有管理员可以扣分');
    const [reply] = await t.chat.say(ADMIN_GROUP, ADMIN, '扣分 郭道镇 2 网站检查发现错链');
    expect(reply?.text).toContain('郭道镇 扣 2 分');
    expect(await finalOf(t, '郭道镇')).toEqual({ final: before.final - 2, deductions: 2 });
    const id = (await t.store.deductions.list({ year: 2022 }))[0]!.id;
    const [undone] = await t.chat.say(ADMIN_GROUP, ADMIN, `撤销扣分 ${id}`);
    expect(undone?.text).toContain('已撤销');
    expect(await finalOf(t, '郭道镇')).toEqual(before);
  });

  it('整改 reaches the unit, stays in its digest until 复查通过, and costs the carry-over points only once overdue', async () => {
    const base = await finalOf(t, '郭道镇');
    const [set] = await t.chat.say(ADMIN_GROUP, ADMIN, '整改 郭道镇 政府信息公开专栏未按月更新 12月15日前');
    expect(set?.text).toContain('整改 1：郭道镇 — 政府信息公开专栏未按月更新，期限 2022-12-15');
    expect(t.chat.messagesTo(groupOf('郭道镇')).map((m) => m.text).join('\n')).toContain('请于 2022-12-15 前整改到位');

    const [digest] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '本周');
    expect(digest?.text).toContain('整改1 政府信息公开专栏未按月更新（期限 2022-12-15，待整改） 整改后回复：已整改 1');
    const [other] = await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '本周');
    expect(other?.text).not.toContain('整改1');

    // Past its due date without 复查通过: the rubric's carry-over points (2) come off.
    t.clock.set('2022-12-16 10:00');
    expect((await finalOf(t, '郭道镇')).deductions).toBe(2);
    const [late] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '本周');
    expect(late?.text).toContain('（期限 2022-12-15，待整改，已超期）');

    const [wrongUnit] = await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '已整改 1');
    expect(wrongUnit?.text).toContain('整改 1 不是本单位的事项');
    t.chat.clear();
    const [reported] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '已整改 1 专栏已补齐');
    expect(reported?.text).toContain('已报整改完成');
    expect(t.chat.messagesTo(ADMIN_GROUP).map((m) => m.text).join('\n')).toContain('郭道镇 报告整改 1 已完成：政府信息公开专栏未按月更新（专栏已补齐）');

    const [back] = await t.chat.say(ADMIN_GROUP, ADMIN, '复查不通过 1 11月仍为空');
    expect(back?.text).toContain('复查未通过');
    expect(t.chat.messagesTo(groupOf('郭道镇')).map((m) => m.text).join('\n')).toContain('11月仍为空');
    await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '已整改 1');
    const [closed] = await t.chat.say(ADMIN_GROUP, ADMIN, '复查通过 1');
    expect(closed?.text).toContain('复查通过，已销号');
    const [after] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '本周');
    expect(after?.text).not.toContain('整改1');
    // Verified after its due date: still late by the rubric.
    expect((await finalOf(t, '郭道镇')).deductions).toBe(2);
    expect((await t.store.audit.list()).map((e) => e.action).filter((a) => a.startsWith('rectification.'))).toEqual([
      'rectification.add',
      'rectification.rectify',
      'rectification.reopen',
      'rectification.rectify',
      'rectification.verify',
    ]);
    expect(base.deductions).toBe(0);
  });

  it('an item verified by its due date costs nothing, and 整改 alone lists what is open', async () => {
    await t.chat.say(ADMIN_GROUP, ADMIN, '整改 沁河镇 政策解读缺失 两周内');
    const [list] = await t.chat.say(ADMIN_GROUP, ADMIN, '整改');
    expect(list?.text).toContain('1. 沁河镇 政策解读缺失｜期限 2022-12-05｜待整改');
    await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '已整改 1');
    await t.chat.say(ADMIN_GROUP, ADMIN, '复查通过 1');
    t.clock.set('2022-12-31 10:00');
    expect((await finalOf(t, '沁河镇')).deductions).toBe(0);
    const [none] = await t.chat.say(groupOf('沁河镇'), liaisonOf('沁河镇'), '整改');
    expect(none?.text).toContain('没有未销号的整改事项');
  });
});

describe('evidence checks through the chat, against a loopback “government site”', () => {
  let server: Server;
  let base = '';
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/ok.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<title>郭道镇人民政府 政务公开</title>');
      } else if (req.url === '/slow.html') {
        // Never answers: the reply to 确认 must not wait for it.
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  let t: TestBot;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-evidence-'));
  });
  afterEach(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers at once, checks in the background, stores each result and tells the admin group (not the unit) about failing links', async () => {
    t = await createTestBot({ now: '2022-11-21 10:00', evidence: { allowedHosts: ['127.0.0.1'], timeoutMs: 1_500 } });
    await setupCounty(t, { units: ['郭道镇'] });
    const links = [`${base}/ok.html`, `${base}/gone.html`, `${base}/slow.html`, 'https://www.example.com/x'];
    const [receipt] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), `确认 22 ${links.join(' ')}`);
    expect(receipt?.text).toContain('确认回执');
    await t.bot.checkEvidence();
    const [confirmation] = await t.store.confirmations.list({ year: 2022, unit: '郭道镇' });
    const checks = (await t.store.evidenceChecks.latest([confirmation!.id])).get(confirmation!.id)!;
    expect(checks.map((c) => [c.url, c.result, c.httpStatus, c.title])).toEqual([
      [links[0], 'ok', 200, '郭道镇人民政府 政务公开'],
      [links[1], 'http_error', 404, null],
      [links[2], 'timeout', null, null],
      [links[3], 'host_not_allowed', null, null],
    ]);
    const notice = t.chat.messagesTo(ADMIN_GROUP).map((m) => m.text).join('\n');
    expect(notice).toContain('佐证链接核查异常');
    expect(notice).toContain(`${links[1]} — 打不开（HTTP 404）`);
    expect(notice).toContain('不在本县网站名单内（未访问）');
    expect(t.chat.messagesTo(groupOf('郭道镇')).map((m) => m.text).join('\n')).not.toContain('核查异常');
    const [overview] = await t.chat.say(ADMIN_GROUP, ADMIN, '本周');
    expect(overview?.text).toContain('佐证链接核查异常 3 条');
  });

  it('shows each link’s check in the office’s 复核 queue: pending before the checker runs, then its result', async () => {
    t = await createTestBot({ now: '2022-11-21 10:00', evidence: { allowedHosts: ['127.0.0.1'], timeoutMs: 1_500 } });
    await setupCounty(t, { units: ['郭道镇'] });
    const links = [`${base}/ok.html`, `${base}/gone.html`];
    await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), `确认 22 ${links.join(' ')}`);
    const [waiting] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核');
    expect(waiting?.text).toContain('链接检查：');
    expect(waiting?.text).toContain('核查中');
    await t.bot.checkEvidence();
    const [checked] = await t.chat.say(ADMIN_GROUP, ADMIN, '复核');
    expect(checked?.text).toMatch(/✓ \S+ 200 · 郭道镇人民政府 政务公开 · 正常/u);
    expect(checked?.text).toMatch(/✗ \S+ 404 · /u);
    expect(checked?.text).not.toContain('核查中');
  });

  it('fetches nothing with an empty allow-list', async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇'] });
    const before = hits.length;
    await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), `确认 22 ${base}/ok.html`);
    await t.bot.checkEvidence();
    expect(hits.length).toBe(before);
    const records = await exportRecords(t.store, t.plan);
    expect(records.confirmations[0]?.evidenceChecks).toMatchObject([{ url: `${base}/ok.html`, result: 'not_checked' }]);
  });

  it('resumes checks left pending by a crash when the bot starts again', async () => {
    const filename = join(dir, 'zwgk.sqlite');
    t = await createTestBot({ filename, now: '2022-11-21 10:00', evidence: { allowedHosts: ['127.0.0.1'] } });
    await setupCounty(t, { units: ['郭道镇'] });
    // Recorded, but the process dies before any check ran: the pending row is in the database.
    await t.store.confirmations.add(
      { year: 2022, unit: '郭道镇', task: 22, due: '2022-11-30', at: t.clock.now(), platform: 'memory', conversationId: groupOf('郭道镇'), senderId: 'x', senderName: 'x', evidence: [`${base}/ok.html`] },
      { actor: { platform: 'memory', id: 'x' }, at: t.clock.now() },
    );
    await t.close();
    t = await createTestBot({ filename, now: '2022-11-21 10:05', evidence: { allowedHosts: ['127.0.0.1'] } });
    for (let i = 0; i < 100 && (await t.store.evidenceChecks.pendingCount()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await t.store.evidenceChecks.pendingCount()).toBe(0);
    expect((await t.store.evidenceChecks.flagged()).length).toBe(0);
    expect(hits).toContain('/ok.html');
  });
});
