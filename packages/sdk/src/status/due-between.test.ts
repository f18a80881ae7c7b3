import { describe, expect, it } from 'vitest';
import { getPlan } from '../catalog/catalog.js';
import { isZwgkError } from '../errors.js';
import { dueBetween } from './due-between.js';
import { planStatuses } from './plan-status.js';

const plan = getPlan('qinyuan-2022');

describe('dueBetween', () => {
  it('lists the milestones due in the range, both ends included, by due date then task', () => {
    const items = dueBetween(plan, { from: '2022-10-31', to: '2022-11-30' });
    expect(items.map((d) => [d.due, d.task])).toEqual(
      planStatuses(plan, { asOf: '2022-01-01' })
        .filter((r) => r.due >= '2022-10-31' && r.due <= '2022-11-30')
        .map((r) => [r.due, r.task])
        .filter((pair, i, all) => all.findIndex((p) => p[0] === pair[0] && p[1] === pair[1]) === i)
        .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : (a[1] as number) - (b[1] as number))),
    );
    expect(items.some((d) => d.task === 6 && d.due === '2022-10-31')).toBe(true);
    expect(items.find((d) => d.task === 4)?.assignees).toContainEqual({ unit: '县司法局', role: 'lead' });
  });

  it('dates a yearly milestone in the plan year, or in the next when the plan was issued after it', () => {
    const { issued: _issued, ...unissued } = plan;
    const march = dueBetween(unissued, { from: '2022-03-01', to: '2022-03-31' });
    expect(march.find((d) => d.task === 6)).toMatchObject({ due: '2022-03-31', milestone: { recurrence: 'yearly' } });
    // The bundled plan was issued on 2022-04-01: task 6's March milestone falls due in 2023 instead.
    expect(dueBetween(plan, { from: '2022-03-01', to: '2022-03-31' }).find((d) => d.task === 6)).toBeUndefined();
    expect(dueBetween(plan, { from: '2023-03-01', to: '2023-03-31' }).find((d) => d.task === 6)).toMatchObject({ due: '2023-03-31' });
  });

  it('is empty for a range with nothing due and for a single day without a milestone', () => {
    expect(dueBetween(plan, { from: '2022-01-01', to: '2022-01-02' })).toEqual([]);
    expect(dueBetween(plan, { from: '2022-12-31', to: '2022-12-31' }).length).toBeGreaterThan(0);
  });

  it('refuses a malformed or reversed range and unknown options, saying which', () => {
    const refusal = (options: unknown) => {
      try {
        dueBetween(plan, options as never);
      } catch (error) {
        if (isZwgkError(error)) return `${error.code}: ${error.message}`;
        throw error;
      }
      return 'accepted';
    };
    expect(refusal({ from: '2022-11-31', to: '2022-12-31' })).toBe(
      'invalid_date: dueBetween (from): "2022-11-31" is not a real calendar date',
    );
    expect(refusal({ from: '2022-12-01', to: '2022-11-01' })).toBe('invalid_option: dueBetween: the range ends (2022-11-01) before it starts (2022-12-01)');
    expect(refusal({ from: '2022-11-01', until: '2022-11-30' })).toBe('unknown_option: dueBetween: unknown option "until"; it is called to here');
  });
});
