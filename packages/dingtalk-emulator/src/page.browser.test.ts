/** The page in Debian's chromium (or the browser scripts/browser.mjs finds): renders what the robot sent, sends what a member types, stays on loopback. */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPathOrThrow } from '../../../scripts/browser.mjs';
import { startEmulator, type Emulator } from './server.js';
import { call } from './test-support.js';

let browser: Browser;
let emu: Emulator;
// An emulator on a clock the tests move, with controls as wide as the zwgk sandbox's (label, date, button).
let clock = Date.parse('2022-11-20T23:30:00+08:00');
let timed: Emulator;
const SANDBOX_LIKE_CONTROLS =
  '<div style="display:flex;align-items:center;gap:10px;font-size:13px"><span>沙盒 · 模拟日期</span>' +
  '<span style="padding:4px 10px">2022-11-21（星期一）09:05</span><button id="advance-week" type="button">前进一周 ▸</button></div>';
const PHONE = { width: 390, height: 844 };
// What the in-page functions use (this package is typed without the DOM library).
interface InPage {
  innerWidth: number;
  document: {
    documentElement: { scrollWidth: number };
    body: { scrollWidth: number };
    elementFromPoint(x: number, y: number): { id: string } | null;
  };
}

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: browserPathOrThrow(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  emu = await startEmulator({ port: 0, pageExtras: { html: '<button id="advance" type="button">下一周</button>' } });
  timed = await startEmulator({ port: 0, now: () => clock, pageExtras: { title: 'zwgk 沙盒 · 钉钉模拟器', html: SANDBOX_LIKE_CONTROLS } });
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

describe('web page on a phone (390×844)', () => {
  const overflow = () => {
    const w = globalThis as unknown as InPage;
    return { scrollWidth: w.document.documentElement.scrollWidth, bodyScrollWidth: w.document.body.scrollWidth, innerWidth: w.innerWidth };
  };

  it('shows the list, opens a chat full width with a usable box, and goes back to the list', async () => {
    const g = timed.createGroup({
      title: '郭道镇政务公开工作群',
      members: [
        { staffId: 'g1', nick: '王丽' },
        { staffId: 'guodao-head-with-a-long-id', nick: '赵建国' },
      ],
    });
    timed.postMessage(g.conversationId, {
      senderStaffId: 'g1',
      text: '确认 4 https://www.qinyuan.gov.cn/zcjd/2022/11/20/a-rather-long-path-without-spaces.html 已发布，附件另行报送县政府办',
    });
    const page = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(timed.url);
    const row = page.locator('#groups .group', { hasText: '郭道镇政务公开工作群' });
    await row.waitFor();

    // The list fills the screen; the chat waits for a choice.
    expect(await page.locator('.chat').isVisible()).toBe(false);
    const list = await page.locator('.sidebar').boundingBox();
    expect(list?.width).toBe(PHONE.width);
    let size = await page.evaluate(overflow);
    expect(size.scrollWidth).toBeLessThanOrEqual(PHONE.width);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);

    // The injected control is on screen and nothing covers it.
    const control = page.locator('#sandbox-controls #advance-week');
    const box = await control.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    expect(await page.evaluate(([x, y]) => (globalThis as unknown as InPage).document.elementFromPoint(x!, y!)?.id, [box!.x + box!.width / 2, box!.y + box!.height / 2])).toBe('advance-week');

    // The group the page picked behind the list is not being read: its new messages count as unread.
    const first = timed.groups()[0]!;
    timed.postMessage(first.conversationId, { senderStaffId: first.members[0]!.staffId, text: '列表里收到', atBot: false });
    await page.locator('#groups .group', { hasText: first.title }).first().locator('.badge', { hasText: '1' }).waitFor();

    await row.tap();
    await page.locator('.chat-title', { hasText: '郭道镇政务公开工作群' }).waitFor();
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    expect((await page.locator('.chat').boundingBox())?.width).toBe(PHONE.width);
    size = await page.evaluate(overflow);
    expect(size.scrollWidth).toBeLessThanOrEqual(PHONE.width);
    expect(size.bodyScrollWidth).toBeLessThanOrEqual(PHONE.width);
    const text = await page.locator('#text').boundingBox();
    expect(text!.width).toBeGreaterThanOrEqual(200);
    const sendButton = await page.locator('#send').boundingBox();
    expect(sendButton!.x + sendButton!.width).toBeLessThanOrEqual(PHONE.width);
    expect(sendButton!.height).toBeGreaterThanOrEqual(40);
    // A bubble keeps to 85% of the row; a long URL wraps instead of widening the page.
    const bubble = await page.locator('.msg', { hasText: 'a-rather-long-path' }).evaluate((msg) => ({
      body: msg.querySelector('.msg-body')!.getBoundingClientRect().width,
      row: msg.getBoundingClientRect().width,
    }));
    expect(bubble.body).toBeLessThanOrEqual(bubble.row * 0.85 + 1);
    expect(await page.locator('#sandbox-controls #advance-week').isVisible()).toBe(true);

    // Typing still works at this size.
    await page.locator('#text').fill('进度 4');
    await page.locator('#send').tap();
    await expect.poll(() => timed.messages(g.conversationId).at(-1)?.text).toBe('进度 4');

    await page.locator('#back').tap();
    await page.locator('.sidebar').waitFor({ state: 'visible' });
    expect(await page.locator('.chat').isVisible()).toBe(false);

    // The system back gesture leaves the chat for the list too, not the page.
    await row.tap();
    await page.locator('#back').waitFor({ state: 'visible' });
    await page.goBack();
    await page.locator('.sidebar').waitFor({ state: 'visible' });
    expect(await page.locator('.chat').isVisible()).toBe(false);
    expect(page.url().startsWith(timed.url)).toBe(true);
    await page.close();
  }, 30_000);

  it('has no horizontal overflow at 360 px in the list or the chat', async () => {
    const g = timed.createGroup({ title: '沁源经济技术开发区管理委员会政务公开联络群', members: [{ staffId: 'k1', nick: '开发区联络员' }] });
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(timed.url);
    const row = page.locator('#groups .group', { hasText: '开发区管理委员会' });
    await row.waitFor();
    expect((await page.evaluate(overflow)).scrollWidth).toBeLessThanOrEqual(360);
    await row.tap();
    await page.locator('.chat-title', { hasText: '开发区管理委员会' }).waitFor();
    expect((await page.evaluate(overflow)).scrollWidth).toBeLessThanOrEqual(360);
    expect((await page.locator('#text').boundingBox())!.width).toBeGreaterThanOrEqual(200);
    expect(g.conversationId).toBe(await page.evaluate(() => (globalThis as { emulatorPage?: { currentConversationId(): string } }).emulatorPage?.currentConversationId()));
    await page.close();
  }, 30_000);

  it('keeps the desktop layout: the list and the chat side by side, no back button', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(timed.url);
    await page.locator('#groups .group').first().waitFor();
    expect(await page.locator('.sidebar').isVisible()).toBe(true);
    expect(await page.locator('.chat').isVisible()).toBe(true);
    expect((await page.locator('.sidebar').boundingBox())?.width).toBe(280);
    expect(await page.locator('#back').isVisible()).toBe(false);
    await page.close();
  }, 30_000);
});
