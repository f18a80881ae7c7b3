import { describe, expect, it } from 'vitest';
import { ZwgkError } from '../errors.js';
import { createCalendar } from '../calendar/calendar.js';
import { PlanSchema, type PlanInput } from '../model/schemas.js';
import { dueForUnit, planStatuses, unitsDigest, type StatusRow } from './plan-status.js';

const units: PlanInput['units'] = [
  { name: '郭道镇', kind: 'township', aliases: ['郭道'] },
  { name: '沁河镇', kind: 'township', aliases: ['沁河'] },
  { name: '县政府办', kind: 'department', aliases: ['政府办', '县政府办公室'] },
  { name: '县司法局', kind: 'department', aliases: ['司法局'] },
  { name: '县教育局', kind: 'department', aliases: ['教育局'] },
];

function task(no: number, name: string, unitsOf: PlanInput['tasks'][number]['units'], milestones: PlanInput['tasks'][number]['milestones']) {
  return { no, name, content: '', responsibility: '', deadline: '', units: unitsOf, milestones };
}

const township = [{ unit: '各乡镇', role: 'responsible' as const, group: true }];

/** A small hand-made plan: townships, two departments, one unassigned department. */
const plan = PlanSchema.parse({
  county: '沁源县',
  year: 2022,
  title: 'test plan',
  units,
  groups: { 相关部门: ['政府办'] },
  tasks: [
    task(3, '任务三', township, [{ due: '2022-09-30', label: '9月底前' }]),
    task(
      4,
      '法治政府信息公开',
      [{ unit: '县司法局', role: 'lead' }, ...township],
      [{ due: '2022-11-30', label: '11月底前' }],
    ),
    task(
      6,
      '市场监管信息公开',
      [{ unit: '司法局', role: 'responsible' }],
      [
        { due: '2022-10-31', label: '2022年信息录入', source: 'content' },
        { due: '2023-03-31', label: '年度抽查计划公布', recurrence: 'yearly', source: 'content' },
      ],
    ),
    task(7, '任务七', township, [{ due: '2022-12-30', label: '12月30日前' }]),
    task(8, '任务八', township, [{ due: '2022-09-30', label: '9月底前' }]),
    task(9, '任务九', township, [{ due: '2022-06-30', label: '6月底前' }]),
    task(10, '任务十', township, [{ due: '2022-11-25', label: '11月25日前' }]),
    task(12, '任务十二', township, [{ due: '2022-08-31', label: '8月底前' }]),
    task(13, '全年任务', township, [{ due: '2022-12-31', label: '全年', ongoing: true }]),
    task(
      20,
      '配合任务',
      [
        { unit: '相关部门', role: 'lead', group: true },
        { unit: '县司法局', role: 'cooperating' },
      ],
      [{ due: '2022-10-10', label: '10月10日前' }],
    ),
  ],
});

const rowOf = (rows: readonly StatusRow[], taskNo: number, unit: string, due?: string) => {
  const row = rows.find((r) => r.task === taskNo && r.unit === unit && (due === undefined || r.due === due));
  if (!row) throw new Error(`no row for task ${taskNo} / ${unit} / ${due ?? ''}`);
  return row;
};

