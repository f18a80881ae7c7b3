import { describe, expect, it } from 'vitest';
import { PlanSchema, type Plan } from '../model/schemas.js';
import { makeRecords, task } from './fixtures.js';
import { resolveRubric } from './rubric.js';
import { score } from './score.js';

// 县政府办 assesses; 县税务局 is vertically managed; 县供水公司 is an enterprise; 县旧局 is retired.
function plan(issued?: string): Plan {
  return PlanSchema.parse({
    county: '沁源县',
    year: 2022,
    title: '',
    ...(issued ? { issued } : {}),
    units: [
      { name: '郭道镇', kind: 'township' },
      { name: '县政府办', kind: 'department', assessor: true },
      { name: '县司法局', kind: 'department' },
      { name: '县公安局', kind: 'department' },
      { name: '县税务局', kind: 'department', vertical: true },
      { name: '县供水公司', kind: 'enterprise' },
      { name: '县旧局', kind: 'department', retired: true },
    ],
    tasks: [
      task(
        2,
        '政策解读',
        [
          { unit: '县政府办', role: 'responsible' },
          { unit: '县直各部门', role: 'responsible', group: true },
          { unit: '郭道镇', role: 'responsible' },
          { unit: '县供水公司', role: 'responsible' },
        ],
        ['2022-06-30'],
      ),
      task(6, '双随机', [{ unit: '县公安局', role: 'responsible' }], ['2022-03-31', '2022-10-31']),
    ],
  });
}

// Everyone confirms task 2 on time except 县司法局 (late) and 县公安局 (never): the assessor and the tax office
// would top the 部门组 if they were ranked there.
const records = makeRecords({
  confirmations: [
    { task: 2, unit: '县政府办', due: '2022-06-30', at: '2022-06-01T10:00:00+08:00' },
    { task: 2, unit: '县税务局', due: '2022-06-30', at: '2022-06-01T10:00:00+08:00' },
    { task: 2, unit: '县司法局', due: '2022-06-30', at: '2022-07-05T10:00:00+08:00' },
    { task: 2, unit: '郭道镇', due: '2022-06-30', at: '2022-06-01T10:00:00+08:00' },
    { task: 2, unit: '县供水公司', due: '2022-06-30', at: '2022-06-01T10:00:00+08:00' },
  ],
  briefings: [{ unit: '县政府办', date: '2022-05-01' }, { unit: '县税务局', date: '2022-05-01' }],
});

const view = (units: ReturnType<typeof score>['units']) => units.map((u) => [u.unit, u.group, u.rank, u.unranked ?? null]);

describe('score: ranking groups and unit flags', () => {
  it('scores the assessor without ranking it, and ranks vertically managed units in their own group', () => {
    const a = score(plan(), records, { asOf: '2022-12-31' });
    expect(view(a.units)).toEqual([
      ['郭道镇', 'township', 1, null],
      ['县司法局', 'department', 1, null],
      ['县公安局', 'department', 2, null],
      ['县政府办', 'department', null, 'assessor'],
      ['县供水公司', 'public', 1, null],
      ['县税务局', 'vertical', 1, null],
    ]);
    expect(a.units.find((u) => u.unit === '县政府办')?.final).toBe(100);
  });

  it('leaves vertically managed units unranked, or ranks them with their kind, as the rubric says', () => {
    const leftOut = resolveRubric({ vertical: { mode: 'left-out' } });
    const withKind = resolveRubric({ vertical: { mode: 'with-kind' } });
    if (!leftOut.success || !withKind.success) throw new Error('rubric');
    const out = score(plan(), records, { asOf: '2022-12-31', rubric: leftOut.data });
    expect(out.units.find((u) => u.unit === '县税务局')).toMatchObject({ group: 'department', rank: null, unranked: 'vertical' });
    const dept = score(plan(), records, { asOf: '2022-12-31', rubric: withKind.data }).units.filter((u) => u.group === 'department');
    expect(dept.map((u) => [u.unit, u.rank])).toEqual([
      ['县税务局', 1],
      ['县司法局', 2],
      ['县公安局', 3],
      ['县政府办', null],
    ]);
  });

  it('does not score retired units', () => {
    expect(score(plan(), records, { asOf: '2022-12-31' }).units.map((u) => u.unit)).not.toContain('县旧局');
  });

  it('drops milestones the plan’s issue date makes inapplicable or moves', () => {
    const before = score(plan(), makeRecords(), { asOf: '2022-12-31' }).units.find((u) => u.unit === '县公安局')!;
    expect(before.detail.milestones.filter((m) => m.task === 6).map((m) => m.status)).toEqual(['overdue', 'overdue']);
    const after = score(plan('2022-04-15'), makeRecords(), { asOf: '2022-12-31' }).units.find((u) => u.unit === '县公安局')!;
    expect(after.detail.milestones.filter((m) => m.task === 6).map((m) => [m.due, m.status, m.credit])).toEqual([
      ['2022-03-31', 'not_applicable', null],
      ['2022-10-31', 'overdue', 0],
    ]);
  });

  it('adds the statutory annual report only when the rubric switches it on', () => {
    const on = resolveRubric({ statutory: { annualReport: true, task: 2 } });
    if (!on.success) throw new Error(on.error);
    const off = score(plan(), records, { asOf: '2022-12-31' }).units.find((u) => u.unit === '郭道镇')!;
    const law = score(plan(), records, { asOf: '2022-12-31', rubric: on.data }).units.find((u) => u.unit === '郭道镇')!;
    expect(off.detail.milestones.map((m) => m.due)).toEqual(['2022-06-30']);
    expect(law.detail.milestones.map((m) => [m.due, m.status])).toEqual([
      ['2022-06-30', 'on_time'],
      ['2022-01-31', 'overdue'],
    ]);
    expect(law.completion).toBe(45);
  });
});
