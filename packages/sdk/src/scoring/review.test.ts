import { describe, expect, it } from 'vitest';
import { makePlan, makeRecords } from './fixtures.js';
import { defaultRubric, resolveRubric, type Rubric } from './rubric.js';
import { score, type Assessment, type UnitScore } from './score.js';
import { validateRecords } from './validate-records.js';

const plan = makePlan();
const at = (date: string, time = '10:00:00') => `${date}T${time}+08:00`;

function required(): Rubric {
  const r = resolveRubric({ review: { required: true } });
  if (!r.success) throw new Error(r.error);
  return r.data;
}

function unit(a: Assessment, name: string): UnitScore {
  const u = a.units.find((x) => x.unit === name);
  if (!u) throw new Error(`no ${name}`);
  return u;
}

function task4(a: Assessment) {
  return unit(a, '郭道镇').detail.milestones.find((m) => m.task === 4)!;
}

const reviewer = '县政府办 李四';

describe('score with reviews (复核)', () => {
  it('does not require reviews by default: a returned confirmation still counts at its own time', () => {
    expect(defaultRubric.review.required).toBe(false);
    const records = makeRecords({
      confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-20'), review: { state: 'returned', reason: '链接打不开', reviewer, at: at('2022-06-21') } }],
    });
    const m = task4(score(plan, records, { asOf: '2022-12-31' }));
    expect([m.status, m.credit, m.review]).toEqual(['on_time', 1, 'returned']);
  });

  it('counts only accepted confirmations when review is required, and a pending one as unconfirmed', () => {
    const pending = makeRecords({ confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-20') }] });
    const p = score(plan, pending, { asOf: '2022-12-31', rubric: required() });
    expect([task4(p).status, task4(p).credit, task4(p).review]).toEqual(['overdue', 0, 'pending']);
    expect(p.overdue.some((o) => o.task === 4 && o.unit === '郭道镇')).toBe(true);
    expect(unit(p, '郭道镇').reviews).toEqual({ pending: 1, returned: 0 });
    expect(p.reviews).toEqual({ pending: 1, returned: 0 });

    const accepted = makeRecords({ confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-20'), review: { state: 'accepted', reviewer, at: at('2022-07-15') } }] });
    const a = score(plan, accepted, { asOf: '2022-12-31', rubric: required() });
    // Accepted after the due date, yet on time: the submission's time counts, not the decision's.
    expect([task4(a).status, task4(a).credit, task4(a).review]).toEqual(['on_time', 1, 'accepted']);
    expect(unit(a, '郭道镇').final).toBeGreaterThan(unit(p, '郭道镇').final);
    expect(a.reviews).toEqual({ pending: 0, returned: 0 });
  });

  it('counts a returned and resubmitted milestone at the resubmission that was accepted', () => {
    const records = makeRecords({
      confirmations: [
        { task: 4, unit: '郭道镇', at: at('2022-06-20'), review: { state: 'returned', reason: '缺少佐证', reviewer, at: at('2022-06-25') } },
        { task: 4, unit: '郭道镇', at: at('2022-07-05'), review: { state: 'accepted', reviewer, at: at('2022-07-06') } },
      ],
    });
    const strict = task4(score(plan, records, { asOf: '2022-12-31', rubric: required() }));
    expect([strict.status, strict.credit, strict.confirmedAt, strict.review]).toEqual(['late', 0.5, at('2022-07-05'), 'accepted']);
    const lenient = task4(score(plan, records, { asOf: '2022-12-31' }));
    expect([lenient.status, lenient.confirmedAt]).toEqual(['on_time', at('2022-06-20')]);
  });

  it('treats a decision taken after the assessment date as not taken yet', () => {
    const records = makeRecords({ confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-20'), review: { state: 'accepted', reviewer, at: at('2022-08-01') } }] });
    const before = score(plan, records, { asOf: '2022-07-31', rubric: required() });
    expect([task4(before).status, task4(before).review]).toEqual(['overdue', 'pending']);
    const after = score(plan, records, { asOf: '2022-08-01', rubric: required() });
    expect([task4(after).status, task4(after).review]).toEqual(['on_time', 'accepted']);
  });

  it('uses a stated completion date only once the office accepted it, and only when earlier', () => {
    const claim = { task: 4, unit: '郭道镇', at: at('2022-07-02'), claimedDate: '2022-06-28' };
    const unreviewed = task4(score(plan, makeRecords({ confirmations: [claim] }), { asOf: '2022-12-31' }));
    expect([unreviewed.status, unreviewed.credit]).toEqual(['late', 0.5]);
    const accepted = task4(score(plan, makeRecords({ confirmations: [{ ...claim, review: { state: 'accepted' } }] }), { asOf: '2022-12-31' }));
    expect([accepted.status, accepted.credit]).toEqual(['on_time', 1]);
    const later = task4(score(plan, makeRecords({ confirmations: [{ ...claim, claimedDate: '2022-07-10', review: { state: 'accepted' } }] }), { asOf: '2022-12-31' }));
    expect(later.status).toBe('late');
  });

  it('reads review fields through validateRecords and rejects an unknown state', () => {
    const ok = validateRecords(plan, { year: 2022, confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-20'), review: { state: 'returned', reason: '缺少佐证' } }] });
    expect(ok.success && ok.data.confirmations[0]?.review).toEqual({ state: 'returned', reason: '缺少佐证' });
    const bad = validateRecords(plan, { year: 2022, confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-20'), review: { state: 'maybe' } }] });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(JSON.stringify(bad.error)).toContain('review');
  });

  it('rejects a rubric whose review setting is not a boolean', () => {
    const r = resolveRubric({ review: { required: 'yes' } });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toContain('review.required');
  });
});
