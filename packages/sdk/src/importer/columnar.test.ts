import { describe, expect, it } from 'vitest';
import { readColumnar } from './columnar.js';
import { parsePlanTable } from './parse-plan-table.js';

/** A line with each text at its character position, as pdftotext -layout places them. */
function at(...parts: Array<[number, string]>): string {
  let line = '';
  for (const [x, text] of parts) line = line.padEnd(x, ' ') + text;
  return line;
}

const header = at([1, '序号'], [6, '工作任务'], [16, '工作要求'], [30, '责任单位'], [42, '完成时限']);

const brief = (text: string, year = 2023) => {
  const result = parsePlanTable(text, { year, county: '某县', units: [] });
  if (!result.success) throw new Error(result.error);
  return result.data.tasks.map((t) => [t.no, t.name, t.content, t.units.map((u) => `${u.unit}:${u.role}`).join(' '), t.milestones.map((m) => m.due).join(' ')]);
};

describe('readColumnar', () => {
  it('reads wrapped cells whose lines interleave across columns into one row per task number', () => {
    const text = [
      '某县2023年政务公开任务分解表',
      header,
      at([1, '1'], [6, '政策发布'], [16, '及时发布政策文'], [30, '县政府办牵头，'], [42, '长期坚持']),
      at([16, '件，做好解读。'], [30, '县直各有关单位'] ),
      at([30, '配合']),
      at([1, '2'], [6, '财政信息'], [16, '公开预算执行情'], [30, '县财政局'], [42, '每季度结束后']),
      at([6, '公开'], [16, '况。'], [42, '10日内']),
    ].join('\n');
    expect(brief(text)).toEqual([
      [1, '政策发布', '及时发布政策文件，做好解读。', '县政府办:lead 县直各有关单位:cooperating', '2023-12-31'],
      [2, '财政信息公开', '公开预算执行情况。', '县财政局:responsible', '2023-04-10 2023-07-10 2023-10-10 2024-01-10'],
    ]);
  });

  it('carries a cell over a page break, a page of one column going on with the column the last page ended in', () => {
    const text = [
      header,
      at([1, '1'], [6, '政策发布'], [16, '及时发布政策文'], [30, '县政府办'], [42, '年底前']),
      at([16, '件，做好解读。']),
      at([1, '2'], [6, '培训'], [16, '组织全县业务培'], [30, '县政府办'], [42, '11月30日前']),
      at([16, '训，提升业务能']),
      `\f${at([0, '力。'])}`,
    ].join('\n');
    expect(brief(text).map((t) => t[2])).toEqual(['及时发布政策文件，做好解读。', '组织全县业务培训，提升业务能力。']);
  });

  it('lays out each page with its own widths, skipping the header repeated on top', () => {
    const text = [
      header,
      at([1, '1'], [6, '政策发布'], [16, '及时发布。'], [30, '县政府办'], [42, '年底前']),
      at([1, '2'], [6, '政策解读'], [16, '做好解读。'], [30, '县司法局'], [42, '6月底前']),
      at([1, '3'], [6, '网站建设'], [16, '建好网站。'], [30, '县政府办'], [42, '9月底前']),
      `\f${at([0, '序号'], [4, '工作任务'], [12, '工作要求'], [22, '责任单位'], [31, '完成时限'])}`,
      at([0, '4'], [4, '财政信息'], [12, '公开预算。'], [22, '县财政局'], [31, '每季度']),
    ].join('\n');
    expect(brief(text).map((t) => [t[0], t[1], t[3]])).toEqual([
      [1, '政策发布', '县政府办:responsible'],
      [2, '政策解读', '县司法局:responsible'],
      [3, '网站建设', '县政府办:responsible'],
      [4, '财政信息', '县财政局:responsible'],
    ]);
  });

  it('splits a cell that fills its column from the next one at a one-position gap, but not a date written with spaces', () => {
    const text = [
      header,
      at([1, '1'], [6, '政策发布工作'], [16, '及时发布。'], [30, '县政府办'], [42, '2023 年 6 月底前']),
      at([1, '2'], [6, '政策解读'], [16, '做好解读。'], [30, '县司法局'], [42, '2023 年 9 月底前']),
      at([1, '3'], [6, '基层政务公开'], [16, '更新目录。'], [30, '县政府办'], [42, '2023 年 3 月底前']),
    ].join('\n');
    // 政策发布工作 ends at position 12: a word starts right after the one-position gap on most lines.
    const lines = text.split('\n');
    lines[1] = at([1, '1'], [6, '政策发布工作'], [13, '及时发布。'], [30, '县政府办'], [42, '2023 年 6 月底前']);
    lines[2] = at([1, '2'], [6, '政策解读'], [13, '做好解读。'], [30, '县司法局'], [42, '2023 年 9 月底前']);
    lines[3] = at([1, '3'], [6, '基层政务公开'], [13, '更新目录。'], [30, '县政府办'], [42, '2023 年 3 月底前']);
    expect(brief(lines.join('\n')).map((t) => [t[1], t[2], t[4]])).toEqual([
      ['政策发布工作', '及时发布。', '2023-06-30'],
      ['政策解读', '做好解读。', '2023-09-30'],
      ['基层政务公开', '更新目录。', '2023-03-31'],
    ]);
  });

  it('reads a section heading spanning the table as a row of its own, not part of the task above', () => {
    const text = [
      header,
      at([1, '一、加强政策发布解读工作']),
      at([1, '1'], [6, '政策发布'], [16, '及时发布。'], [30, '县政府办'], [42, '年底前']),
      at([1, '二、推进重点领域信息公开']),
      at([1, '2'], [6, '财政信息'], [16, '公开预算。'], [30, '县财政局'], [42, '每季度']),
    ].join('\n');
    expect(brief(text).map((t) => [t[0], t[1], t[2]])).toEqual([
      [1, '政策发布', '及时发布。'],
      [2, '财政信息', '公开预算。'],
    ]);
  });

  it('shares out the lines of cells centred on their rows around each row\'s number line, and warns', () => {
    const text = [
      header,
      at([16, '及时发布政策文'], [30, '县政府办牵头，']),
      at([1, '1'], [6, '政策发布'], [16, '件，做好政策解'], [30, '县直各有关单位'], [42, '长期坚持']),
      at([16, '读。'], [30, '配合']),
      at([6, '财政信息'], [16, '公开预算执行情'], [42, '每季度结束后']),
      at([1, '2'], [30, '县财政局']),
      at([6, '公开'], [16, '况，每季度一次。'], [42, '10日内']),
    ].join('\n');
    const result = parsePlanTable(text, { year: 2023, county: '某县', units: [] });
    if (!result.success) throw new Error(result.error);
    expect(result.data.tasks.map((t) => [t.name, t.content, t.units.map((u) => u.unit).join(' '), t.milestones.length])).toEqual([
      ['政策发布', '及时发布政策文件，做好政策解读。', '县政府办 县直各有关单位', 1],
      ['财政信息公开', '公开预算执行情况，每季度一次。', '县财政局', 4],
    ]);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('centred on their rows') }));
  });

  it('stops at a note under the table instead of adding it to the last task', () => {
    const text = [
      header,
      at([1, '1'], [6, '政策发布'], [16, '及时发布。'], [30, '县政府办'], [42, '年底前']),
      at([1, '2'], [6, '政策解读'], [16, '做好解读。'], [30, '县司法局'], [42, '6月底前']),
      at([1, '3'], [6, '网站建设'], [16, '建好网站。'], [30, '县政府办'], [42, '9月底前']),
      at([1, '注：各单位每季度结束后10日内报送落实情况。']),
    ].join('\n');
    const result = parsePlanTable(text, { year: 2023, county: '某县', units: [] });
    if (!result.success) throw new Error(result.error);
    expect(result.data.tasks.map((t) => [t.content, t.milestones.length])).toEqual([
      ['及时发布。', 1],
      ['做好解读。', 1],
      ['建好网站。', 1],
    ]);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ line: 5, severity: 'warning', message: expect.stringContaining('note under the table') }));
  });

  it('is not used for text that is not laid out in columns', () => {
    expect(readColumnar('序号,工作任务,责任单位,完成时限\n1,政策发布,县政府办,年底前\n')).toBeNull();
    expect(readColumnar('| 序号 | 工作任务 | 责任单位 | 完成时限 |\n| 1 | 政策发布 | 县政府办 | 年底前 |\n')).toBeNull();
    // Columns but no column of task numbers: rows cannot be told apart.
    expect(readColumnar([header, at([6, '政策发布'], [16, '及时发布。'], [30, '县政府办'], [42, '年底前']), at([6, '政策解读'], [16, '做好解读。'], [30, '县司法局'], [42, '年底前']), at([6, '网站'], [16, '建好。'], [30, '县政府办'], [42, '年底前'])].join('\n'))).toBeNull();
  });
});
