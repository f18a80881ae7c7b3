/** The page in Debian's chromium: renders what the robot sent, sends what a member types, stays on loopback. */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './server.js';
import { call } from './test-support.js';

let browser: Browser;
let emu: Emulator;
// An emulator on a clock the tests move.
let clock = Date.parse('2022-11-20T23:30:00+08:00');
let timed: Emulator;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  emu = await startEmulator({ port: 0, pageExtras: { html: '<button id="advance" type="button">下一周</button>' } });
  timed = await startEmulator({ port: 0, now: () => clock });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await emu?.close();
  await timed?.close();
});

describe('web page', () => {
  it('shows the robot’s markdown and ActionCard, sends typed text and dtmd button content as the chosen member', async () => {
    const g = emu.createGroup({
      title: '郭道镇',
      members: [
        { staffId: 'u1', nick: '王丽' },
        { staffId: 'u2', nick: '赵建国' },
      ],
    });
    const { accessToken } = (await call(`${emu.url}/v1.0/oauth2/accessToken`, { body: { appKey: 'sandbox-client', appSecret: 'sandbox-secret' } })).body;
    const send = (msgKey: string, param: object) =>
      call(`${emu.url}/v1.0/robot/groupMessages/send`, {
        headers: { 'x-acs-dingtalk-access-token': accessToken },
        body: { robotCode: 'sandbox-robot', openConversationId: g.conversationId, msgKey, msgParam: JSON.stringify(param) },
      });
    await send('sampleMarkdown', { title: '本周待办', text: '### 本周待办\n- **任务 4** 请 @u1 确认\n<script>window.pwned = 1</script>' });

    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(emu.url)) outside.push(r.url());
    });
    await page.goto(emu.url);
    const digest = page.locator('.bubble.md');
    await digest.waitFor();
    expect(await digest.locator('h3').textContent()).toBe('本周待办');
    expect(await digest.locator('.mention').textContent()).toBe('@王丽');
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#sandbox-controls #advance').count()).toBe(1);

    // Arrives over SSE while the page is open.
    await send('sampleActionCard', {
      title: '催办',
      text: '任务 6 未确认',
      singleTitle: '确认 6',
      singleURL: `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent('确认 6')}`,
    });
    await page.locator('.card .buttons a', { hasText: '确认 6' }).click();
    await expect.poll(() => emu.messages(g.conversationId).at(-1)?.text).toBe('确认 6');

    await page.selectOption('#member', 'u2');
    await page.fill('#text', '进度 4');
    await page.keyboard.press('Enter');
    await page.locator('.msg.mine', { hasText: '进度 4' }).waitFor();
    expect(emu.messages(g.conversationId).at(-1)).toMatchObject({ from: { staffId: 'u2' }, text: '进度 4', via: 'user' });
    expect(outside).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows the control API’s error under the box', async () => {
    const g = emu.createGroup({ title: '空群', members: [{ staffId: 'u9', nick: '某人' }] });
    const page = await browser.newPage();
    await page.goto(`${emu.url}/#${encodeURIComponent(g.conversationId)}`);
    await page.locator('.chat-title', { hasText: '空群' }).waitFor();
    await page.click('#send');
    expect(await page.locator('#compose-error').textContent()).toBe('消息不能为空。');
    await page.close();
  }, 30_000);

  it('puts a divider above each Shanghai day’s first message, dated by the messages, not the wall clock', async () => {
    const g = timed.createGroup({ title: '王和镇', members: [{ staffId: 'w1', nick: '李强' }] });
    clock = Date.parse('2022-11-20T23:30:00+08:00');
    timed.postMessage(g.conversationId, { senderStaffId: 'w1', text: '周日晚上', atBot: false });
    // 00:10 in Shanghai is still the 20th in UTC: the divider must follow Shanghai.
    clock = Date.parse('2022-11-21T00:10:00+08:00');
    timed.postMessage(g.conversationId, { senderStaffId: 'w1', text: '周一零点', atBot: false });
    clock = Date.parse('2022-11-21T09:00:00+08:00');
    timed.postMessage(g.conversationId, { senderStaffId: 'w1', text: '周一上午', atBot: false });

    const page = await browser.newPage();
    await page.goto(`${timed.url}/#${encodeURIComponent(g.conversationId)}`);
    await page.locator('.msg', { hasText: '周一上午' }).waitFor();
    const sequence = await page.locator('#messages > *').evaluateAll((els) =>
      els.map((el) => (el.classList.contains('day') ? `day ${el.textContent}` : (el.querySelector('.bubble')?.textContent ?? '').replace(/^@\S+ /, ''))),
    );
    expect(sequence).toEqual(['day 11月20日 星期日', '周日晚上', 'day 11月21日 星期一', '周一零点', '周一上午']);
    await page.close();
  }, 30_000);
});
