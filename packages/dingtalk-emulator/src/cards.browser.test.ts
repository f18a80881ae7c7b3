/** Interactive cards on the page in chromium: buttons shown, a click sends the callback as the chosen member, an update re-renders the card. */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserPathOrThrow } from '../../../scripts/browser.mjs';
import { SANDBOX_APP, startEmulator, type Emulator } from './server.js';
import { call, connectRaw } from './test-support.js';

let browser: Browser;
let emu: Emulator;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: browserPathOrThrow(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  emu = await startEmulator({ port: 0, cardTemplates: [{ cardTemplateId: 'zwgk-action.schema' }] });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await emu?.close();
});

describe('interactive cards on the page', () => {
  it.each([
    ['wide', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('shows the card’s buttons (%s), sends a click as the chosen member and re-renders on update', async (name, viewport) => {
    const g = emu.createGroup({ title: `郭道镇-${name}`, members: [{ staffId: 'u1', nick: '王丽' }, { staffId: 'u2', nick: '赵建国' }] });
    const outTrackId = `track-${name}`;
    const { accessToken } = (await call(`${emu.url}/v1.0/oauth2/accessToken`, { body: { appKey: SANDBOX_APP.clientId, appSecret: SANDBOX_APP.clientSecret } })).body;
    const headers = { 'x-acs-dingtalk-access-token': accessToken };
    const created = await call(`${emu.url}/v1.0/card/instances/createAndDeliver`, {
      headers,
      body: {
        cardTemplateId: 'zwgk-action.schema',
        outTrackId,
        callbackType: 'STREAM',
        openSpaceId: `dtv1.card//IM_GROUP.${g.conversationId}`,
        imGroupOpenDeliverModel: { robotCode: SANDBOX_APP.robotCode },
        cardData: {
          cardParamMap: {
            title: '本周待办',
            markdown: '**任务 4** 政务公开工作年度报告 · 截止 1月31日',
            buttons: JSON.stringify([
              { text: '已完成', params: { action: 'done-4', command: '确认 4' } },
              { text: '查看任务', color: 'gray', params: { action: 'view-4', command: '进度 4' } },
            ]),
          },
        },
      },
    });
    expect(created.status).toBe(200);
    const client = await connectRaw(emu, [{ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' }]);

    const page = await browser.newPage({ viewport });
    await page.goto(`${emu.url}/#${encodeURIComponent(g.conversationId)}`);
    const card = page.locator('.bubble.card.interactive');
    await card.waitFor();
    expect(await card.locator('.card-title').textContent()).toBe('本周待办');
    expect(await card.locator('button.card-btn').allTextContents()).toEqual(['已完成', '查看任务']);

    await page.selectOption('#member', 'u2');
    await card.locator('button.card-btn', { hasText: '已完成' }).click();
    const frame = await client.next((f) => f.type === 'CALLBACK' && JSON.parse(f.data).outTrackId === outTrackId);
    const data = JSON.parse(frame.data);
    expect(data.userId).toBe('u2');
    expect(JSON.parse(data.content).cardPrivateData.params).toEqual({ action: 'done-4', command: '确认 4' });
    client.ack(frame);

    await call(`${emu.url}/v1.0/card/instances`, {
      method: 'PUT',
      headers,
      body: { outTrackId, cardData: { cardParamMap: { markdown: '✅ 赵建国 已确认任务 4', buttons: JSON.stringify([{ text: '撤销', color: 'red', params: { command: '撤销 4' } }]) } }, cardUpdateOptions: { updateCardDataByKey: true } },
    });
    await expect.poll(() => card.getAttribute('data-version')).toBe('2');
    expect(await card.locator('.card-text').textContent()).toContain('赵建国 已确认任务 4');
    expect(await card.locator('button.card-btn').allTextContents()).toEqual(['撤销']);
    const overflow = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number });
      return d.document.documentElement.scrollWidth - d.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
    client.ws.terminate();
  });
});
