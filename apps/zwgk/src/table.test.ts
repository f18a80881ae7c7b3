import { describe, expect, it } from 'vitest';
import { displayWidth, renderFittedTable, wrapCell } from './table.js';

describe('wrapCell', () => {
  it('breaks after 、 and spaces, keeping names and dates whole', () => {
    expect(wrapCell('县司法局(牵头)、各乡镇、县公安局', 16)).toEqual(['县司法局(牵头)、', '各乡镇、县公安局']);
    expect(wrapCell('2022-03-31（每年） 2022-10-31', 18)).toEqual(['2022-03-31（每年）', '2022-10-31']);
  });

  it('cuts a piece wider than the line by character', () => {
    expect(wrapCell('政务公开工作要点', 6)).toEqual(['政务公', '开工作', '要点']);
  });
});

describe('renderFittedTable', () => {
  const header = ['序号', '任务名称', '时间节点'];
  const rows = [['6', '政府信息公开工作年度报告', '2022-03-31（每年） 2022-10-31']];

  it('uses natural widths when the width is unknown', () => {
    const lines = renderFittedTable(header, rows).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('2022-03-31（每年） 2022-10-31');
  });

  it('fits the terminal width by wrapping, never dropping a second deadline', () => {
    const text = renderFittedTable(header, rows, { width: 40, minWidths: [4, 8, displayWidth('2022-03-31（每年）')] });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(text).toContain('2022-03-31（每年）');
    expect(text).toContain('2022-10-31');
    expect(text).not.toContain('…');
    expect(lines.slice(2).join('').replace(/\s/g, '')).toContain('政府信息公开');
  });
});
