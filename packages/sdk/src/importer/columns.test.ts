import { describe, expect, it } from 'vitest';
import { isMergeable, recognizeHeader, recognizeHeaderRow, repeatsAbove } from './columns.js';

describe('recognizeHeader', () => {
  it('maps every synonym to its column', () => {
    const cases: Record<string, string> = {
      序号: 'no',
      编号: 'no',
      任务名称: 'name',
      工作任务: 'name',
      重点任务: 'name',
      任务: 'name',
      任务内容: 'content',
      具体要求: 'content',
      细化分工: 'content',
      工作要求: 'content',
      工作内容: 'content',
      责任单位: 'responsibility',
      责任科室: 'responsibility',
      责任处室: 'responsibility',
      责任部门: 'responsibility',
      牵头单位: 'responsibility',
      配合单位: 'cooperating',
      协办单位: 'cooperating',
      时间节点: 'deadline',
      时限要求: 'deadline',
      完成时限: 'deadline',
      完成时间: 'deadline',
      备注: 'ignored',
      类别: 'category',
    };
    for (const [header, kind] of Object.entries(cases)) expect(recognizeHeader(header)?.kind, header).toBe(kind);
  });

  it('marks a 牵头单位 column as naming leads', () => {
    expect(recognizeHeader('牵头单位')?.lead).toBe(true);
    expect(recognizeHeader('责任单位')?.lead).toBe(false);
  });

  it('ignores spaces inside a header and reads a longer header by its longest synonym', () => {
    expect(recognizeHeader('  任 务 内 容 ')?.kind).toBe('content');
    expect(recognizeHeader('责任单位及责任人')?.kind).toBe('responsibility');
  });

  it('does not take body text for a header', () => {
    expect(recognizeHeader('政策发布')).toBeNull();
    expect(recognizeHeader('全年')).toBeNull();
    expect(recognizeHeader('各级政府政务公开主管部门要加大对下级公开工作的业务指导和督促力度')).toBeNull();
  });
});

describe('recognizeHeaderRow', () => {
  it('reads a header row in any order and keeps unknown cells as ignored columns', () => {
    const row = recognizeHeaderRow(['工作任务', '序号', '具体要求', '牵头单位', '配合单位', '时限要求', '分管领导', '说明']);
    expect(row?.map((c) => c.kind)).toEqual(['name', 'no', 'content', 'responsibility', 'cooperating', 'deadline', 'ignored', 'ignored']);
  });

  it('rejects rows with fewer than three header words or without a task column', () => {
    expect(recognizeHeaderRow(['序号', '任务名称'])).toBeNull();
    expect(recognizeHeaderRow(['序号', '责任单位', '时间节点'])).toBeNull();
    expect(recognizeHeaderRow(['1', '政策发布', '发挥政府网站作用', '县政府办', '全年'])).toBeNull();
  });
});

describe('isMergeable', () => {
  it('lets responsibility, deadline and category cells span rows but not names or content', () => {
    expect(isMergeable('responsibility')).toBe(true);
    expect(isMergeable('deadline')).toBe(true);
    expect(isMergeable('category')).toBe(true);
    expect(isMergeable('name')).toBe(false);
    expect(isMergeable('content')).toBe(false);
  });

  it('reads an empty 配合单位 as no cooperating units, not as a merged cell', () => {
    expect(isMergeable('cooperating')).toBe(false);
    expect(isMergeable('ignored')).toBe(false);
  });
});

describe('repeatsAbove', () => {
  it('lets 同上 repeat the row above in units, deadline and category columns, 配合单位 included', () => {
    expect(repeatsAbove('cooperating')).toBe(true);
    expect(repeatsAbove('responsibility')).toBe(true);
    expect(repeatsAbove('deadline')).toBe(true);
    expect(repeatsAbove('content')).toBe(false);
    expect(repeatsAbove('name')).toBe(false);
  });
});
