import { describe, expect, it } from 'vitest';
import { parsePlanTable } from './parse-plan-table.js';
import { readPoints } from './points.js';

const read = (text: string) => {
  const result = parsePlanTable(text, { year: 2023, county: '某县', units: [] });
  if (!result.success) throw new Error(result.error);
  return result;
};

describe('readPoints', () => {
  it('reads numbered items closing with a labelled note: name, content, units by role, deadline', () => {
    const { data } = read(
      [
        '某县2023年政务公开工作要点',
        '一、加强政策发布解读',
        '（一）做好政策文件发布。文件印发后及时公开。（牵头单位：县政府办；责任单位：县直各有关单位；完成时限：长期坚持）',
        '（二）深化政策解读。同步解读。（县政府办牵头，各乡镇人民政府配合，2023年6月底前完成）',
      ].join('\n'),
    );
    expect(data.title).toBe('某县2023年政务公开工作要点');
    expect(data.tasks.map((t) => [t.no, t.name, t.content, t.units.map((u) => `${u.unit}:${u.role}`).join(' '), t.milestones.map((m) => m.due).join(' ')])).toEqual([
      [1, '做好政策文件发布', '文件印发后及时公开。', '县政府办:lead 县直各有关单位:responsible', '2023-12-31'],
      [2, '深化政策解读', '同步解读。', '县政府办:lead 各乡镇人民政府:cooperating', '2023-06-30'],
    ]);
  });

  it('joins an item wrapped onto the next line and reads 1. and ① items too', () => {
    const { data } = read(
      ['1.财政信息公开。按季度公开预算执行', '情况。（责任单位：县财政局；完成时限：每季度结束后10日内）', '①网站建设。建好网站。（县政府办负责，年底前）'].join('\n'),
    );
    expect(data.tasks.map((t) => [t.name, t.content, t.milestones.length])).toEqual([
      ['财政信息公开', '按季度公开预算执行情况。', 4],
      ['网站建设', '建好网站。', 1],
    ]);
  });

  it('reports an item with no note instead of reading it as a task or dropping it unsaid', () => {
    const { data, diagnostics } = read(
      ['（一）政策发布。及时公开。（责任单位：县政府办；完成时限：年底前）', '（二）强化保障。各单位要明确专人负责。', '（三）政策解读。同步解读。（责任单位：县司法局；完成时限：年底前）'].join('\n'),
    );
    expect(data.tasks.map((t) => t.name)).toEqual(['政策发布', '政策解读']);
    expect(diagnostics).toContainEqual(expect.objectContaining({ line: 2, severity: 'warning', message: expect.stringContaining('item not read as a task') }));
  });

  it('skips a （一） heading over numbered items that carry the notes, without a warning', () => {
    const { data, diagnostics } = read(
      ['（一）加强政策解读', '1.政策发布。及时公开。（责任单位：县政府办；完成时限：年底前）', '2.政策解读。同步解读。（责任单位：县司法局；完成时限：6月底前）'].join('\n'),
    );
    expect(data.tasks.map((t) => [t.no, t.name])).toEqual([
      [1, '政策发布'],
      [2, '政策解读'],
    ]);
    expect(diagnostics).toContainEqual(expect.objectContaining({ line: 1, severity: 'info', message: expect.stringContaining('heading over the items below') }));
    expect(diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it('is not used when few items close with a note of units', () => {
    expect(readPoints('（一）总体要求。坚持公开为常态。\n（二）工作目标。提升质量。\n（三）政策发布。（县政府办负责）', 2023)).toBeNull();
  });
});
