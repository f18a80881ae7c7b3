import type { Assessment } from '@zwgk/sdk';
import { round1, type ScoreGroup } from './labels.js';

/** One unit in the `zwgk report --format json` contract. */
export interface ReportJsonUnit {
  unit: string;
  group: ScoreGroup;
  completion: number;
  briefing: number;
  bonus: number;
  deductions: number;
  final: number;
  grade: string;
  /** Rank within the group; `null` for a unit not ranked (the assessor, or vertically managed units left out). */
  rank: number | null;
}

/**
 * The `zwgk report --format json` contract that other tools rely on: exactly these keys, numbers
 * rounded to one decimal, units by group (乡镇组 first) then rank, overdue items as the assessment sorts them.
 */
export interface ReportJson {
  year: number;
  asOf: string;
  units: ReportJsonUnit[];
  overdue: Array<{ task: number; unit: string; due: string }>;
}

/**
 * Projects an assessment onto the JSON contract (drops the per-milestone detail and the rubric).
 *
 * @example
 * const json = reportJson(score(plan, records, { asOf: '2022-12-31' }));
 * json.units[0]; // { unit: '郭道镇', group: 'township', completion: 86.4, briefing: 10, bonus: 3, deductions: 0, final: 99.4, grade: '优秀', rank: 1 }
 */
export function reportJson(assessment: Assessment): ReportJson {
  return {
    year: assessment.year,
    asOf: assessment.asOf,
    units: assessment.units.map((u) => ({
      unit: u.unit,
      group: u.group,
      completion: round1(u.completion),
      briefing: round1(u.briefing),
      bonus: round1(u.bonus),
      deductions: round1(u.deductions),
      final: round1(u.final),
      grade: u.grade,
      rank: u.rank,
    })),
    overdue: assessment.overdue.map((o) => ({ task: o.task, unit: o.unit, due: o.due })),
  };
}

/** The JSON file's text: two-space indented, with a final newline. */
export function renderJson(assessment: Assessment): string {
  return `${JSON.stringify(reportJson(assessment), null, 2)}\n`;
}
