import { describe, expect, it } from 'vitest';
import { getPlan } from '../catalog/catalog.js';
import { PlanSchema, type Plan } from '../model/schemas.js';
import { checkAssignments } from './check.js';
import { directoryOf } from './directory.js';

const units = [
  { name: '郭道镇', kind: 'township' },
  { name: '县教育局', kind: 'department', sectors: ['教育'] },
  { name: '县水利局', kind: 'department', sectors: ['供水'] },
  { name: '县审计局', kind: 'department' },
  { name: '县供水公司', kind: 'enterprise', groups: ['归口管理的公共企事业单位'] },
  { name: '县旧局', kind: 'department', retired: true },
] as const;

function plan(extra: Partial<Plan> = {}): Plan {
  return PlanSchema.parse({
    county: '某县',
    year: 2022,
    title: '',
    units,
    tasks: [
      {
        no: 1,
        name: '公共企事业单位信息公开',
        content: '教育、供水等领域的主管部门要公开。',
        responsibility: '',
        deadline: '',
        units: [
          { unit: '各行业主管部门', role: 'lead', group: true },
          { unit: '归口管理的公共企事业单位', role: 'responsible', group: true },
        ],
        milestones: [{ due: '2022-09-30', label: '9月底' }],
      },
      {
        no: 2,
        name: '排号公示',
        content: '窗口排号。',
        responsibility: '',
        deadline: '',
        units: [{ unit: '县直有关部门', role: 'responsible', group: true }],
        milestones: [{ due: '2022-10-31', label: '10月底' }],
      },
      { no: 3, name: '某事', content: '', responsibility: '', deadline: '', units: [{ unit: '相关部门', role: 'responsible', group: true }], milestones: [] },
    ],
    ...extra,
  });
}

describe('checkAssignments', () => {
  it('lists tasks without assignees and phrases that stand for nobody, with sector suggestions', () => {
    const check = checkAssignments(plan());
    expect(check.unassigned).toEqual([3]);
    const empty = check.problems.filter((p) => p.problem === 'empty').map((p) => [p.task, p.phrase, p.suggestions]);
    expect(empty).toEqual([
      [1, '各行业主管部门', ['县教育局', '县水利局']],
      [3, '相关部门', []],
    ]);
  });

  it('reaches units through their own group membership (an enterprise added by the office)', () => {
    const task1 = checkAssignments(plan()).tasks[0]!;
    expect(task1.phrases.find((p) => p.phrase === '归口管理的公共企事业单位')?.units).toEqual(['县供水公司']);
  });

  it('flags 县直有关部门 as a whole class until the task narrows it; retired units are never reached', () => {
    const broad = checkAssignments(plan()).problems.find((p) => p.task === 2);
    expect(broad?.problem).toBe('class');
    expect(broad?.units).toEqual(['县教育局', '县水利局', '县审计局']);
    const narrowed = checkAssignments(plan({ assignments: { '2': { 县直有关部门: ['县教育局'] }, '3': { 相关部门: ['水利局'] } } }));
    expect(narrowed.problems.filter((p) => p.task !== 1)).toEqual([]);
    expect(narrowed.unassigned).toEqual([]);
    expect(narrowed.tasks[1]!.assignees).toEqual(['县教育局']);
  });
});

describe('the bundled 2022 plan', () => {
  const qinyuan = getPlan('qinyuan-2022');
  const assignees = (no: number) => directoryOf(qinyuan).expand(qinyuan.tasks.find((t) => t.no === no)!.units, no).map((a) => a.unit);

  it('gives every task at least one assignee', () => {
    expect(checkAssignments(qinyuan).unassigned).toEqual([]);
    for (const task of qinyuan.tasks) expect(assignees(task.no).length, `task ${task.no}`).toBeGreaterThan(0);
  });

  it('reaches the supervising departments task 12’s content names', () => {
    expect(assignees(12)).toEqual(expect.arrayContaining(['县教育局', '县卫体局', '县民政局', '县水利局', '县生态环境分局', '县交通局']));
  });

  it('narrows 县直有关部门 on tasks 6, 10 and 27 (no 县审计局)', () => {
    for (const no of [6, 10, 27]) {
      expect(assignees(no)).not.toContain('县审计局');
      expect(assignees(no).length).toBeLessThan(directoryOf(qinyuan).ofKind('department').length);
    }
    expect(checkAssignments(qinyuan).problems.filter((p) => p.problem === 'class')).toEqual([]);
  });

  it('leaves only 归口管理的公共企事业单位 unmapped, for the office to fill with its enterprises', () => {
    expect(checkAssignments(qinyuan).problems.map((p) => [p.task, p.phrase, p.problem])).toEqual([[12, '归口管理的公共企事业单位', 'empty']]);
  });
});
