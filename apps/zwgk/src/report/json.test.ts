import { resolveRubric, score } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { tinyPlan, tinyRecords } from './fixtures.js';
import { renderJson, reportJson } from './json.js';

const plan = tinyPlan();
const records = tinyRecords();

describe('reportJson', () => {
  it('has exactly the contract keys', () => {
    const json = reportJson(score(plan, records, { asOf: '2022-12-31' }));
    expect(Object.keys(json)).toEqual(['year', 'asOf', 'units', 'overdue']);
    for (const u of json.units) {
      expect(Object.keys(u)).toEqual(['unit', 'group', 'completion', 'briefing', 'bonus', 'deductions', 'final', 'grade', 'rank']);
    }
    for (const o of json.overdue) expect(Object.keys(o)).toEqual(['task', 'unit', 'due']);
  });

  it('carries the hand-computed scores of the tiny fixture', () => {
    const json = reportJson(score(plan, records, { asOf: '2022-12-31' }));
    expect(json.year).toBe(2022);
    expect(json.asOf).toBe('2022-12-31');
    const rows = json.units.map((u) => [u.unit, u.group, u.completion, u.briefing, u.bonus, u.deductions, u.final, u.grade, u.rank]);
    expect(rows).toEqual([
      // 3 on time of 3, briefing, selected highlight +3
      ['郭道镇', 'township', 90, 10, 3, 0, 103, '优秀', 1],
      // 06-30 and task 10 on time, 12-31 exempt
      ['沁源经济技术开发区', 'township', 90, 10, 0, 0, 100, '优秀', 2],
      // late 0.5 + on time 1 + overdue 0 of 3 = 45; one unresolved carry-over −2
      ['沁河镇', 'township', 45, 0, 0, 2, 43, '不合格', 3],
      // 2 on time + late lead task of 3 = 75; briefing; submitted +1
      ['县司法局', 'department', 75, 10, 1, 0, 86, '良好', 1],
      // 1 + 0 + 0.5 (cooperating) of 2.5 = 54; manual −3; 2021 briefing does not count
      ['县公安局', 'department', 54, 0, 0, 3, 51, '不合格', 2],
      ['县财政局', 'department', 0, 0, 0, 0, 0, '不合格', 3],
    ]);
    expect(json.overdue).toEqual([
      { task: 1, unit: '县财政局', due: '2022-06-30' },
      { task: 1, unit: '县公安局', due: '2022-12-31' },
      { task: 1, unit: '县财政局', due: '2022-12-31' },
      { task: 10, unit: '沁河镇', due: '2022-12-31' },
    ]);
  });

  it('rounds every number to one decimal', () => {
    const rubric = resolveRubric({ roleFactors: { cooperating: 0.6 } });
    if (!rubric.success) throw new Error(rubric.error);
    const json = reportJson(score(plan, records, { asOf: '2022-12-31', rubric: rubric.data }));
    const police = json.units.find((u) => u.unit === '县公安局');
    // 90 × (1 + 0.6) / 2.6 = 55.3846…; final 52.3846…
    expect(police?.completion).toBe(55.4);
    expect(police?.final).toBe(52.4);
  });

  it('writes indented JSON with a final newline that parses back to the same object', () => {
    const assessment = score(plan, records, { asOf: '2022-12-31' });
    const text = renderJson(assessment);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(reportJson(assessment));
    expect(text).toContain('\n  "units": [');
  });
});
