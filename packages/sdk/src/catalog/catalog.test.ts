import { describe, expect, it, vi } from 'vitest';
import { classifyGroup, directoryOf, isZonePhrase, resolveUnit } from '../directory/directory.js';
import { parsePlanTable } from '../importer/parse-plan-table.js';
import { PlanSchema, type Plan } from '../model/schemas.js';
import { getPlan, listPlans, qinyuan2022, type PlanId } from './catalog.js';
import { qinyuan2022ImportOptions } from './qinyuan-2022.options.js';
import { qinyuan2022SeedText } from './qinyuan-2022.seed.js';
import { qinyuan2022Data } from './qinyuan-2022.js';

describe('getPlan', () => {
  it('ships exactly what the importer makes of the seed (regenerate with scripts/generate-catalog.ts)', () => {
    const imported = parsePlanTable(qinyuan2022SeedText, qinyuan2022ImportOptions);
    expect(imported.success).toBe(true);
    if (!imported.success) return;
    expect(PlanSchema.parse(qinyuan2022Data)).toEqual(imported.data);
    // The office's setup (unit flags, per-task mappings, issue date) rides on top of the imported table.
    const { units, assignments, issued, ...table } = getPlan('qinyuan-2022');
    const { units: importedUnits, ...importedTable } = imported.data;
    expect(table).toEqual(importedTable);
    expect(units.map(({ name, kind, aliases }) => ({ name, kind, aliases }))).toEqual(importedUnits);
    expect(assignments).toBeDefined();
    expect(issued).toBe('2022-04-01');
  });

  it('ships data that PlanSchema returns unchanged, so nothing needs parsing at import', () => {
    expect(PlanSchema.parse(qinyuan2022Data)).toStrictEqual(qinyuan2022Data);
  });

  it('validates nothing when its entry point is imported, and the plan once on first use', async () => {
    vi.resetModules();
    const schemas = await import('../model/schemas.js');
    const safeParse = vi.spyOn(schemas.PlanSchema, 'safeParse');
    const parse = vi.spyOn(schemas.PlanSchema, 'parse');
    const entry = await import('../qinyuan.js');
    expect(safeParse).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
    entry.getPlan('qinyuan-2022');
    entry.getPlan('qinyuan-2022');
    expect(safeParse).toHaveBeenCalledTimes(1);
    expect(entry.qinyuan2022).toBe(entry.getPlan('qinyuan-2022'));
  });

  it('validates once and returns the same cached plan', () => {
    expect(getPlan('qinyuan-2022')).toBe(getPlan('qinyuan-2022'));
    expect(qinyuan2022).toBe(getPlan('qinyuan-2022'));
  });

  it('throws for an unknown id, naming the bundled ones', () => {
    expect(() => getPlan('qinyuan-2023' as PlanId)).toThrow('getPlan: unknown plan "qinyuan-2023"; bundled plans: qinyuan-2022');
    expect(() => getPlan('constructor' as PlanId)).toThrow(/unknown plan/);
  });
});

describe('listPlans', () => {
  it('lists the bundled Qinyuan 2022 plan', () => {
    expect(listPlans()).toEqual([{ id: 'qinyuan-2022', county: '沁源县', year: 2022, title: '沁源县2022年政务公开工作要点任务分解表' }]);
  });
});

/**
 * Every task as read by hand from the seed text: number, clean name, lead units, cooperating units,
 * every unit as written (in order), and due dates.
 */