describe('planStatuses', () => {
  it('gives one row per expanded assignee and milestone, in task, directory and due order', () => {
    const rows = planStatuses(plan, { asOf: '2022-11-21' });
    expect(rows.filter((r) => r.task === 4).map((r) => [r.unit, r.role])).toEqual([
      ['郭道镇', 'responsible'],
      ['沁河镇', 'responsible'],
      ['县司法局', 'lead'],
    ]);
    expect(rows.filter((r) => r.task === 6).map((r) => r.due)).toEqual(['2022-03-31', '2022-10-31']);
    expect(rows.filter((r) => r.task === 20).map((r) => [r.unit, r.role])).toEqual([
      ['县政府办', 'lead'],
      ['县司法局', 'cooperating'],
    ]);
    expect(rows.map((r) => r.task)).toEqual([...rows.map((r) => r.task)].sort((a, b) => a - b));
    // 8 township tasks × 2 townships + task 4 lead + task 6 × 2 + task 20 × 2
    expect(rows).toHaveLength(8 * 2 + 1 + 2 + 2);
  });

  it('fills task name, milestone, status and working days left', () => {
    const row = rowOf(planStatuses(plan, { asOf: '2022-11-21' }), 4, '县司法局');
    expect(row).toMatchObject({
      task: 4,
      taskName: '法治政府信息公开',
      milestone: { due: '2022-11-30', label: '11月底前' },
      due: '2022-11-30',
      status: 'due_soon',
      workingDaysLeft: 7, // 11-22..25, 11-28..30
    });
    expect(row.confirmedAt).toBeUndefined();
    expect(rowOf(planStatuses(plan, { asOf: '2022-11-21' }), 20, '县政府办')).toMatchObject({
      status: 'overdue',
      workingDaysLeft: -30, // stepping back from 11-21 onto 11-18 … 10-10: six ordinary weeks
    });
  });

  it('counts the plan-year occurrence of a yearly milestone, whatever year it is written with', () => {
    const rows = planStatuses(plan, { asOf: '2022-11-21' });
    const yearly = rowOf(rows, 6, '县司法局', '2022-03-31');
    expect(yearly.milestone.due).toBe('2023-03-31');
    expect(yearly.status).toBe('overdue');
    const confirmed = planStatuses(plan, {
      asOf: '2022-11-21',
      confirmations: [{ task: 6, unit: '县司法局', due: '2023-03-31', at: '2022-03-15T09:00:00+08:00' }],
    });
    expect(rowOf(confirmed, 6, '县司法局', '2022-03-31').status).toBe('done');
  });

  it('resolves record units written by alias', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [
        { task: 4, unit: '郭道', at: '2022-11-20T10:00:00+08:00', evidence: ['https://example.org/a'] },
        { task: 4, unit: '沁源县司法局', at: '2022-11-21T10:00:00+08:00' },
      ],
      exemptions: [{ task: 4, unit: '沁河', reason: '不涉及' }],
    });
    expect(rowOf(rows, 4, '郭道镇')).toMatchObject({
      status: 'done',
      confirmedAt: '2022-11-20T10:00:00+08:00',
      evidence: ['https://example.org/a'],
    });
    expect(rowOf(rows, 4, '县司法局').status).toBe('done');
    expect(rowOf(rows, 4, '沁河镇').status).toBe('exempt');
  });

  it('dates a confirmation in Shanghai at the day boundary', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [
        { task: 4, unit: '县司法局', at: '2022-11-30T16:30:00Z' },
        { task: 4, unit: '郭道镇', at: '2022-11-30T15:59:59Z' },
      ],
    });
    expect(rowOf(rows, 4, '县司法局')).toMatchObject({ status: 'done_late', confirmedAt: '2022-12-01T00:30:00+08:00' });
    expect(rowOf(rows, 4, '郭道镇')).toMatchObject({ status: 'done', confirmedAt: '2022-11-30T23:59:59+08:00' });
  });

  it('counts the earliest confirmation, whatever the record order', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [
        { task: 4, unit: '郭道镇', at: '2022-12-02T10:00:00+08:00', evidence: ['late'] },
        { task: 4, unit: '郭道镇', at: '2022-11-29T10:00:00+08:00', evidence: ['early'] },
      ],
    });
    expect(rowOf(rows, 4, '郭道镇')).toMatchObject({
      status: 'done',
      confirmedAt: '2022-11-29T10:00:00+08:00',
      evidence: ['early'],
    });
  });

  it('ignores records dated after asOf', () => {
    const confirmations = [{ task: 4, unit: '郭道镇', at: '2022-11-29T10:00:00+08:00' }];
    expect(rowOf(planStatuses(plan, { asOf: '2022-11-28', confirmations }), 4, '郭道镇').status).toBe('due_soon');
    expect(rowOf(planStatuses(plan, { asOf: '2022-12-05', confirmations }), 4, '郭道镇').status).toBe('done');
    // An earlier record after a later-ignored one still counts.
    const both = [...confirmations, { task: 4, unit: '郭道镇', at: '2022-12-10T10:00:00+08:00' }];
    expect(rowOf(planStatuses(plan, { asOf: '2022-12-05', confirmations: both }), 4, '郭道镇').confirmedAt).toBe(
      '2022-11-29T10:00:00+08:00',
    );
  });

  it('applies a confirmation without due to the earliest unconfirmed milestone, in time order', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [
        { task: 6, unit: '县司法局', at: '2022-11-02T10:00:00+08:00' },
        { task: 6, unit: '县司法局', at: '2022-03-20T10:00:00+08:00' },
      ],
    });
    expect(rowOf(rows, 6, '县司法局', '2022-03-31')).toMatchObject({ status: 'done', confirmedAt: '2022-03-20T10:00:00+08:00' });
    expect(rowOf(rows, 6, '县司法局', '2022-10-31')).toMatchObject({
      status: 'done_late',
      confirmedAt: '2022-11-02T10:00:00+08:00',
    });
  });

  it('lets a confirmation naming its milestone take precedence in time over a later one without due', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [
        { task: 6, unit: '县司法局', at: '2022-10-25T10:00:00+08:00' },
        { task: 6, unit: '县司法局', due: '2022-10-31', at: '2022-10-20T10:00:00+08:00' },
      ],
    });
    expect(rowOf(rows, 6, '县司法局', '2022-10-31').status).toBe('done');
    expect(rowOf(rows, 6, '县司法局', '2022-03-31').status).toBe('done_late');
  });

  it('skips exempt milestones when placing a confirmation without due', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [{ task: 6, unit: '县司法局', at: '2022-10-25T10:00:00+08:00' }],
      exemptions: [{ task: 6, unit: '司法局', due: '2022-03-31', reason: '当年不适用' }],
    });
    expect(rowOf(rows, 6, '县司法局', '2022-03-31').status).toBe('exempt');
    expect(rowOf(rows, 6, '县司法局', '2022-10-31').status).toBe('done');
  });

  it('exempts every milestone of a task when the exemption names none, over a confirmation', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [{ task: 6, unit: '县司法局', due: '2022-10-31', at: '2022-10-20T10:00:00+08:00' }],
      exemptions: [{ task: 6, unit: '司法局', reason: '不涉及' }],
    });
    expect(rows.filter((r) => r.task === 6).map((r) => r.status)).toEqual(['exempt', 'exempt']);
  });

  it('ignores records for unknown units, unassigned units, unknown tasks and unknown milestones', () => {
    const rows = planStatuses(plan, {
      asOf: '2022-12-05',
      confirmations: [
        { task: 4, unit: '不存在的单位', at: '2022-11-20T10:00:00+08:00' },
        { task: 6, unit: '郭道镇', at: '2022-10-20T10:00:00+08:00' },
        { task: 99, unit: '郭道镇', at: '2022-10-20T10:00:00+08:00' },
        { task: 4, unit: '郭道镇', due: '2022-11-29', at: '2022-11-20T10:00:00+08:00' },
      ],
    });
    expect(rows).toEqual(planStatuses(plan, { asOf: '2022-12-05' }));
  });

  it('uses the calendar and due_soon horizon it is given', () => {
    // From 11-21, task 7 (12-30) is 29 working days away.
    expect(rowOf(planStatuses(plan, { asOf: '2022-11-21', dueSoonDays: 29 }), 7, '郭道镇').status).toBe('due_soon');
    expect(rowOf(planStatuses(plan, { asOf: '2022-11-21', dueSoonDays: 28 }), 7, '郭道镇').status).toBe('upcoming');
    const calendar = createCalendar({ extraHolidays: ['2022-11-22'] });
    expect(rowOf(planStatuses(plan, { asOf: '2022-11-21', dueSoonDays: 28, calendar }), 7, '郭道镇')).toMatchObject({
      status: 'due_soon',
      workingDaysLeft: 28,
    });
  });

  it('throws a ZwgkError for a malformed asOf or confirmation time', () => {
    expect(() => planStatuses(plan, { asOf: '2022/11/21' })).toThrow(/planStatuses \(asOf\)/);
    expect(() =>
      planStatuses(plan, { asOf: '2022-11-21', confirmations: [{ task: 4, unit: '郭道镇', at: 'last week' }] }),
    ).toThrow(ZwgkError);
  });
});

