// The sandbox as `npm start` runs it (any free port), in chromium: a liaison taps 「已完成」 on a digest card,
// the card says who did it, the confirmation is recorded once, and 「补充佐证」 asks for the link.
// Screenshots at desktop and phone width go to apps/zwgk/test-output/sandbox-cards/.
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigSchema } from '../src/config.js';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.js';
import { launchChromium } from './chromium.js';

const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output', 'sandbox-cards');

/** How far the page is wider than the window (0: no sideways scrolling). */
const overflowOf = (page: Page) =>
  page.evaluate(() => {
    const w = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return w.document.documentElement.scrollWidth - w.innerWidth;
  });

/** Elements inside `scope` whose text is cut off sideways (wider content than box, with hidden overflow). */
const clippedIn = (scope: Locator) =>
  scope.evaluate((root) => {
    const out: string[] = [];
    for (const el of Array.from((root as unknown as { querySelectorAll(s: string): ArrayLike<{ scrollWidth: number; clientWidth: number; textContent: string | null }> }).querySelectorAll('.card-title, .card-text, button.card-btn'))) {
      if (el.scrollWidth > el.clientWidth + 1) out.push((el.textContent ?? '').slice(0, 40));
    }
    return out;
  });

describe('buttons on the sandbox page', () => {
  let sandbox: Sandbox;
  let browser: Browser;

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-sandbox-cards-'));
    sandbox = await startSandbox({ config: AppConfigSchema.parse({ logLevel: 'silent' }), cwd, asOf: '2022-11-21', port: 0 });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it.each([
    ['desktop', { width: 1280, height: 900 }, '沁河镇政务公开工作群', '沁河镇'],
    ['phone', { width: 390, height: 844 }, '郭道镇政务公开工作群', '郭道镇'],
  ])('confirms from a digest card’s 「已完成」 and asks for a link from the receipt’s 「补充佐证」 (%s)', async (name, viewport, title, unit) => {
    const page = await browser.newPage({ viewport, deviceScaleFactor: name === 'phone' ? 2 : 1 });
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(sandbox.url)) foreign.push(req.url());
    });
    await page.goto(`${sandbox.url}/`);
    await page.locator('#groups').getByText(title).click();

    const group = sandbox.emulator.groups().find((g) => g.title === title)!;
    const liaison = group.members.find((m) => m.staffId.startsWith('liaison-'))!;
    await page.locator('#member').selectOption(liaison.staffId);

    const digest = page.locator('.bubble.card.interactive').filter({ hasText: '政务公开本周提醒' }).first();
    await digest.waitFor({ timeout: 10_000 });
    const labels = await digest.locator('button.card-btn').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((l) => /^任务\d+(\.\d+)? 已完成$/u.test(l))).toBe(true);
    const label = labels[0]!;
    const task = Number(/^任务(\d+)/u.exec(label)![1]);
    // Buttons a thumb can hit on a phone, and nothing wider than the screen.
    for (const box of await Promise.all((await digest.locator('button.card-btn').all()).map((b) => b.boundingBox()))) {
      expect(box!.height).toBeGreaterThanOrEqual(name === 'phone' ? 44 : 30);
    }
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, `${name}-digest.png`) });

    const { confirmations, audit } = sandbox.service.store;
    expect(await confirmations.list({ year: 2022, unit, task })).toEqual([]);
    await digest.locator('button.card-btn', { hasText: label }).click();

    // The digest card changes: the item's button is gone and a line says who did what.
    await expect.poll(() => digest.getAttribute('data-version'), { timeout: 10_000 }).toBe('2');
    expect(await digest.locator('.card-text').textContent()).toContain(`${liaison.nick} 已点按：确认 ${task}`);
    expect(await digest.locator('button.card-btn').allTextContents()).not.toContain(label);
    const receipt = page.locator('.bubble.card.interactive').filter({ hasText: '确认回执' }).last();
    await receipt.waitFor({ timeout: 10_000 });
    expect(await receipt.textContent()).toContain(`登记人：${liaison.nick}`);
    expect(await receipt.locator('button.card-btn').allTextContents()).toEqual(['撤销', '补充佐证']);
    await receipt.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `${name}-tapped.png`) });

    const recorded = await confirmations.list({ year: 2022, unit, task });
    expect(recorded.map((c) => [c.senderId, c.senderName])).toEqual([[liaison.staffId, liaison.nick]]);
    const taps = (await audit.list({ action: 'button.tap' })).filter((a) => (a.payload as { command?: string }).command === `确认 ${task}` && a.actor.id === liaison.staffId);
    expect(taps).toHaveLength(1);

    // 「补充佐证」 asks for the link; the typed answer adds it and keeps the confirmation's time.
    await receipt.locator('button.card-btn', { hasText: '补充佐证' }).click();
    const ask = page.locator('.bubble').filter({ hasText: '补充什么？' });
    await ask.waitFor({ timeout: 10_000 });
    expect(await ask.textContent()).toContain(`补充 ${task}`);
    await page.locator('#text').fill(`补充 ${task} https://www.qinyuan.gov.cn/${name}/notice.html`);
    await page.locator('#send').click();
    await page.locator('.bubble').filter({ hasText: '已补充' }).waitFor({ timeout: 10_000 });
    const [amended] = await confirmations.list({ year: 2022, unit, task });
    expect(amended?.evidence).toEqual([`https://www.qinyuan.gov.cn/${name}/notice.html`]);
    expect(amended?.at).toEqual(recorded[0]?.at);

    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    expect(await clippedIn(page.locator('#messages'))).toEqual([]);
    await receipt.scrollIntoViewIfNeeded();
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  it('answers a second tap on a card of an item already confirmed plainly, recording nothing twice', async () => {
    const group = sandbox.emulator.groups().find((g) => g.title === '郭道镇政务公开工作群')!;
    const liaison = group.members.find((m) => m.staffId.startsWith('liaison-'))!;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${sandbox.url}/`);
    await page.locator('#groups').getByText(group.title).click();
    await page.locator('#member').selectOption(liaison.staffId);
    const digest = page.locator('.bubble.card.interactive').filter({ hasText: '政务公开本周提醒' }).first();
    const [label] = await digest.locator('button.card-btn').allTextContents();
    const task = Number(/^任务(\d+)/u.exec(label!)![1]);
    // Confirmed by typing first: the card's button is now stale.
    await page.locator('#text').fill(`确认 ${task}`);
    await page.locator('#send').click();
    await page.locator('.bubble').filter({ hasText: `任务${task} ` }).filter({ hasText: '确认回执' }).waitFor({ timeout: 10_000 });
    const before = await sandbox.service.store.confirmations.list({ year: 2022, unit: '郭道镇' });
    await digest.locator('button.card-btn', { hasText: label! }).click();
    await page.locator('.bubble').filter({ hasText: '无需重复' }).waitFor({ timeout: 10_000 });
    expect(await sandbox.service.store.confirmations.list({ year: 2022, unit: '郭道镇' })).toEqual(before);

    // The next week's digest (前进一周 sends it) offers no button for what is done.
    await page.locator('#zwgk-advance').click();
    const next = page.locator('.bubble.card.interactive').filter({ hasText: '2022-W48' });
    await next.waitFor({ timeout: 10_000 });
    expect(await next.locator('button.card-btn').allTextContents()).not.toContain(label);
    await page.close();
  }, 60_000);
});
