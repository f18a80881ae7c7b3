import { score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { tinyPlan, tinyRecords } from './fixtures.js';
import { renderMarkdown } from './markdown.js';

const plan = tinyPlan();
const assessment = score(plan, tinyRecords(), { asOf: '2022-12-31' });

describe('renderMarkdown', () => {
  it('counts the grades', () => {
    expect(renderMarkdown(assessment, plan)).toContain('**等次**：优秀 2 个 · 良好 1 个 · 合格 0 个 · 不合格 3 个');
  });

  it('lists each group under its own heading, in rank order', () => {
    const md = renderMarkdown(assessment, plan);
    const township = md.indexOf('#### 乡镇组（3 个单位）');
    const department = md.indexOf('#### 部门组（3 个单位）');
    expect(township).toBeGreaterThan(0);
    expect(department).toBeGreaterThan(township);
    const first = md.indexOf('- 第1名 郭道镇 103.0（优秀）');
    const third = md.indexOf('- 第3名 沁河镇 43.0（不合格）');
    expect(first).toBeGreaterThan(township);
    expect(third).toBeGreaterThan(first);
    expect(md.indexOf('- 第1名 县司法局 86.0（良好）')).toBeGreaterThan(department);
  });

  it('shows only the top and bottom units of a group larger than twice the limit', () => {
    const md = renderMarkdown(assessment, plan, { topBottom: 1 });
    expect(md).toContain('**排名靠前**\n\n- 第1名 郭道镇 103.0（优秀）\n\n**排名靠后**\n\n- 第3名 沁河镇 43.0（不合格）');
    expect(md).not.toContain('沁源经济技术开发区 100.0');
  });

  it('shows a tie at the cut-off whole', () => {
    // without its confirmations 县公安局 scores max(0, 0 − 3) = 0.0 and ties 县财政局 for 2nd
    const records = tinyRecords();
    const tied = score(plan, { ...records, confirmations: records.confirmations.filter((c) => c.unit !== '县公安局') }, { asOf: '2022-12-31' });
    const md = renderMarkdown(tied, plan, { topBottom: 1 });
    const department = md.slice(md.indexOf('#### 部门组'), md.indexOf('#### 逾期'));
    expect(department).toContain('- 第1名 县司法局 86.0（良好）\n- 第2名 县公安局 0.0（不合格）\n- 第2名 县财政局 0.0（不合格）');
    expect(department).not.toContain('排名靠后');
  });

  it('groups the overdue milestones by task and deadline', () => {
    const md = renderMarkdown(assessment, plan);
    expect(md).toContain('#### 逾期未完成（4 项次，涉及 3 个单位）');
    expect(md).toContain('- 任务1 政策发布（12-31 截止）：县公安局、县财政局\n');
    expect(md).toContain('- 任务10 全年公开（12-31 截止）：沁河镇');
  });

  it('truncates a long overdue list with the number left out', () => {
    const md = renderMarkdown(assessment, plan, { overdueLines: 2, unitsPerLine: 1 });
    const lines = md.split('\n').filter((l) => l.startsWith('- 任务') || l.startsWith('- …'));
    expect(lines).toEqual(['- 任务1 政策发布（06-30 截止）：县财政局', '- …另有 2 项，详见完整报告']);
    const md2 = renderMarkdown(assessment, plan, { unitsPerLine: 1 });
    expect(md2).toContain('：县公安局 等 2 个单位');
  });

  it('says so when nothing is overdue', () => {
    const early = score(plan, tinyRecords(), { asOf: '2022-06-01' });
    expect(renderMarkdown(early, plan)).toContain('#### 逾期未完成\n\n无');
  });

  it('keeps to chat-friendly Markdown: no tables, no wide lines', () => {
    const md = renderMarkdown(assessment, plan);
    expect(md).not.toMatch(/^\|/m);
    for (const line of md.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('titles a mid-year summary 预估', () => {
    const md = renderMarkdown(score(plan, tinyRecords(), { asOf: '2022-07-15' }), plan);
    expect(md.split('\n')[0]).toBe('### 测试县2022年政务公开工作考核（预估）');
    expect(md).toContain('（预估：尚未到期的任务节点不计入）');
    expect(renderMarkdown(assessment, plan).split('\n')[0]).toBe('### 测试县2022年政务公开工作考核');
  });
});
