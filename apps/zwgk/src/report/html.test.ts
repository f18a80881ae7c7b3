import { score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { tinyPlan, tinyRecords } from './fixtures.js';
import { FONT_STACK, renderHtml } from './html.js';
import { esc, heatCells, taskRateChart, taskRates } from './svg.js';

const plan = tinyPlan();
const assessment = score(plan, tinyRecords(), { asOf: '2022-12-31' });

function count(html: string, pattern: RegExp): number {
  return html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

function svg(html: string, cls: string): string {
  const m = new RegExp(`<svg class="chart ${cls}"[\\s\\S]*?</svg>`, 'g');
  return (html.match(m) ?? []).join('');
}

describe('esc', () => {
  it('escapes the five HTML-special characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('taskRates', () => {
  it('counts on-time and late confirmations of due, non-exempt milestones per task', () => {
    const rates = taskRates(assessment, plan);
    expect(rates.map((r) => r.task)).toEqual([1, 4, 10, 31, 32]);
    // task 1: 12 unit-milestones, the zone's 12-31 exempt → 11; on time 郭道镇×2, 沁河镇 12-31, zone 06-30, 司法局×2, 公安局 06-30; late 沁河镇 06-30
    expect(rates[0]).toMatchObject({ kind: 'milestones', total: 11, onTime: 7, late: 1 });
    expect(rates[1]).toMatchObject({ total: 2, onTime: 1, late: 1 });
    expect(rates[2]).toMatchObject({ total: 3, onTime: 2, late: 0 });
  });

  it('shows the highlight and briefing tasks by the share of units with one', () => {
    const rates = taskRates(assessment, plan);
    expect(rates[3]).toMatchObject({ task: 31, kind: 'highlight', total: 6, onTime: 2 });
    // 县财政局's briefing is from 2021
    expect(rates[4]).toMatchObject({ task: 32, kind: 'briefing', total: 6, onTime: 3 });
  });
});

describe('taskRateChart', () => {
  it('marks a task nobody is scored on with × and one not yet due with —', () => {
    const base = tinyPlan();
    const plan2 = { ...base, tasks: [...base.tasks, { ...base.tasks[2]!, no: 12, name: '无责任单位', units: [] }] };
    const early = score(plan2, tinyRecords(), { asOf: '2022-06-01' });
    const rates = taskRates(early, plan2);
    expect(rates.find((r) => r.task === 12)).toMatchObject({ scored: 0, total: 0 });
    expect(rates.find((r) => r.task === 10)).toMatchObject({ scored: 3, total: 0 });
    const chart = taskRateChart(rates);
    const bar = (task: number) => chart.slice(chart.indexOf(`data-task="${task}"`), chart.indexOf('</g>', chart.indexOf(`data-task="${task}"`)));
    expect(bar(12)).toContain('>×</text>');
    expect(bar(12)).toContain('没有计分的责任单位');
    expect(bar(10)).toContain('>—</text>');
    expect(bar(10)).not.toContain('<rect');
  });
});

describe('heatCells', () => {
  it('folds a unit’s milestones on a task into its worst status, counting overdue ones', () => {
    const finance = assessment.units.find((u) => u.unit === '县财政局')!;
    expect(heatCells(finance)).toEqual([{ unit: '县财政局', task: 1, state: 'overdue', overdue: 2, statuses: ['overdue', 'overdue'] }]);
    const zone = assessment.units.find((u) => u.unit === '沁源经济技术开发区')!;
    expect(heatCells(zone).map((c) => c.state)).toEqual(['on_time', 'on_time']);
    const qinhe = assessment.units.find((u) => u.unit === '沁河镇')!;
    expect(heatCells(qinhe).map((c) => [c.task, c.state])).toEqual([
      [1, 'late'],
      [10, 'overdue'],
    ]);
  });
});

describe('renderHtml', () => {
  const html = renderHtml(assessment, plan);

  it('is one self-contained document: no scripts, links, imports or remote URLs', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('draws one distribution bar per unit of each group', () => {
    expect(count(svg(html, 'chart-dist" data-group="township'), /<rect class="bar"/)).toBe(3);
    expect(count(svg(html, 'chart-dist" data-group="department'), /<rect class="bar"/)).toBe(3);
  });

  it('draws one bar group per plan task', () => {
    expect(count(svg(html, 'chart-tasks'), /<g class="task-bar"/)).toBe(plan.tasks.length);
  });

  it('draws a heat-map cell per scored (unit, task) and marks the overdue ones', () => {
    const heat = svg(html, 'chart-heat');
    // task 1 × 6 units, task 4 × 2, task 10 × 3
    expect(count(heat, /<rect class="cell"/)).toBe(11);
    expect(count(heat, /data-state="overdue"/)).toBe(3);
    expect(count(heat, /<g class="heat-row"/)).toBe(6);
  });

  it('escapes text from the plan', () => {
    expect(html).not.toContain('<"quoted">');
    expect(html).toContain('行政处罚信息公开 &lt;&quot;quoted&quot;&gt;');
  });

  it('uses the CJK font stack and has print rules', () => {
    expect(FONT_STACK).toMatch(/^"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif$/);
    expect(html).toContain(`font-family:${FONT_STACK}`);
    expect(html).toContain('@media print');
  });

  it('tabulates every unit with its hand-computed final', () => {
    expect(count(html, /<tr class="unit-row">/)).toBe(6);
    expect(html).toContain('<td class="name">沁河镇</td><td>45.0</td><td>0.0</td><td>0.0</td><td>−2.0</td><td><b>43.0</b></td>');
  });

  it('lists each overdue milestone with unit, role, task, milestone, due date, days overdue and liaison', () => {
    const page = renderHtml(assessment, plan, { liaisons: { 县财政局: ['王五'] } });
    expect(count(page, /<td class="days">/)).toBe(4);
    expect(page).toContain('<tr><td class="name">县财政局</td><td class="name">负责</td><td class="name">任务1 政策发布</td><td class="name">2022-06-30</td><td>2022-06-30</td><td class="days">184 天</td><td class="name">王五</td></tr>');
    // without liaisons (a records file) the column is empty
    // due on the assessment date itself: overdue by the end of that day
    expect(html).toContain('<td class="days">当日截止</td><td class="name"></td>');
  });

  it('names the issuing office in the footer and says nothing about the tool', () => {
    const page = renderHtml(assessment, plan, { office: { name: '测试县人民政府办公室' } });
    expect(page).toContain('<footer>测试县人民政府办公室 · 评估日 2022-12-31</footer>');
    expect(page).not.toContain('zwgk');
  });

  it('titles a mid-year report 预估 and says that tasks not yet due are left out', () => {
    const page = renderHtml(score(plan, tinyRecords(), { asOf: '2022-07-15' }), plan);
    expect(page).toContain('<h1>测试县2022年政务公开工作考核（预估）</h1>');
    expect(page).toContain('预估：截至 2022-07-15，尚未到期的任务节点不计入');
    expect(html).toContain('<h1>测试县2022年政务公开工作考核</h1>');
  });
});
