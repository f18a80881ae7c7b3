import { readFileSync } from 'node:fs';
import { parseRubric, PlanSchema, score, validateRecords, type Plan, type Role } from '@zwgk/sdk';
import { qinyuanUnits } from '@zwgk/sdk/qinyuan';
import { describe, expect, it } from 'vitest';
import { reportJson } from '../src/report/json.js';
import { tinyPlan, tinyRecords } from '../src/report/fixtures.js';
import { DEFAULT_TONGBAO_TEMPLATE, tongbaoData } from '../src/report/tongbao.js';

const doc = readFileSync(new URL('../../../docs/assessment.md', import.meta.url), 'utf8');

/** The lines after an `<!-- example:NAME -->` marker, up to the next blank line (a table) or closing fence (a code block). */
function block(name: string): string {
  const start = doc.indexOf(`<!-- example:${name} -->`);
  if (start < 0) throw new Error(`docs/assessment.md has no example:${name} marker`);
  const rest = doc.slice(doc.indexOf('\n', start) + 1);
  if (rest.startsWith('```')) return rest.slice(rest.indexOf('\n') + 1, rest.indexOf('\n```'));
  return rest.slice(0, rest.indexOf('\n\n'));
}

function table(name: string): string[][] {
  return block(name)
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

const ROLES: Record<string, Role> = { 牵头: 'lead', 负责: 'responsible', 配合: 'cooperating' };

function examplePlan(): Plan {
  const header = block('plan').split('\n')[0]!.split('|').slice(1, -1).map((c) => c.trim());
  const unitNames = header.slice(3);
  const directory = qinyuanUnits.filter((u) => unitNames.includes(u.name));
  expect(directory.map((u) => u.name)).toEqual(unitNames);
  return PlanSchema.parse({
    county: '沁源县',
    year: 2022,
    title: '示例',
    units: directory,
    tasks: table('plan').map(([no, name, dues, ...roles]) => ({
      no: Number(no),
      name,
      content: '',
      responsibility: '',
      deadline: dues,
      units: roles.flatMap((role, i) => (ROLES[role] ? [{ unit: unitNames[i]!, role: ROLES[role] }] : [])),
      milestones: dues!.split('、').map((due) => ({ due, label: due })),
    })),
  });
}

describe('docs/assessment.md worked example', () => {
  const plan = examplePlan();
  const checked = validateRecords(plan, JSON.parse(block('records')));

  it('has records that pass validation against the plan excerpt', () => {
    expect(checked.success ? [] : checked.error.map((e) => e.message)).toEqual([]);
  });

  it('states the figures score() computes', () => {
    if (!checked.success) throw new Error('invalid example records');
    const assessment = score(plan, checked.data, { asOf: '2022-12-31' });
    const stated = table('result');
    expect(stated.map((r) => r[0])).toEqual(['郭道镇', '县司法局']);
    for (const [unit, group, completion, briefing, bonus, deductions, final, grade] of stated) {
      const u = assessment.units.find((x) => x.unit === unit)!;
      expect({ unit, group, completion, briefing, bonus, deductions, final, grade }).toEqual({
        unit: u.unit,
        group: assessment.rubric.groups[u.group]!.label,
        completion: u.completion.toFixed(1),
        briefing: u.briefing.toFixed(1),
        bonus: u.bonus.toFixed(1),
        deductions: u.deductions.toFixed(1),
        final: u.final.toFixed(1),
        grade: u.grade,
      });
    }
  });

  it('walks through the sums with the same results as the table', () => {
    for (const [unit, , completion, , , , final] of table('result')) {
      const section = doc.slice(doc.indexOf(`**${unit}**（`), doc.indexOf('<!-- example:result -->'));
      expect(section).toMatch(new RegExp(`完成情况 = [^\\n]*= \\*\\*${completion!.replace('.', '\\.')}\\*\\*`));
      expect(section).toMatch(new RegExp(`总分 = [^\\n]*= \\*\\*${final!.replace('.', '\\.')}\\*\\*`));
    }
  });

  it('shows a JSON contract sample consistent with the example', () => {
    if (!checked.success) throw new Error('invalid example records');
    const json = reportJson(score(plan, checked.data, { asOf: '2022-12-31' }));
    const fence = doc.slice(doc.indexOf('```json', doc.indexOf('## For developers')) + 7);
    const sample = JSON.parse(fence.slice(0, fence.indexOf('```')));
    expect(Object.keys(sample)).toEqual(Object.keys(json));
    expect(sample.units[0]).toEqual(json.units[0]);
    expect(json.overdue).toContainEqual(sample.overdue[0]);
  });
});

describe('docs/assessment.md rubric example', () => {
  it('is a valid partial rubric with the stated changes', () => {
    const text = block('rubric');
    const rubric = parseRubric(text, 'yaml');
    if (!rubric.success) throw new Error(rubric.error);
    expect(rubric.data.weights.tasks['4']).toBe(2);
    expect(rubric.data.roleFactors.cooperating).toBe(0.6);
    expect(rubric.data.bonus.cap).toBe(8);
    expect(rubric.data.bonus.selected).toBe(3);
  });

  it('quotes the error message a bad rubric really gets', () => {
    const bad = parseRubric('bonus:\n  cap: ten\n', 'yaml');
    expect(bad.success ? '' : bad.error).toBe('bonus.cap: expected a number, received string');
    expect(doc).toContain('`bonus.cap: expected a number, received string`');
  });
});

describe('docs/assessment.md 通报 template', () => {
  it('shows the built-in template as the program has it', () => {
    expect(`${block('tongbao-template')}\n`).toBe(DEFAULT_TONGBAO_TEMPLATE);
  });

  it('lists every field a template can use', () => {
    const data = tongbaoData(score(tinyPlan(), tinyRecords(), { asOf: '2022-12-31' }), tinyPlan());
    const missing = Object.keys(data).filter((key) => !doc.includes(`\`${key}`));
    expect(missing).toEqual([]);
  });
});
