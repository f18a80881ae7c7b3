import { describe, expect, it } from 'vitest';
import { baseTasks, makePlan, makeRecords, task } from './fixtures.js';
import { parseRubric, resolveRubric, type Rubric } from './rubric.js';
import { isZwgkError } from '../errors.js';
import { score, whatIf, type Assessment, type UnitScore } from './score.js';

const defaultRubricForTest = rubricWith({});

const plan = makePlan();

function unit(a: Assessment, name: string): UnitScore {
  const u = a.units.find((x) => x.unit === name);
  if (!u) throw new Error(`no ${name} in the assessment`);
  return u;
}

function rubricWith(input: unknown): Rubric {
  const r = resolveRubric(input);
  if (!r.success) throw new Error(r.error);
  return r.data;
}

const at = (date: string, time = '10:00:00') => `${date}T${time}+08:00`;

describe('score', () => {
  it('gives 90 completion when nothing is due yet and drops the milestones not yet due', () => {
    const a = score(plan, makeRecords(), { asOf: '2022-03-01' });
    for (const u of a.units) expect(u.completion).toBe(90);
    const guodao = unit(a, '郭道镇');
    expect(guodao.detail.milestones.map((m) => [m.task, m.status, m.credit])).toEqual([
      [4, 'not_due', null],
      [10, 'not_due', null],
      [33, 'not_due', null],
    ]);
    expect(a.overdue).toEqual([]);
  });

  it('lists every directory unit, units without assignments at 90, grouped 乡镇组 first', () => {
    const a = score(plan, makeRecords(), { asOf: '2022-12-31' });
    expect(a.units.map((u) => [u.unit, u.group])).toEqual([
      ['郭道镇', 'township'],
      ['沁河镇', 'township'],
      ['沁源经济技术开发区', 'township'],
      ['县财政局', 'department'],
      ['县教育局', 'department'],
      ['县司法局', 'department'],
      ['县公安局', 'department'],
    ]);
    expect(unit(a, '县财政局').completion).toBe(90);
    expect(unit(a, '县财政局').detail.milestones).toEqual([]);
  });

  it('scores tasks 31 and 32 by their own rules, not as milestones, but task 33 as milestones', () => {
    const a = score(plan, makeRecords(), { asOf: '2022-12-31' });
    const tasks = new Set(a.units.flatMap((u) => u.detail.milestones.map((m) => m.task)));
    expect(tasks.has(31)).toBe(false);
    expect(tasks.has(32)).toBe(false);
    expect(tasks.has(33)).toBe(true);
  });

  it('credits a milestone confirmed by its due date as on time', () => {
    const records = makeRecords({ confirmations: [{ task: 4, unit: '县司法局', at: at('2022-06-30', '23:30:00') }] });
    const sifa = unit(score(plan, records, { asOf: '2022-07-01' }), '县司法局');
    expect(sifa.detail.milestones[0]).toMatchObject({ task: 4, status: 'on_time', credit: 1, confirmedAt: '2022-06-30T23:30:00+08:00' });
    expect(sifa.completion).toBe(90);
  });

  it('credits a late confirmation 0.5', () => {
    const records = makeRecords({ confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-07-10') }] });
    const guodao = unit(score(plan, records, { asOf: '2022-07-31' }), '郭道镇');
    expect(guodao.detail.milestones[0]).toMatchObject({ status: 'late', credit: 0.5 });
    // only task 4 is due by 07-31: 90 × 0.5 / 1
    expect(guodao.completion).toBe(45);
  });

  it('decides on time or late by the Shanghai calendar date', () => {
    const p = makePlan([task(4, '行政执法公示', [{ unit: '县司法局', role: 'lead' }], ['2022-11-30']), ...baseTasks.slice(3)]);
    const statusOf = (when: string) =>
      unit(score(p, makeRecords({ confirmations: [{ task: 4, unit: '县司法局', at: when }] }), { asOf: '2022-12-01' }), '县司法局')
        .detail.milestones[0]?.status;
    expect(statusOf('2022-11-30T23:30:00+08:00')).toBe('on_time');
    expect(statusOf('2022-11-30T15:30:00Z')).toBe('on_time');
    expect(statusOf('2022-11-30T16:30:00Z')).toBe('late');
    expect(statusOf('2022-11-30T20:00:00')).toBe('on_time');
  });

  it('counts an unconfirmed past-due milestone as 0 and lists it as overdue', () => {
    const a = score(plan, makeRecords(), { asOf: '2022-07-01' });
    expect(unit(a, '郭道镇').detail.milestones[0]).toMatchObject({ task: 4, status: 'overdue', credit: 0 });
    expect(unit(a, '郭道镇').completion).toBe(0);
  });

  it('treats a milestone due on the assessment date as due', () => {
    const a = score(plan, makeRecords(), { asOf: '2022-06-30' });
    expect(unit(a, '县司法局').detail.milestones[0]?.status).toBe('overdue');
    const b = score(plan, makeRecords(), { asOf: '2022-06-29' });
    expect(unit(b, '县司法局').detail.milestones[0]?.status).toBe('not_due');
  });

  it('drops milestones not yet due from the sum', () => {
    const records = makeRecords({ confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-01') }] });
    // tasks 10 and 33 are due 12-31: only task 4 counts, so 90 rather than 90 × 1/3
    expect(unit(score(plan, records, { asOf: '2022-07-01' }), '郭道镇').completion).toBe(90);
    expect(unit(score(plan, records, { asOf: '2022-12-31' }), '郭道镇').completion).toBe(30);
  });

  it('drops exempt milestones, a whole task or one milestone', () => {
    const records = makeRecords({
      confirmations: [
        { task: 10, unit: '郭道镇', at: at('2022-12-01') },
        { task: 6, unit: '县公安局', due: '2022-10-31', at: at('2022-10-01') },
      ],
      exemptions: [
        { task: 4, unit: '郭道镇', reason: '无执法事项' },
        { task: 6, unit: '县公安局', due: '2022-03-31', reason: '当年无抽查' },
      ],
    });
    const a = score(plan, records, { asOf: '2022-12-31' });
    // 郭道镇: task 10 on time, task 33 overdue, task 4 exempt → 90 × 1/2
    expect(unit(a, '郭道镇').completion).toBe(45);
    expect(unit(a, '郭道镇').detail.milestones[0]).toMatchObject({ task: 4, status: 'exempt', credit: null });
    // 县公安局: task 4 cooperating overdue (0.5 × 0), task 6 10-31 on time (1), 03-31 exempt → 90 × 1/1.5
    expect(unit(a, '县公安局').completion).toBe(60);
    expect(a.overdue.some((o) => o.unit === '郭道镇' && o.task === 4)).toBe(false);
  });

  it('weighs a cooperating role 0.5', () => {
    const p = makePlan([
      task(1, '牵头任务', [{ unit: '县司法局', role: 'lead' }], ['2022-06-30']),
      task(2, '配合任务', [{ unit: '县司法局', role: 'cooperating' }], ['2022-06-30']),
      ...baseTasks.slice(3, 5),
    ]);
    const records = makeRecords({ confirmations: [{ task: 1, unit: '县司法局', at: at('2022-06-30') }] });
    const sifa = unit(score(p, records, { asOf: '2022-07-01' }), '县司法局');
    // one lead milestone on time (1 × 1) + one cooperating milestone overdue (0.5 × 0): 90 × 1 / 1.5
    expect(sifa.completion).toBe(60);
    expect(sifa.detail.milestones.map((m) => m.weight)).toEqual([1, 0.5]);
  });

  it('scores with a rubric read from YAML', () => {
    const p = makePlan([
      task(1, '牵头任务', [{ unit: '县司法局', role: 'lead' }], ['2022-06-30']),
      task(2, '配合任务', [{ unit: '县司法局', role: 'cooperating' }], ['2022-06-30']),
      ...baseTasks.slice(3, 5),
    ]);
    const rubric = parseRubric('roleFactors:\n  cooperating: 1\ncredits:\n  overdue: 0.2\n', 'yaml');
    if (!rubric.success) throw new Error(rubric.error);
    const records = makeRecords({ confirmations: [{ task: 1, unit: '县司法局', at: at('2022-06-30') }] });
    // 90 × (1 × 1 + 1 × 0.2) / 2
    expect(unit(score(p, records, { asOf: '2022-07-01', rubric: rubric.data }), '县司法局').completion).toBe(54);
  });

  it('leaves the records untouched', () => {
    const records = makeRecords({
      confirmations: [
        { task: 4, unit: '郭道镇', at: at('2022-06-01'), evidence: ['https://example.gov/a'] },
        { task: 4, unit: '郭道镇', at: at('2022-06-02'), evidence: ['https://example.gov/b'] },
        { task: 4, unit: '县司法局', at: at('2022-06-02'), evidence: ['https://example.gov/d'] },
      ],
    });
    const before = structuredClone(records);
    const a = score(plan, records, { asOf: '2022-12-31' });
    unit(a, '郭道镇').detail.milestones[0]?.evidence.push('https://example.gov/c');
    unit(a, '县司法局').detail.milestones[0]?.evidence.push('https://example.gov/c');
    expect(records).toEqual(before);
  });

  it('applies a task weight override from the rubric', () => {
    const records = makeRecords({ confirmations: [{ task: 4, unit: '郭道镇', at: at('2022-06-01') }] });
    const plain = score(plan, records, { asOf: '2022-12-31' });
    const weighted = score(plan, records, { asOf: '2022-12-31', rubric: rubricWith({ weights: { tasks: { 4: 3 } } }) });
    // task 4 on time, tasks 10 and 33 overdue: 90 × 1/3 unweighted, 90 × 3/5 with task 4 weighing 3
    expect(unit(plain, '郭道镇').completion).toBe(30);
    expect(unit(weighted, '郭道镇').completion).toBe(54);
  });

  it('counts a unit assigned under several roles once, with its highest factor', () => {
    const p = makePlan([
      task(
        1,
        '双重角色',
        [
          { unit: '县司法局', role: 'lead' },
          { unit: '县直各有关部门', role: 'cooperating', group: true },
        ],
        ['2022-06-30'],
      ),
      task(2, '另一任务', [{ unit: '县司法局', role: 'responsible' }], ['2022-06-30']),
      ...baseTasks.slice(3, 5),
    ]);
    const records = makeRecords({ confirmations: [{ task: 2, unit: '县司法局', at: at('2022-06-01') }] });
    const sifa = unit(score(p, records, { asOf: '2022-07-01' }), '县司法局');
    expect(sifa.detail.milestones.filter((m) => m.task === 1)).toMatchObject([{ role: 'lead', weight: 1 }]);
    // once as lead: 90 × 1/2 (twice would be 90 × 1/2.5 = 36; as cooperating 90 × 1/1.5 = 60)
    expect(sifa.completion).toBe(45);
  });

  it('counts the earliest confirmation and gathers the evidence of all of them', () => {
    const records = makeRecords({
      confirmations: [
        { task: 4, unit: '郭道镇', at: at('2022-07-05'), evidence: ['https://example.gov/b'] },
        { task: 4, unit: '郭道镇', at: '2022-06-20T10:00:00+08:00', evidence: ['https://example.gov/a'] },
        { task: 4, unit: '郭道镇', at: '2022-06-20T01:00:00Z', evidence: ['https://example.gov/a'] },
      ],
    });
    const m = unit(score(plan, records, { asOf: '2022-07-31' }), '郭道镇').detail.milestones[0];
    expect(m).toMatchObject({ status: 'on_time', credit: 1, confirmedAt: '2022-06-20T01:00:00Z' });
    expect(m?.evidence).toEqual(['https://example.gov/b', 'https://example.gov/a']);
  });

  it('ignores records dated after the assessment date', () => {
    const records = makeRecords({
      confirmations: [
        { task: 4, unit: '县司法局', at: '2022-06-30T16:30:00Z' },
        { task: 4, unit: '郭道镇', at: '2022-06-30T23:59:00+08:00' },
      ],
      briefings: [{ unit: '沁河镇', date: '2022-07-01' }],
    });
    const a = score(plan, records, { asOf: '2022-06-30' });
    expect(unit(a, '县司法局').detail.milestones[0]?.status).toBe('overdue');
    expect(unit(a, '郭道镇').detail.milestones[0]?.status).toBe('on_time');
    expect(unit(a, '沁河镇').briefing).toBe(0);
    expect(unit(a, '沁河镇').detail.briefings).toEqual([{ date: '2022-07-01', status: 'after_as_of' }]);
    expect(unit(score(plan, records, { asOf: '2022-07-01' }), '沁河镇').briefing).toBe(10);
  });

  it('gives 10 briefing points for a briefing in the plan year and ignores one outside it', () => {
    const records = makeRecords({
      briefings: [
        { unit: '郭道镇', date: '2022-05-01', note: '听取汇报' },
        { unit: '沁河镇', date: '2021-12-20' },
      ],
    });
    const a = score(plan, records, { asOf: '2022-12-31' });
    expect(unit(a, '郭道镇').briefing).toBe(10);
    expect(unit(a, '沁河镇').briefing).toBe(0);
    expect(unit(a, '沁河镇').detail.briefings[0]?.status).toBe('outside_year');
    expect(unit(a, '沁源经济技术开发区').briefing).toBe(0);
  });

  it('adds +1 for a submitted highlight and +3 for a selected one, not +4', () => {
    const records = makeRecords({
      highlights: [
        { unit: '郭道镇', title: '村务公开栏', status: 'selected' },
        { unit: '沁河镇', title: '政策解读', status: 'submitted' },
        { unit: '开发区', title: '企业服务专区', status: 'submitted' },
        { unit: '开发区', title: '企业服务专区', status: 'selected' },
        { unit: '县司法局', title: '执法公示', status: 'selected' },
        { unit: '县司法局', title: '执法公示', status: 'submitted' },
      ],
    });
    const a = score(plan, records, { asOf: '2022-03-01' });
    expect(unit(a, '郭道镇').bonus).toBe(3);
    expect(unit(a, '沁河镇').bonus).toBe(1);
    expect(unit(a, '沁源经济技术开发区').bonus).toBe(3);
    expect(unit(a, '县司法局').bonus).toBe(3);
    expect(unit(a, '沁源经济技术开发区').detail.highlights).toEqual([{ title: '企业服务专区', status: 'selected', points: 3 }]);
  });

  it('caps the bonus at 10 and adds it to the final', () => {
    const records = makeRecords({
      highlights: ['甲', '乙', '丙', '丁'].map((title) => ({ unit: '县财政局', title, status: 'selected' as const })),
      deductions: [{ unit: '县财政局', points: 20, reason: '迟报' }],
    });
    const caizheng = unit(score(plan, records, { asOf: '2022-03-01' }), '县财政局');
    expect(caizheng.detail.bonusUncapped).toBe(12);
    expect(caizheng.bonus).toBe(10);
    // 90 − 20 + 10
    expect(caizheng.final).toBe(80);
  });

  it('takes 2 per unresolved carry-over item, capped at 10, and nothing for resolved ones', () => {
    const items = ['一', '二', '三', '四', '五', '六'].map((item) => ({ unit: '郭道镇', item, resolved: false }));
    const records = makeRecords({
      carryover: [...items, { unit: '郭道镇', item: '七', resolved: true }, { unit: '沁河镇', item: '一', resolved: false }, { unit: '沁河镇', item: '二', resolved: false }],
    });
    const a = score(plan, records, { asOf: '2022-03-01' });
    expect(unit(a, '郭道镇').deductions).toBe(10);
    expect(unit(a, '郭道镇').detail.carryoverPoints).toBe(10);
    expect(unit(a, '郭道镇').final).toBe(80);
    expect(unit(a, '沁河镇').deductions).toBe(4);
  });

  it('takes the carry-over points for a rectification item not verified by its due date, once that date has come', () => {
    const records = makeRecords({
      rectifications: [
        { unit: '郭道镇', item: '网站栏目更新不及时', due: '2022-06-30', state: 'open' },
        { unit: '郭道镇', item: '政策解读缺失', due: '2022-06-30', state: 'rectified', rectifiedOn: '2022-06-20' },
        { unit: '郭道镇', item: '新媒体账号停更', due: '2022-06-30', state: 'verified', verifiedOn: '2022-06-28' },
        { unit: '郭道镇', item: '依申请公开答复超期', due: '2022-06-30', state: 'verified', verifiedOn: '2022-07-05' },
      ],
    });
    const before = unit(score(plan, records, { asOf: '2022-06-29' }), '郭道镇');
    expect(before.deductions).toBe(0);
    const after = unit(score(plan, records, { asOf: '2022-07-10' }), '郭道镇');
    expect(after.detail.rectifications.map((r) => [r.item, r.overdue, r.points])).toEqual([
      ['网站栏目更新不及时', true, 2],
      ['政策解读缺失', true, 2],
      ['新媒体账号停更', false, 0],
      ['依申请公开答复超期', true, 2],
    ]);
    expect(after.deductions).toBe(6);
    expect(after.detail.carryoverPoints).toBe(6);
  });

  it('ignores a 复查 dated after the assessment date and shares the carry-over cap with carry-over items', () => {
    const records = makeRecords({
      carryover: ['一', '二', '三', '四'].map((item) => ({ unit: '沁河镇', item, resolved: false })),
      rectifications: [
        { unit: '沁河镇', item: '甲', due: '2022-05-31', state: 'verified', verifiedOn: '2022-05-20' },
        { unit: '沁河镇', item: '乙', due: '2022-05-31', state: 'open' },
        { unit: '沁河镇', item: '丙', due: '2022-05-31', state: 'open' },
      ],
    });
    // 甲 was verified on 05-20, which an assessment as of 05-31 cannot see before then: as of 05-10 nothing is due.
    expect(unit(score(plan, records, { asOf: '2022-05-10' }), '沁河镇').deductions).toBe(8);
    // 8 from carry-over + 4 from 乙 and 丙 = 12, capped at 10.
    expect(unit(score(plan, records, { asOf: '2022-06-01' }), '沁河镇').deductions).toBe(10);
  });

  it('projects an open rectification item not yet due as verified in time, and one already overdue as lost', () => {
    const records = makeRecords({
      rectifications: [
        { unit: '郭道镇', item: '甲', due: '2022-06-30', state: 'open' },
        { unit: '郭道镇', item: '乙', due: '2022-05-01', state: 'open' },
      ],
    });
    const best = unit(whatIf(plan, records, { asOf: '2022-05-10' }), '郭道镇');
    expect(best.detail.rectifications.map((r) => r.points)).toEqual([0, 2]);
  });

  it('counts a verification recorded after asOf as not yet known', () => {
    const records = makeRecords({
      rectifications: [{ unit: '郭道镇', item: '甲', due: '2022-05-31', state: 'verified', verifiedOn: '2022-05-31' }],
    });
    expect(unit(score(plan, records, { asOf: '2022-05-31' }), '郭道镇').deductions).toBe(0);
    const late = makeRecords({ rectifications: [{ unit: '郭道镇', item: '甲', due: '2022-05-20', state: 'verified', verifiedOn: '2022-05-31' }] });
    expect(unit(score(plan, late, { asOf: '2022-05-25' }), '郭道镇').deductions).toBe(2);
    expect(unit(score(plan, late, { asOf: '2022-06-30' }), '郭道镇').deductions).toBe(2);
  });

  it('does not cap manual deductions and adds them to capped carry-over', () => {
    const records = makeRecords({
      carryover: ['一', '二', '三', '四', '五', '六'].map((item) => ({ unit: '县财政局', item, resolved: false })),
      deductions: [
        { unit: '县财政局', points: 15, reason: '信息发布不及时' },
        { unit: '县财政局', points: 8, reason: '专栏未更新' },
      ],
    });
    const caizheng = unit(score(plan, records, { asOf: '2022-03-01' }), '县财政局');
    expect(caizheng.deductions).toBe(33);
    expect(caizheng.final).toBe(57);
  });

  it('floors at 0 before adding the bonus', () => {
    const records = makeRecords({
      highlights: [{ unit: '县财政局', title: '甲', status: 'selected' }],
      deductions: [{ unit: '县财政局', points: 100, reason: '重大失误' }],
    });
    // max(0, 90 − 100) + 3, not 90 − 100 + 3 and not 0
    expect(unit(score(plan, records, { asOf: '2022-03-01' }), '县财政局').final).toBe(3);
  });

  it('computes the final from unrounded parts and shows one decimal', () => {
    const rubric = rubricWith({ weights: { tasks: { 4: 5 } } });
    const records = makeRecords({
      confirmations: [
        { task: 10, unit: '郭道镇', at: at('2022-12-01') },
        { task: 33, unit: '郭道镇', at: at('2022-12-01') },
      ],
      deductions: [{ unit: '郭道镇', points: 0.36, reason: '格式不规范' }],
    });
    const guodao = unit(score(plan, records, { asOf: '2022-12-31', rubric }), '郭道镇');
    // 90 × 2/7 = 25.714…; 25.714… − 0.36 = 25.354… → 25.4 (rounded parts would give 25.7 − 0.4 = 25.3)
    expect(guodao.completion).toBe(25.7);
    expect(guodao.deductions).toBe(0.4);
    expect(guodao.final).toBe(25.4);
  });

  it('grades at the band boundaries 90 / 89.9 / 70 / 69.9 / 60 / 59.9', () => {
    const gradeAt = (points: number) => {
      const records = points ? makeRecords({ deductions: [{ unit: '县财政局', points, reason: '扣分' }] }) : makeRecords();
      const u = unit(score(plan, records, { asOf: '2022-03-01' }), '县财政局');
      return [u.final, u.grade];
    };
    expect([0, 0.1, 20, 20.1, 30, 30.1].map(gradeAt)).toEqual([
      [90, '优秀'],
      [89.9, '良好'],
      [70, '良好'],
      [69.9, '合格'],
      [60, '合格'],
      [59.9, '不合格'],
    ]);
  });

  it('ranks each group separately, equal finals sharing a rank (1, 2, 2, 4)', () => {
    const records = makeRecords({
      highlights: [
        { unit: '县财政局', title: '甲', status: 'selected' },
        { unit: '县财政局', title: '乙', status: 'submitted' },
        { unit: '县财政局', title: '丙', status: 'submitted' },
      ],
      deductions: [
        { unit: '县司法局', points: 10, reason: '扣分' },
        { unit: '县公安局', points: 9.96, reason: '扣分' },
        { unit: '县教育局', points: 20, reason: '扣分' },
        { unit: '郭道镇', points: 10, reason: '扣分' },
      ],
    });
    const a = score(plan, records, { asOf: '2022-03-01' });
    expect(a.units.map((u) => [u.group, u.unit, u.final, u.rank])).toEqual([
      ['township', '沁河镇', 90, 1],
      ['township', '沁源经济技术开发区', 90, 1],
      ['township', '郭道镇', 80, 3],
      ['department', '县财政局', 95, 1],
      ['department', '县司法局', 80, 2],
      ['department', '县公安局', 80, 2],
      ['department', '县教育局', 70, 4],
    ]);
  });

  it('lists overdue milestones by due date, then task, then directory order', () => {
    const a = score(plan, makeRecords({ confirmations: [{ task: 10, unit: '沁河镇', at: at('2022-12-30') }] }), { asOf: '2022-12-31' });
    expect(a.overdue).toEqual([
      { task: 6, unit: '县公安局', due: '2022-03-31' },
      { task: 4, unit: '郭道镇', due: '2022-06-30' },
      { task: 4, unit: '县司法局', due: '2022-06-30' },
      { task: 4, unit: '县公安局', due: '2022-06-30' },
      { task: 6, unit: '县公安局', due: '2022-10-31' },
      { task: 10, unit: '郭道镇', due: '2022-12-31' },
      { task: 10, unit: '沁源经济技术开发区', due: '2022-12-31' },
      { task: 33, unit: '郭道镇', due: '2022-12-31' },
      { task: 33, unit: '沁河镇', due: '2022-12-31' },
      { task: 33, unit: '县司法局', due: '2022-12-31' },
    ]);
  });

  it('resolves aliases in records that were not validated', () => {
    const records = makeRecords({ confirmations: [{ task: 4, unit: '司法局', at: at('2022-06-01') }], briefings: [{ unit: '开发区', date: '2022-05-01' }] });
    const a = score(plan, records, { asOf: '2022-07-01' });
    expect(unit(a, '县司法局').detail.milestones[0]?.status).toBe('on_time');
    expect(unit(a, '沁源经济技术开发区').briefing).toBe(10);
  });

  it('takes asOf as a Date by its Shanghai calendar date and rejects a malformed one', () => {
    const a = score(plan, makeRecords(), { asOf: new Date('2022-06-30T16:30:00Z') });
    expect(a.asOf).toBe('2022-07-01');
    expect(() => score(plan, makeRecords(), { asOf: '2022-7-1' })).toThrow('score (asOf): expected a date written YYYY-MM-DD, received "2022-7-1"');
  });

  it('builds each unit’s milestone detail and the overdue list once, when first read, as they were', () => {
    const records = makeRecords({
      confirmations: [
        { task: 4, unit: '郭道镇', due: '2022-06-30', at: at('2022-06-20'), evidence: ['https://example.gov/a'] },
        { task: 4, unit: '郭道镇', due: '2022-06-30', at: at('2022-06-10'), evidence: ['https://example.gov/b', 'https://example.gov/a'] },
      ],
    });
    const a = score(plan, records, { asOf: '2022-12-31' });
    const guodao = unit(a, '郭道镇');
    expect(guodao.detail.milestones).toBe(guodao.detail.milestones);
    expect(guodao.detail.milestones[0]).toEqual({
      task: 4,
      taskName: expect.any(String),
      due: '2022-06-30',
      role: 'responsible',
      weight: 1,
      status: 'on_time',
      credit: 1,
      evidence: ['https://example.gov/a', 'https://example.gov/b'],
      confirmedAt: at('2022-06-10'),
    });
    expect(a.overdue).toBe(a.overdue);
    const copy = JSON.parse(JSON.stringify(a)) as Assessment;
    expect(Object.keys(copy)).toEqual(['year', 'asOf', 'rubric', 'units', 'reviews', 'overdue']);
    expect(copy.overdue).toEqual(a.overdue);
    expect(copy.units.map((u) => u.detail.milestones)).toEqual(a.units.map((u) => u.detail.milestones));
    expect(Object.keys(guodao.detail)).toEqual(['milestones', 'briefings', 'highlights', 'carryover', 'rectifications', 'deductions', 'bonusUncapped', 'carryoverPoints']);
  });

  describe('refuses wrong input with a ZwgkError saying what is wrong', () => {
    const fails = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (!isZwgkError(error)) throw error;
        return { code: error.code, message: error.message };
      }
      throw new Error('expected a ZwgkError');
    };

    it('records that were not checked by validateRecords', () => {
      expect(fails(() => score(plan, { year: 2022 } as never, { asOf: '2022-12-31' }))).toEqual({
        code: 'invalid_records',
        message: 'score (records): records.confirmations: expected a list, received nothing — check records with validateRecords(plan, input) first',
      });
      expect(fails(() => score(plan, makeRecords({ year: 2021 }), { asOf: '2022-12-31' })).message).toBe(
        'score (records): records.year: the records are for 2021 but the plan is for 2022 — check records with validateRecords(plan, input) first',
      );
      expect(fails(() => whatIf(plan, plan as never, { asOf: '2022-12-31' })).code).toBe('invalid_records');
    });

    it('a plan that is not one', () => {
      expect(fails(() => score({ year: 2022 } as never, makeRecords(), { asOf: '2022-12-31' }))).toEqual({
        code: 'invalid_plan',
        message: 'score (plan): plan.county: Invalid input: expected string, received undefined',
      });
    });

    it('an option it does not take, or a malformed rubric', () => {
      expect(fails(() => score(plan, makeRecords(), { asOf: '2022-12-31', rubrc: defaultRubricForTest } as never))).toEqual({
        code: 'unknown_option',
        message: 'score: unknown option "rubrc"; known options: asOf, rubric',
      });
      expect(fails(() => score(plan, makeRecords(), { asOf: '2022-12-31', rubric: { credits: {} } as never })).code).toBe('invalid_option');
      expect(fails(() => score(plan, makeRecords(), '2022-12-31' as never))).toEqual({
        code: 'invalid_option',
        message: 'score: expected options { asOf, rubric? }, received string',
      });
    });
  });
});

describe('whatIf', () => {
  const records = makeRecords({
    confirmations: [
      { task: 4, unit: '县司法局', at: at('2022-06-20') },
      { task: 6, unit: '县公安局', due: '2022-03-31', at: at('2022-03-20') },
      { task: 10, unit: '沁河镇', at: at('2022-08-01') },
    ],
    briefings: [{ unit: '郭道镇', date: '2022-05-01' }],
  });

  it('projects open milestones confirmed from now: past-due ones late, the rest on time, at year end', () => {
    const a = whatIf(plan, records, { asOf: '2022-07-01' });
    expect(a.asOf).toBe('2022-12-31');
    expect(a.projectedFrom).toBe('2022-07-01');
    const guodao = unit(a, '郭道镇');
    // task 4 already overdue → late 0.5; tasks 10 and 33 on time: 90 × 2.5/3
    expect(guodao.completion).toBe(75);
    expect(guodao.final).toBe(85);
    expect(guodao.detail.milestones.map((m) => [m.task, m.status, m.projected])).toEqual([
      [4, 'late', true],
      [10, 'on_time', true],
      [33, 'on_time', true],
    ]);
    // 县公安局: task 4 cooperating late (0.5 × 0.5), task 6 03-31 recorded on time, 10-31 on time: 90 × 2.25/2.5
    expect(unit(a, '县公安局').completion).toBe(81);
    expect(unit(a, '县司法局').detail.milestones[0]).toMatchObject({ status: 'on_time', confirmedAt: at('2022-06-20') });
    expect(unit(a, '县司法局').detail.milestones[0]?.projected).toBeUndefined();
  });

  it('ignores records after asOf and lists the milestones already overdue', () => {
    const a = whatIf(plan, records, { asOf: '2022-07-01' });
    const m = unit(a, '沁河镇').detail.milestones.find((x) => x.task === 10);
    expect(m).toMatchObject({ status: 'on_time', projected: true });
    expect(m?.confirmedAt).toBeUndefined();
    expect(a.overdue).toEqual([
      { task: 4, unit: '郭道镇', due: '2022-06-30' },
      { task: 4, unit: '县公安局', due: '2022-06-30' },
    ]);
  });

  it('counts a milestone due today as still reachable on time', () => {
    const a = whatIf(plan, makeRecords(), { asOf: '2022-06-30' });
    expect(unit(a, '郭道镇').detail.milestones[0]).toMatchObject({ task: 4, status: 'on_time' });
    expect(a.overdue).toEqual([{ task: 6, unit: '县公安局', due: '2022-03-31' }]);
  });

  it('leaves exempt milestones out of the projection', () => {
    const a = whatIf(plan, makeRecords({ exemptions: [{ task: 4, unit: '郭道镇', reason: '不适用' }] }), { asOf: '2022-07-01' });
    expect(unit(a, '郭道镇').completion).toBe(90);
    expect(a.overdue.some((o) => o.unit === '郭道镇')).toBe(false);
  });
});
