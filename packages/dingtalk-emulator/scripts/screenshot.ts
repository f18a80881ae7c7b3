/**
 * Fills an emulator with a realistic conversation, drives the page with chromium and saves a
 * screenshot: `npx tsx scripts/screenshot.ts [/tmp/emulator.png]`.
 */
import { chromium } from 'playwright-core';
import { browserPathOrThrow } from '../../../scripts/browser.mjs';
import { startEmulator } from '../src/server.js';
import { call, connectRaw } from '../src/test-support.js';

const out = process.argv[2] ?? '/tmp/emulator.png';
const emu = await startEmulator({
  port: 0,
  pageExtras: { title: '沁源县政务公开 · 沙箱', html: '<span style="opacity:.85">模拟日期 2022-11-21</span><button type="button">下一周 ›</button>' },
});
try {
  const town = emu.createGroup({
    title: '郭道镇政务公开工作群',
    members: [
      { staffId: 'guodao-liaison', nick: '王丽' },
      { staffId: 'guodao-head', nick: '赵建国' },
      { staffId: 'guodao-clerk', nick: '刘敏' },
    ],
  });
  emu.createGroup({ title: '县政府办（管理）', members: [{ staffId: 'admin', nick: '县政务公开办' }] });
  emu.createGroup({ title: '县交通运输局', members: [{ staffId: 'jt-liaison', nick: '陈晨' }] });
  const cid = town.conversationId;

  const { accessToken } = (await call(`${emu.url}/v1.0/oauth2/accessToken`, { body: { appKey: 'sandbox-client', appSecret: 'sandbox-secret' } })).body;
  const digest = [
    '### 本周政务公开待办（11月21日—27日）',
    '**逾期 1 项**',
    '- 任务 4 · 政策解读：重要政策文件与解读材料同步发布（应于 11-15 前）',
    '',
    '**7 天内到期 2 项**',
    '1. 任务 6 · 基层政务公开标准目录更新（11-25）',
    '2. 任务 12 · 政府信息公开年度报告准备（11-30）',
    '',
    '> 完成后在群里 @政务公开助手 发送「确认 任务号 [链接]」，例如 `确认 4 https://www.qinyuan.gov.cn/…`',
    '',
    '请 @guodao-liaison 跟进。详见 [工作要点](https://www.qinyuan.gov.cn/)',
  ].join('\n');
  await call(`${emu.url}/v1.0/robot/groupMessages/send`, {
    headers: { 'x-acs-dingtalk-access-token': accessToken },
    body: { robotCode: 'sandbox-robot', openConversationId: cid, msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: '本周待办', text: digest }) },
  });

  const client = await connectRaw(emu);
  emu.postMessage(cid, { senderStaffId: 'guodao-liaison', text: '确认 4 https://www.qinyuan.gov.cn/zcjd/2022/11/20.html 已在政府网站发布' });
  const frame = await client.next((f) => f.type === 'CALLBACK');
  client.ack(frame);
  await call(JSON.parse(frame.data).sessionWebhook, {
    body: {
      msgtype: 'markdown',
      markdown: {
        title: '已确认 任务 4',
        text: '@guodao-liaison **已记录：任务 4 政策解读**\n- 应完成：11-15，确认：11-21（**逾期 6 天**）\n- 证据：[链接](https://www.qinyuan.gov.cn/zcjd/2022/11/20.html)\n\n撤销请发送 `撤销 4`',
      },
      at: { atUserIds: ['guodao-liaison'] },
    },
  });
  await call(`${emu.url}/v1.0/robot/groupMessages/send`, {
    headers: { 'x-acs-dingtalk-access-token': accessToken },
    body: {
      robotCode: 'sandbox-robot',
      openConversationId: cid,
      msgKey: 'sampleActionCard2',
      msgParam: JSON.stringify({
        title: '催办：任务 6',
        text: '#### 催办：任务 6\n基层政务公开标准目录更新 **11-25** 到期，尚未确认。',
        actionTitle1: '确认 6',
        actionURL1: `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('确认 6')}`,
        actionTitle2: '查看任务',
        actionURL2: 'https://www.qinyuan.gov.cn/',
      }),
    },
  });

  const browser = await chromium.launch({
    executablePath: browserPathOrThrow(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1180 }, deviceScaleFactor: 1 });
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(emu.url)) outside.push(r.url());
    });
    await page.goto(emu.url);
    await page.locator('.msg').nth(2).waitFor();
    await page.selectOption('#member', 'guodao-head');
    await page.fill('#text', '进度 4 @刘敏');
    await page.click('#send');
    await page.locator('.msg', { hasText: '进度 4' }).waitFor();
    // The page is fed by SSE: a message from elsewhere shows up and bumps another group's unread badge.
    emu.postMessage(emu.groups()[2]!.conversationId, { senderStaffId: 'jt-liaison', text: '本周', atBot: false });
    await page.locator('.badge').waitFor();
    await page.screenshot({ path: out });
    if (outside.length > 0) throw new Error(`the page requested outside URLs: ${outside.join(', ')}`);
    console.log(`screenshot: ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  await emu.close();
}
