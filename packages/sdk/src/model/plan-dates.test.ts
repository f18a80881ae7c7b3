import { describe, expect, it } from 'vitest';
import { getPlan } from '../catalog/catalog.js';
import { planStatuses } from '../status/plan-status.js';
import { ANNUAL_REPORT_LABEL, milestoneDue, withStatutoryMilestones } from './plan-dates.js';

describe('milestoneDue', () => {
  const plan = { year: 2022, issued: '2022-04-01' };

  it('moves a yearly milestone due before the issue date to its next occurrence', () => {
    expect(milestoneDue(plan, { due: '2022-03-31', recurrence: 'yearly' })).toEqual({ due: '2023-03-31', moved: true, applicable: true });
  });

  it('marks a one-off milestone due before the issue date as not applicable', () => {
    expect(milestoneDue(plan, { due: '2022-03-31', recurrence: null })).toEqual({ due: '2022-03-31', moved: false, applicable: false });
  });

  it('keeps milestones on or after the issue date, and every milestone of a plan without one', () => {
    expect(milestoneDue(plan, { due: '2022-04-01', recurrence: null })).toEqual({ due: '2022-04-01', moved: false, applicable: true });
    expect(milestoneDue({ year: 2022 }, { due: '2022-03-31', recurrence: 'yearly' })).toEqual({ due: '2022-03-31', moved: false, applicable: true });
  });

  it('never moves a statutory milestone: the duty comes from the law', () => {
    expect(milestoneDue(plan, { due: '2022-01-31', recurrence: 'yearly', source: 'law' })).toEqual({ due: '2022-01-31', moved: false, applicable: true });
  });
});

describe('withStatutoryMilestones', () => {
  const plan = getPlan('qinyuan-2022');

  it('adds the annual report due 01-31 to the chosen task, keeping its own deadline', () => {
    const out = withStatutoryMilestones(plan, { annualReport: 30 });
    const task30 = out.tasks.find((t) => t.no === 30)!;
    expect(task30.milestones).toEqual([
      { due: '2022-12-31', label: '全年', recurrence: null, source: 'deadline', ongoing: true },
      { due: '2022-01-31', label: ANNUAL_REPORT_LABEL, recurrence: 'yearly', source: 'law', ongoing: false },
    ]);
    expect(plan.tasks.find((t) => t.no === 30)!.milestones).toHaveLength(1);
  });

  it('returns the plan itself when switched off, and the same object for the same input', () => {
    expect(withStatutoryMilestones(plan, {})).toBe(plan);
    expect(withStatutoryMilestones(plan, { annualReport: false })).toBe(plan);
    const once = withStatutoryMilestones(plan, { annualReport: 30 });
    expect(withStatutoryMilestones(plan, { annualReport: 30 })).toBe(once);
    expect(withStatutoryMilestones(once, { annualReport: 30 })).toBe(once);
  });

  it('refuses a task the plan does not have', () => {
    expect(() => withStatutoryMilestones(plan, { annualReport: 99 })).toThrow(/no task 99/);
  });
});

describe('the bundled 2022 plan and its issue date', () => {
  const plan = getPlan('qinyuan-2022');

  it('never shows task 6’s March milestone as overdue in 2022', () => {
    for (const asOf of ['2022-04-01', '2022-11-21', '2022-12-31']) {
      const rows = planStatuses(plan, { asOf }).filter((r) => r.task === 6 && r.milestone.recurrence === 'yearly');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.status).not.toBe('overdue');
        expect(row.due).toBe('2023-03-31');
        expect(row.moved).toBe(true);
      }
    }
  });
});