const ALL_TOWNS_DEPTS = ['各乡镇', '开发区', '县直各有关部门'];
const EXPECTED: Array<{ no: number; name: string; leads: string[]; cooperating?: string[]; written: string[]; dues: string[] }> = [
  { no: 1, name: '政策发布', leads: [], written: ['县政府办', ...ALL_TOWNS_DEPTS], dues: ['2022-12-31'] },
  { no: 2, name: '政策解读', leads: [], written: ['县政府办', '行政审批局', '开发区', '县直各有关部门'], dues: ['2022-12-31'] },
  { no: 3, name: '全面推进“五公开”', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 4, name: '行政处罚信息公开', leads: ['县司法局'], written: ['县司法局', '各乡镇', '相关部门'], dues: ['2022-11-30'] },
  { no: 5, name: '电子技术监控设备设置信息公开', leads: ['县公安局'], written: ['县公安局', '各乡镇', '相关部门'], dues: ['2022-11-30'] },
  {
    no: 6,
    name: '“双随机、一公开”监管信息公开',
    leads: ['县市场监管局'],
    written: ['县市场监管局', '各乡镇', '县直有关部门'],
    dues: ['2022-10-31', '2022-03-31'],
  },
  { no: 7, name: '落实《个人信息保护法》', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 8, name: '权责清单和各类告知、承诺公开', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 9, name: '行政许可事项公开', leads: ['县行政审批局'], written: ['县行政审批局', '各乡镇', '县直各有关部门'], dues: ['2022-11-30'] },
  { no: 10, name: '排号公示', leads: ['县行政审批局'], written: ['县行政审批局', '各乡镇', '县直有关部门'], dues: ['2022-10-31'] },
  {
    no: 11,
    name: '公共资源交易信息公开',
    leads: ['县行政审批局'],
    cooperating: ['各相关职能部门'],
    written: ['县行政审批局', '各相关职能部门'],
    dues: ['2022-12-31'],
  },
  {
    no: 12,
    name: '公共企事业单位信息公开',
    leads: ['各行业主管部门'],
    written: ['各行业主管部门', '归口管理的公共企事业单位'],
    dues: ['2022-09-30'],
  },
  { no: 13, name: '“双减”信息公开', leads: ['县教育局'], written: ['县教育局'], dues: ['2022-09-30'] },
  { no: 14, name: '线下精准公开', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 15, name: '优化政务公开专区建设', leads: ['县行政审批局'], written: ['县行政审批局', '各乡镇'], dues: ['2022-12-31'] },
  {
    no: 16,
    name: '重大建设项目领域信息公开',
    leads: [],
    written: ['县发改局', '县行政审批局', '县工信局', '县住建局', '县自然资源局', '县交通局', '县农业农村局', '县卫体局', '县水利局'],
    dues: ['2022-12-31'],
  },
  {
    no: 17,
    name: '财政信息公开',
    leads: ['县财政局'],
    cooperating: ['各乡镇', '有关部门'],
    written: ['县财政局', '各乡镇', '有关部门'],
    dues: ['2022-12-31'],
  },
  {
    no: 18,
    name: '公平竞争审查信息公开',
    leads: ['县市场监管局'],
    cooperating: ['各乡镇', '有关部门'],
    written: ['县市场监管局', '各乡镇', '有关部门'],
    dues: ['2022-12-31'],
  },
  { no: 19, name: '拟发公文公开属性认定工作', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 20, name: '行政规范性文件公开', leads: [], written: ['县政府办', '开发区', '县直各有关部门'], dues: ['2022-12-31'] },
  { no: 21, name: '规范依申请公开答复工作', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 22, name: '优化政务公开平台建设', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-11-30'] },
  {
    no: 23,
    name: '政务数据共享',
    leads: ['县行政审批局', '县政府值班联络中心'],
    written: ['县行政审批局', '县政府值班联络中心', '县直各有关部门'],
    dues: ['2022-12-31'],
  },
  { no: 24, name: '政府公报', leads: [], written: ['县政府办', '县政府值班联络中心'], dues: ['2022-12-31'] },
  { no: 25, name: '基层政务公开“两化”工作', leads: ['县政府办'], written: ['县政府办', '各乡镇', '县直各有关单位'], dues: ['2022-12-31'] },
  {
    no: 26,
    name: '减税降费信息公开',
    leads: ['县税务局', '县财政局'],
    written: ['县税务局', '县财政局', '各相关部门'],
    dues: ['2022-12-31'],
  },
  { no: 27, name: '疫情防控信息公开', leads: ['县卫体局'], written: ['县卫体局', '县直有关部门'], dues: ['2022-12-31'] },
  { no: 28, name: '稳就业保就业信息公开', leads: ['县人社局'], written: ['县人社局', '各乡镇', '有关部门'], dues: ['2022-12-31'] },
  { no: 29, name: '建议提案结果公开', leads: [], written: ['县直各有关部门'], dues: ['2022-12-31'] },
  { no: 30, name: '公开指南和年度报告规范发布工作', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 31, name: '积极参与省政务公开“亮点工程”评选工作', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 32, name: '组织保障', leads: [], written: ALL_TOWNS_DEPTS, dues: ['2022-12-31'] },
  { no: 33, name: '强化考核', leads: [], written: ['县政府办', '各乡镇', '县直各部门'], dues: ['2022-12-31'] },
  { no: 34, name: '培训及专项经费保障', leads: [], written: ['县政府办', '各乡镇', '县直各部门'], dues: ['2022-12-31'] },
];

const plan: Plan = getPlan('qinyuan-2022');
const task = (no: number) => {
  const found = plan.tasks.find((t) => t.no === no);
  if (!found) throw new Error(`task ${no} missing`);
  return found;
};

describe('the Qinyuan 2022 plan', () => {
  it('has the 34 tasks numbered 1 to 34 in order', () => {
    expect(plan.tasks.map((t) => t.no)).toEqual(Array.from({ length: 34 }, (_v, i) => i + 1));
    expect(plan).toMatchObject({ county: '沁源县', year: 2022, title: '沁源县2022年政务公开工作要点任务分解表' });
  });

  it.each(EXPECTED)('task $no: $name', (expected) => {
    const t = task(expected.no);
    expect(t.name).toBe(expected.name);
    expect(t.units.map((u) => u.unit)).toEqual(expected.written);
    expect(t.units.filter((u) => u.role === 'lead').map((u) => u.unit)).toEqual(expected.leads);
    expect(t.units.filter((u) => u.role === 'cooperating').map((u) => u.unit)).toEqual(expected.cooperating ?? []);
    expect(t.milestones.map((m) => m.due)).toEqual(expected.dues);
  });

  it('dates task 6 twice: the 2022 re-entry by 10-31 and the yearly spot-check plan by 03-31', () => {
    const [reentry, yearly, ...rest] = task(6).milestones;
    expect(rest).toEqual([]);
    expect(reentry).toMatchObject({ due: '2022-10-31', recurrence: null });
    expect(reentry!.label).toMatch(/2022.*市场监管信息.*补录/);
    expect(yearly).toMatchObject({ due: '2022-03-31', recurrence: 'yearly', label: '年度抽查计划公布' });
    expect(task(6).deadline).toBe('2022年度的市场监管信息10月底前补录完成，每年3月底前公布');
  });

  it('makes 全年 tasks ongoing to 12-31 and merges task 17’s 年底前 sentences into that milestone', () => {
    for (const t of plan.tasks.filter((x) => x.deadline === '全年')) {
      expect(t.milestones[0]).toEqual({ due: '2022-12-31', label: '全年', recurrence: null, source: 'deadline', ongoing: true });
    }
    expect(task(17).content).toContain('年底前完成');
    expect(task(17).milestones).toHaveLength(1);
  });

  it('keeps the cleaned source text of the responsibility and deadline columns', () => {
    expect(task(4).responsibility).toBe('县司法局牵头，各乡镇及相关部门落实');
    expect(task(4).deadline).toBe('11月底前');
    expect(task(12).responsibility).toBe('各行业主管部门牵头，归口管理的公共企事业单位落实');
    expect(task(2).responsibility).toBe('县政府办、行政审批局、开发区，县直各有关部门');
    expect(task(20).responsibility).toBe('县政府办、开发区，县直各有关部门');
    expect(task(23).responsibility).toBe('县行政审批局、县政府值班联络中心牵头，县直各有关部门落实');
  });

  it('joins content broken across lines and page breaks', () => {
    expect(task(1).content).toContain('不得出现违背上级政策、层层加码的现象。');
    expect(task(4).content).toContain('县司法局应于11月底前指导督促');
    expect(task(30).content).toMatch(/^各级各部门要严格按照.*政府信息与政务公开办公室/);
  });

  it('carries no PDF artifacts in any text field', () => {
    const headerWords = /序号|任务名称|任务内容|责任单位|时间节点/;
    for (const t of plan.tasks) {
      for (const [field, value] of Object.entries({ name: t.name, content: t.content, responsibility: t.responsibility, deadline: t.deadline })) {
        const where = `task ${t.no} ${field}: ${value}`;
        expect(value, where).not.toMatch(/^[、。，,\s]/);
        expect(value, where).not.toMatch(field === 'content' ? /[、，,\s]$/ : /[、。，,\s]$/);
        expect(value, where).not.toMatch(headerWords);
        expect(value, where).not.toMatch(/[\n\t\u3000]/);
        expect(value, where).not.toMatch(/[\u4e00-\u9fff“”、，。]\s+[\u4e00-\u9fff“”]|\d\s+[月日年]/);
        expect(value, where).not.toMatch(/(^|[^\d])、[、，。]/);
      }
    }
  });

  it('names only units the directory knows, or group phrases', () => {
    for (const t of plan.tasks) {
      for (const a of t.units) {
        if (a.group) expect(classifyGroup(a.unit) !== null || isZonePhrase(a.unit), `${t.no} ${a.unit}`).toBe(true);
        else expect(resolveUnit(a.unit, plan).success, `${t.no} ${a.unit}`).toBe(true);
      }
    }
  });

  it('expands task 4 to its lead and every township through the plan’s directory', () => {
    const assignees = directoryOf(plan).expand(task(4).units);
    expect(assignees.find((a) => a.unit === '县司法局')?.role).toBe('lead');
    expect(assignees.filter((a) => a.role === 'responsible')).toHaveLength(12);
  });
});
