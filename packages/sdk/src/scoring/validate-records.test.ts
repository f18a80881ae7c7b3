import { describe, expect, it } from 'vitest';
import { makePlan } from './fixtures.js';
import { validateRecords, type RecordsError } from './validate-records.js';

const plan = makePlan();

function errorsOf(input: unknown): RecordsError[] {
  const r = validateRecords(plan, input);
  if (r.success) throw new Error('expected validation to fail');
  return r.error;
}

describe('validateRecords', () => {
  it('accepts good records and returns canonical unit names with the due date filled in', () => {
    const r = validateRecords(plan, {
      year: 2022,
      confirmations: [{ task: 4, unit: '司法局', at: '2022-06-20T10:00:00+08:00' }],
      briefings: [{ unit: '开发区', date: '2022-05-01' }],
      highlights: [{ unit: '沁源县公安局', title: '执法公示', status: 'selected' }],
      exemptions: [{ task: 6, unit: '公安局', due: '2022-03-31', reason: '不适用' }],
    });
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.confirmations[0]).toMatchObject({ task: 4, unit: '县司法局', due: '2022-06-30', evidence: [] });
    expect(r.data.briefings[0]?.unit).toBe('沁源经济技术开发区');
    expect(r.data.highlights[0]?.unit).toBe('县公安局');
    expect(r.data.exemptions[0]?.unit).toBe('县公安局');
  });

  it('reports a malformed time with its position', () => {
    const errors = errorsOf({ year: 2022, confirmations: [{ task: 4, unit: '县司法局', at: 'yesterday' }] });
    expect(errors.map((e) => e.message)).toEqual(['confirmations[0].at: expected a time such as 2022-11-20T10:00:00+08:00']);
    expect(errors[0]?.code).toBe('bad_date');
  });

  it('reports a missing field and a wrong type with their positions', () => {
    const errors = errorsOf({
      year: '2022',
      briefings: [{ unit: '郭道镇', date: '2022-05-01' }, { date: '2022-05-02' }],
      deductions: [{ unit: '郭道镇', points: 'two', reason: '迟报' }],
    });
    expect(errors.map((e) => e.message)).toEqual([
      'year: expected a number, received string',
      'briefings[1].unit: missing; expected a string',
      'deductions[0].points: expected a number, received string',
    ]);
  });

  it('reports impossible calendar dates', () => {
    const errors = errorsOf({
      year: 2022,
      confirmations: [{ task: 4, unit: '县司法局', at: '2022-02-30T10:00:00+08:00' }],
      briefings: [{ unit: '郭道镇', date: '2022-13-01' }],
    });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['bad_date', 'confirmations[0].at: 2022-02-30 is not a real calendar date'],
      ['bad_date', 'briefings[0].date: not a real calendar date'],
    ]);
  });

  it('names the closest directory units for an unknown unit', () => {
    const errors = errorsOf({ year: 2022, briefings: [{ unit: '郭到镇', date: '2022-05-01' }] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'unknown_unit', path: 'briefings[0].unit' });
    expect(errors[0]?.message).toMatch(/^briefings\[0\]\.unit: unknown unit "郭到镇"; did you mean 郭道镇/);
    expect(errors[0]?.suggestions?.[0]).toBe('郭道镇');
  });

  it('reports an unknown task number', () => {
    const errors = errorsOf({ year: 2022, confirmations: [{ task: 99, unit: '县司法局', at: '2022-06-01' }] });
    expect(errors.map((e) => e.message)).toEqual(['confirmations[0].task: the plan has no task 99 (tasks are 4, 6, 10, 31, 32, 33)']);
  });

  it('lists the due dates when due is not a milestone of the task', () => {
    const errors = errorsOf({ year: 2022, confirmations: [{ task: 6, unit: '县公安局', due: '2022-11-30', at: '2022-06-01' }] });
    expect(errors.map((e) => e.message)).toEqual([
      'confirmations[0].due: task 6 has no milestone due 2022-11-30; its due dates are 2022-03-31, 2022-10-31',
    ]);
  });

  it('requires due when the task has several milestones', () => {
    const errors = errorsOf({ year: 2022, confirmations: [{ task: 6, unit: '县公安局', at: '2022-06-01' }] });
    expect(errors).toMatchObject([{ code: 'missing_due', path: 'confirmations[0].due' }]);
    expect(errors[0]?.message).toContain('2022-03-31, 2022-10-31');
  });

  it('rejects a confirmation or exemption from a unit not assigned to the task', () => {
    const errors = errorsOf({
      year: 2022,
      confirmations: [{ task: 6, unit: '县财政局', due: '2022-03-31', at: '2022-03-01' }],
      exemptions: [{ task: 4, unit: '沁河镇', reason: '无执法权' }],
    });
    expect(errors.map((e) => e.message)).toEqual([
      'confirmations[0].unit: 县财政局 is not assigned to task 6 (双随机一公开); responsible: 县公安局',
      'exemptions[0].unit: 沁河镇 is not assigned to task 4 (行政执法公示); responsible: 县司法局牵头，郭道镇负责，县公安局配合',
    ]);
  });

  it('names both positions of a duplicate confirmation, even under another alias', () => {
    const errors = errorsOf({
      year: 2022,
      confirmations: [
        { task: 4, unit: '县司法局', at: '2022-06-20T10:00:00+08:00' },
        { task: 4, unit: '郭道镇', at: '2022-06-20T10:00:00+08:00' },
        { task: 4, unit: '司法局', due: '2022-06-30', at: '2022-06-20T02:00:00Z' },
      ],
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'duplicate', path: 'confirmations[2]' });
    expect(errors[0]?.message).toMatch(/^confirmations\[2\]: duplicates confirmations\[0\] \(task 4, 县司法局, due 2022-06-30/);
  });

  it('accepts two confirmations of one milestone at different times', () => {
    const r = validateRecords(plan, {
      year: 2022,
      confirmations: [
        { task: 4, unit: '县司法局', at: '2022-06-20T10:00:00+08:00' },
        { task: 4, unit: '县司法局', at: '2022-07-01T10:00:00+08:00' },
      ],
    });
    expect(r.success).toBe(true);
  });

  it('rejects the same highlight title twice whatever its status', () => {
    const errors = errorsOf({
      year: 2022,
      highlights: [
        { unit: '郭道镇', title: '村务公开栏', status: 'submitted' },
        { unit: '郭道镇', title: '村务公开栏', status: 'selected' },
      ],
    });
    expect(errors.map((e) => e.message)).toEqual([
      'highlights[1]: duplicates highlights[0] (郭道镇, "村务公开栏"); each entry counts once, remove one of them',
    ]);
  });

  it('rejects identical briefings, carry-over items, deductions and exemptions', () => {
    const errors = errorsOf({
      year: 2022,
      briefings: [
        { unit: '郭道镇', date: '2022-05-01' },
        { unit: '郭道镇', date: '2022-05-01', note: '第二次' },
        { unit: '郭道镇', date: '2022-05-01' },
      ],
      carryover: [
        { unit: '沁河镇', item: '目录未更新', resolved: false },
        { unit: '沁河镇', item: '目录未更新', resolved: true },
      ],
      deductions: [
        { unit: '县公安局', points: 2, reason: '迟报' },
        { unit: '县公安局', points: 2, reason: '迟报' },
      ],
      exemptions: [
        { task: 4, unit: '郭道镇', reason: '不适用' },
        { task: 4, unit: '郭道镇', reason: '另一原因' },
      ],
    });
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['duplicate', 'briefings[2]'],
      ['duplicate', 'carryover[1]'],
      ['duplicate', 'deductions[1]'],
      ['duplicate', 'exemptions[1]'],
    ]);
  });

  it('checks rectification items: the unit, the state and a real due date, and canonicalises the unit', () => {
    const errors = errorsOf({
      year: 2022,
      rectifications: [
        { unit: '郭到镇', item: '栏目更新', due: '2022-06-30', state: 'open' },
        { unit: '郭道镇', item: '栏目更新', due: '2022-06-31', state: 'open' },
        { unit: '郭道镇', item: '栏目更新', due: '2022-06-30', state: 'done' },
      ],
    });
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['unknown_unit', 'rectifications[0].unit'],
      ['bad_date', 'rectifications[1].due'],
      ['invalid', 'rectifications[2].state'],
    ]);
    const ok = validateRecords(plan, { year: 2022, rectifications: [{ unit: '开发区', item: '栏目更新', due: '2022-06-30', state: 'verified', verifiedOn: '2022-06-20' }] });
    expect(ok.success && ok.data.rectifications[0]?.unit).toBe('沁源经济技术开发区');
  });

  it('rejects records of another year', () => {
    const errors = errorsOf({ year: 2021 });
    expect(errors.map((e) => e.message)).toEqual(['year: the records are for 2021 but the plan is for 2022']);
  });

  it('flags a misspelt section instead of dropping it, and ignores other extra fields', () => {
    const errors = errorsOf({ year: 2022, confirmation: [], exportedAt: '2022-12-31' });
    expect(errors.map((e) => e.message)).toEqual(['confirmation: unknown field; did you mean confirmations?']);
  });

  it('rejects input that is not an object', () => {
    expect(errorsOf([])[0]?.message).toMatch(/^records: expected an object .*received array$/);
  });

  it('reports every problem at once, in reading order', () => {
    const errors = errorsOf({
      year: 2022,
      briefings: [{ unit: '不存在单位', date: '2022-05-01' }],
      confirmations: [
        { task: 4, unit: '县司法局', at: 'soon' },
        { task: 77, unit: '县司法局', at: '2022-06-01' },
      ],
    });
    expect(errors.map((e) => e.path)).toEqual(['confirmations[0].at', 'confirmations[1].task', 'briefings[0].unit']);
  });
});
