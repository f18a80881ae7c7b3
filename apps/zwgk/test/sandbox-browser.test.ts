import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigSchema } from '../src/config.js';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.js';
import { launchChromium } from './chromium.js';

describe('the sandbox page in a browser', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), 'zwgk-sandbox-shots-'));

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-sandbox-ui-'));
    sandbox = await startSandbox({ config: AppConfigSchema.parse({ logLevel: 'silent' }), cwd, asOf: '2022-11-21', port: 0 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('shows a unit’s digest and answers a confirmation typed on the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(sandbox.url)) foreign.push(req.url());
    });
    await page.goto(`${sandbox.url}/`);
    await expect.poll(() => page.locator('#zwgk-date').textContent()).toContain('2022-11-21');

    await page.locator('#groups').getByText('郭道镇政务公开工作群').click();
    const chat = page.locator('#messages');
    await expect.poll(() => chat.textContent(), { timeout: 10_000 }).toContain('郭道镇 · 政务公开本周提醒');
    expect(await chat.textContent()).toContain('任务4 行政处罚信息公开');

    await page.locator('#member').selectOption({ index: 0 });
    await page.locator('#text').fill('确认 第4项 https://www.qinyuan.gov.cn/gdz/notice.html');
    await page.locator('#send').click();
    await expect.poll(() => chat.textContent(), { timeout: 10_000 }).toContain('确认回执');
    expect(await chat.textContent()).toContain('按时完成');

    mkdirSync(shots, { recursive: true });
    const file = join(shots, 'sandbox.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  it('advances the simulated week from the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${sandbox.url}/`);
    await expect.poll(() => page.locator('#zwgk-date').textContent()).toContain('2022-11-21');
    await page.locator('#zwgk-advance').click();
    await expect.poll(() => page.locator('#zwgk-date').textContent(), { timeout: 10_000 }).toContain('2022-11-28');
    await page.close();
  }, 60_000);
});
