import { describe, expect, it } from 'vitest';
import zhangzi from '../../test/fixtures/wrapped-content-zhangzi-2021.txt?raw';
import { createDirectory, directoryOf } from '../directory/directory.js';
import { UnitSchema } from '../model/schemas.js';
import { parsePlanTable } from './parse-plan-table.js';
import { parseResponsibility } from './responsibility.js';
import { unitsFromPlan } from './units-from-plan.js';

/** A plan-like object whose tasks name the given responsibility texts. */
const planOf = (texts: string[], county?: string) => ({ county, tasks: texts.map((t) => ({ units: parseResponsibility(t) })) });

describe('unitsFromPlan', () => {
  it('builds units from the names tasks give, inferring the kind and leaving group phrases out', () => {
    const units = unitsFromPlan(planOf(['县财政局牵头，各乡镇、县直各有关部门配合', '郭村镇、李庄乡、县教育局', '城东街道、高新技术产业园区', '相关部门、各级行政机关落实']));
    expect(units).toEqual([
      { name: '郭村镇', kind: 'township', aliases: [] },
      { name: '李庄乡', kind: 'township', aliases: [] },
      { name: '城东街道', kind: 'township', aliases: [] },
      { name: '高新技术产业园区', kind: 'zone', aliases: [] },
      { name: '县财政局', kind: 'department', aliases: [] },
      { name: '县教育局', kind: 'department', aliases: [] },
    ]);
    for (const unit of units) expect(UnitSchema.parse(unit)).toEqual(unit);
  });

  it('keeps one unit per name as normalizeUnitName folds it, with the county prefix and a leading 县 ignored', () => {
    const names = ['县 司法局', '县司法局', '司法局', '长子县司法局', '县公安局'];
    const units = unitsFromPlan({ county: '长子县', tasks: [{ units: names.map((unit) => ({ unit, role: 'responsible', group: false })) }] });
    expect(units).toEqual([
      { name: '县 司法局', kind: 'department', aliases: ['长子县司法局'] },
      { name: '县公安局', kind: 'department', aliases: [] },
    ]);
    // Every spelling the plan uses resolves to the one unit.
    const directory = createDirectory(units);
    for (const name of ['县司法局', '司法局', '长子县司法局']) expect(directory.resolve(name)).toMatchObject({ success: true, data: { name: '县 司法局' } });
  });

  it('treats the bare 开发区 as the one zone the plan names in full, or as a zone of its own', () => {
    expect(unitsFromPlan(planOf(['长子经济技术开发区', '开发区配合']))).toEqual([{ name: '长子经济技术开发区', kind: 'zone', aliases: ['开发区'] }]);
    expect(unitsFromPlan(planOf(['开发区', '经济技术开发区']))).toEqual([{ name: '开发区', kind: 'zone', aliases: ['经济技术开发区'] }]);
  });

  it('returns no units for a plan naming only groups, and tolerates malformed input', () => {
    expect(unitsFromPlan(planOf(['各乡镇、县直各有关部门']))).toEqual([]);
    expect(unitsFromPlan({ tasks: [] })).toEqual([]);
    expect(unitsFromPlan({ tasks: [{ units: [{ unit: ' ' }] }] })).toEqual([]);
  });

  it('gives another county its own directory, so 各乡镇 expands to that county’s townships', () => {
    const text = '序号\t任务名称\t任务内容\t责任单位\t时间节点\n1\t公报\t做好公报。\t丹朱镇、鲍店镇\t全年\n2\t解读\t做好解读。\t县政府办牵头，各乡镇配合\t全年\n';
    const imported = parsePlanTable(text, { year: 2021, county: '长子县', units: [] });
    if (!imported.success) throw new Error(imported.error);
    const plan = { ...imported.data, units: unitsFromPlan(imported.data) };
    expect(plan.units.map((u) => `${u.name}:${u.kind}`)).toEqual(['丹朱镇:township', '鲍店镇:township', '县政府办:department']);
    expect(directoryOf(plan).expand(plan.tasks[1]!.units)).toEqual([
      { unit: '丹朱镇', role: 'cooperating' },
      { unit: '鲍店镇', role: 'cooperating' },
      { unit: '县政府办', role: 'lead' },
    ]);
  });
});

describe('parsePlanTable with units: []', () => {
  it('imports with no directory: no expansion, no unknown-unit warnings, no crash', () => {
    const result = parsePlanTable(zhangzi, { year: 2021, county: '长子县', units: [] });
    if (!result.success) throw new Error(result.error);
    expect(result.data.units).toEqual([]);
    expect(result.data.tasks).toHaveLength(4);
    expect(result.diagnostics.filter((d) => /not in the unit directory/.test(d.message))).toEqual([]);
    expect(directoryOf(result.data).expand(result.data.tasks[1]!.units)).toEqual([]);
  });

  it('still warns about unknown units when a directory is given', () => {
    const result = parsePlanTable(zhangzi, { year: 2021, county: '长子县', units: [{ name: '县政府办', kind: 'department' }] });
    if (!result.success) throw new Error(result.error);
    expect(result.diagnostics.filter((d) => /not in the unit directory/.test(d.message)).map((d) => d.task)).toEqual([3, 4]);
  });
});