describe('dueForUnit', () => {
  const records = {
    confirmations: [{ task: 9, unit: '郭道', at: '2022-06-20T10:00:00+08:00' }],
    exemptions: [{ task: 10, unit: '郭道镇', reason: '辖区内无此事项' }],
  };

  it('splits a unit’s milestones into overdue, due soon, ongoing, upcoming, done and exempt', () => {
    const r = dueForUnit(plan, '郭道镇', { asOf: new Date('2022-11-21T09:00:00+08:00'), ...records });
    expect(r.success).toBe(true);
    if (!r.success) return;
    const tasks = (list: StatusRow[]) => list.map((row) => row.task);
    expect(r.data.unit).toBe('郭道镇');
    expect(r.data.asOf).toBe('2022-11-21');
    expect(tasks(r.data.overdue)).toEqual([12, 3, 8]); // 08-31, then 09-30 by task number
    expect(tasks(r.data.due_soon)).toEqual([4]);
    expect(r.data.due_soon.every((row) => row.status === 'due_soon')).toBe(true);
    expect(tasks(r.data.ongoing)).toEqual([13]);
    expect(tasks(r.data.upcoming)).toEqual([7]);
    expect(tasks(r.data.done)).toEqual([9]);
    expect(tasks(r.data.exempt)).toEqual([10]);
  });

  it('puts every row of the unit in exactly one list', () => {
    const r = dueForUnit(plan, '县司法局', { asOf: '2022-11-21', ...records });
    if (!r.success) throw new Error(r.error.message);
    const { unit: _unit, asOf: _asOf, ...lists } = r.data;
    const listed = Object.values(lists).flat();
    const all = planStatuses(plan, { asOf: '2022-11-21', ...records }).filter((row) => row.unit === '县司法局');
    expect(listed).toHaveLength(all.length);
    expect(new Set(listed.map((row) => `${row.task}|${row.due}`)).size).toBe(all.length);
  });

  it('moves year-round work into due soon when its end comes within the horizon', () => {
    const r = dueForUnit(plan, '郭道镇', { asOf: '2022-11-21', dueSoonDays: 30, ...records });
    if (!r.success) throw new Error(r.error.message);
    expect(r.data.ongoing).toEqual([]);
    expect(r.data.due_soon.map((row) => row.task)).toEqual([4, 7, 13]);
  });

  it('still takes the former option name horizonDays and the former list name dueSoon, out of JSON', () => {
    const r = dueForUnit(plan, '郭道镇', { asOf: '2022-11-21', horizonDays: 30, ...records });
    if (!r.success) throw new Error(r.error.message);
    expect(r.data.dueSoon).toBe(r.data.due_soon);
    expect(r.data.due_soon.map((row) => row.task)).toEqual([4, 7, 13]);
    expect(Object.keys(JSON.parse(JSON.stringify(r.data)))).toEqual(['unit', 'asOf', 'overdue', 'due_soon', 'ongoing', 'upcoming', 'done', 'exempt', 'not_applicable']);
    expect(() => dueForUnit(plan, '郭道镇', { asOf: '2022-11-21', horizonDays: 30, dueSoonDays: 5 })).toThrow(
      'dueForUnit: dueSoonDays (5) and its former name horizonDays (30) disagree; give dueSoonDays only',
    );
  });

  it('refuses a misnamed option instead of ignoring it', () => {
    expect(() => dueForUnit(plan, '郭道镇', { asOf: '2022-11-21', dueSoon: 30 } as never)).toThrow(
      'dueForUnit: unknown option "dueSoon"; it is called dueSoonDays here',
    );
    expect(() => unitsDigest(plan, { asOf: '2022-11-21', confirmation: [] } as never)).toThrow(
      'unitsDigest: unknown option "confirmation"; known options: asOf, confirmations, exemptions, dueSoonDays, horizonDays, calendar',
    );
    expect(() => planStatuses(plan, { asOf: '2022-11-21', confirmations: 'none' } as never)).toThrow(
      'planStatuses: confirmations: expected a list, received string',
    );
    expect(() => planStatuses({ tasks: [] } as never, { asOf: '2022-11-21' })).toThrow(/^planStatuses \(plan\): plan\.county: /);
  });

  it('accepts the unit by alias', () => {
    const r = dueForUnit(plan, '郭道', { asOf: '2022-11-21' });
    expect(r.success && r.data.unit).toBe('郭道镇');
  });

  it('returns a failure with suggestions for an unknown unit', () => {
    const r = dueForUnit(plan, '郭到镇', { asOf: '2022-11-21' });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.suggestions).toContain('郭道镇');
    expect(r.error.message).toMatch(/unknown unit "郭到镇"/);
  });

  it('gives empty lists to a known unit without assignments', () => {
    const r = dueForUnit(plan, '教育局', { asOf: '2022-11-21' });
    expect(r).toEqual({
      success: true,
      data: { unit: '县教育局', asOf: '2022-11-21', overdue: [], due_soon: [], ongoing: [], upcoming: [], done: [], exempt: [], not_applicable: [] },
    });
  });
});

describe('unitsDigest', () => {
  it('lists every assigned unit in directory order, each as dueForUnit sees it', () => {
    const options = { asOf: '2022-11-21', confirmations: [{ task: 4, unit: '司法局', at: '2022-11-20T10:00:00+08:00' }] };
    const digest = unitsDigest(plan, options);
    expect(digest.map((d) => d.unit)).toEqual(['郭道镇', '沁河镇', '县政府办', '县司法局']);
    for (const entry of digest) {
      expect(dueForUnit(plan, entry.unit, options)).toEqual({ success: true, data: entry });
    }
    expect(digest.find((d) => d.unit === '县司法局')?.done.map((row) => row.task)).toEqual([4]);
  });
});
