import type { Assessment, MilestoneScore, Role, Rubric, UnitScore } from '@zwgk/sdk';

/** A ranking group id: 乡镇组 (`township`), 部门组 (`department`), … as the rubric names them. */
export type ScoreGroup = UnitScore['group'];
/** How one milestone was scored. */
export type MilestoneStatus = MilestoneScore['status'];

/** Chinese labels of a milestone's scoring status, as the county office writes them. */
export const STATUS_LABEL: Record<MilestoneStatus, string> = {
  on_time: '按时完成',
  late: '逾期完成',
  overdue: '逾期未完成',
  not_due: '未到期',
  exempt: '豁免',
  not_applicable: '不适用（早于印发日期）',
};

/** Chinese labels of a role on a task. */
export const ROLE_LABEL: Record<Role, string> = {
  lead: '牵头',
  responsible: '负责',
  cooperating: '配合',
};

/** The ranking groups that have units, in the assessment's order (乡镇组 first, 垂管单位组 last). */
export function groupsOf(assessment: Assessment): ScoreGroup[] {
  return [...new Set(assessment.units.map((u) => u.group))];
}

/** The label of a ranking group as the rubric names it (乡镇组 / 部门组 … by default). */
export function groupLabel(rubric: Rubric, group: ScoreGroup): string {
  return rubric.groups[group]?.label ?? (group === 'vertical' ? rubric.vertical.label : group);
}

/** Why a unit has no rank, in the office's words. */
export const UNRANKED_LABEL = { assessor: '考核单位，不排名', vertical: '垂直管理，不排名' } as const;

/** A unit's rank as reports show it: the number, or why there is none. */
export function rankText(u: UnitScore): string {
  return u.rank === null ? UNRANKED_LABEL[u.unranked ?? 'assessor'] : String(u.rank);
}

/** The grades from best to worst. */
export const GRADES = ['优秀', '良好', '合格', '不合格'] as const;

/** Writes a score with one decimal, as every report shows it (`90.0`, `72.5`). */
export function fixed1(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1);
}

/** Rounds to one decimal for machine output (JSON): `72.45 → 72.5` (half away from zero is not needed: scores are ≥ 0). */
export function round1(n: number): number {
  return Math.round(Number((n * 10).toPrecision(12))) / 10;
}

/** The units of one group in rank order (the assessment already lists them that way). */
export function unitsOf(assessment: Assessment, group: ScoreGroup): UnitScore[] {
  return assessment.units.filter((u) => u.group === group);
}

/** How many units have each grade, in grade order. */
export function gradeCounts(assessment: Assessment): Record<(typeof GRADES)[number], number> {
  const counts = { 优秀: 0, 良好: 0, 合格: 0, 不合格: 0 };
  for (const u of assessment.units) counts[u.grade]++;
  return counts;
}

/** The per-unit summary columns shared by the 总表 sheet and the CSV file. */
export const SUMMARY_HEADERS = ['单位', '组别', '完成情况得分', '听取汇报', '加分', '扣分', '总分', '等次', '组内排名'] as const;

/** One unit's summary row, numbers as numbers (rounded to one decimal). */
export function summaryRow(assessment: Assessment, u: UnitScore): [string, string, number, number, number, number, number, string, number | string] {
  return [
    u.unit,
    groupLabel(assessment.rubric, u.group),
    round1(u.completion),
    round1(u.briefing),
    round1(u.bonus),
    round1(u.deductions),
    round1(u.final),
    u.grade,
    u.rank ?? rankText(u),
  ];
}
