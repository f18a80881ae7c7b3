/// <reference lib="dom" />
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { score, validateRecords, type Assessment } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../src/report/html.js';
import { launchChromium } from './chromium.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/records-2022.json', import.meta.url));

let browser: Browser;
let dir: string;
let assessment: Assessment;
let file: string;

beforeAll(async () => {
  const plan = getPlan('qinyuan-2022');
  const checked = validateRecords(plan, JSON.parse(await readFile(FIXTURE, 'utf8')));
  if (!checked.success) throw new Error(checked.error.map((e) => e.message).join('\n'));
  assessment = score(plan, checked.data, { asOf: '2022-12-31' });
  dir = await mkdtemp(join(tmpdir(), 'zwgk-report-browser-'));
  file = join(dir, '考核.html');
  await writeFile(file, renderHtml(assessment, plan));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('renderHtml in headless chromium', () => {
  it('loads without a single request beyond the file itself', async () => {
    const context = await browser.newContext();
    const requested: string[] = [];
    // anything remote is refused as well as recorded, so a regression cannot reach the network
    await context.route(/^(?!file:|data:)/, (route) => route.abort());
    const page = await context.newPage();
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(requested).toEqual([pathToFileURL(file).href]);
    await context.close();
  });

  it('draws the charts with a bar per unit and task and a cell per scored (unit, task)', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    for (const group of ['township', 'department'] as const) {
      const n = assessment.units.filter((u) => u.group === group).length;
      expect(await page.locator(`svg.chart-dist[data-group="${group}"] rect.bar`).count()).toBe(n);
    }
    expect(await page.locator('svg.chart-tasks g.task-bar').count()).toBe(34);
    const pairs = new Set(assessment.units.flatMap((u) => u.detail.milestones.map((m) => `${u.unit}|${m.task}`)));
    expect(await page.locator('svg.chart-heat rect.cell').count()).toBe(pairs.size);
    const overdue = new Set(assessment.overdue.map((o) => `${o.unit}|${o.task}`));
    expect(await page.locator('svg.chart-heat rect.cell[data-state="overdue"]').count()).toBe(overdue.size);
    // the tallest on-time bar really has height: the chart is not empty
    const heights = await page.locator('svg.chart-tasks rect.on-time').evaluateAll((rects) => rects.map((r) => (r as SVGRectElement).getBBox().height));
    expect(Math.max(...heights)).toBeGreaterThan(100);
    await page.close();
  });

  it('keeps every unit label inside its chart, left of the bars', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const overflow = await page.evaluate(() => {
      const bad: string[] = [];
      for (const g of Array.from(document.querySelectorAll('svg.chart-dist g.unit-bar, svg.chart-heat g.heat-row'))) {
        const label = g.querySelector('text')!.getBBox();
        const first = g.querySelector('rect')?.getBBox();
        if (label.x < 0 || (first && label.x + label.width > first.x + 0.5)) bad.push(g.getAttribute('data-unit') ?? '?');
      }
      return bad;
    });
    expect(overflow).toEqual([]);
    await page.close();
  });

  it('takes a full-page screenshot and prints to PDF', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    await page.goto(pathToFileURL(file).href);
    const png = join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect((await stat(png)).size).toBeGreaterThan(50_000);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });
});
