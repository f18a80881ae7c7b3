import type { Assessment, Plan, Role } from '@zwgk/sdk';
import { daysBetween } from '../dates.js';

/** The office that issues the reports (config `office`). */
export interface ReportOffice {
  /** Full name, e.g. `沁源县人民政府办公室`; it signs the 通报 and the reports' footers. */
  name: string;
  /** Short name used in running text, e.g. `县政府办` (default: the full name). */
  shortName?: string;
}

/**
 * What a report shows besides the assessment: who issues it, when, and the units' liaisons. Every field
 * is optional; a report without an office names none.
 */
export interface ReportContext {
  office?: ReportOffice;
  /** The issue date `YYYY-MM-DD` of the 通报 (default: the assessment date). */
  issued?: string;
  /** Liaisons' names by canonical unit name (the bot's database has them; a records file has none). */
  liaisons?: Readonly<Record<string, readonly string[]>>;
  /** The 通报's Handlebars template (default: the built-in one, see docs/assessment.md). */
  template?: string;
}

/** True when the assessment is made before the plan year's last day, so tasks not yet due are left out. */
export function isEstimate(assessment: Assessment): boolean {
  return assessment.asOf < `${assessment.year}-12-31`;
}

/** The report title; a mid-year one says 预估, a what-if projection says 预测. */
export function reportTitle(assessment: Assessment, plan: Plan): string {
  const base = `${plan.county}${assessment.year}年政务公开工作考核`;
  if (assessment.projectedFrom) return `${base}（预测）`;
  return isEstimate(assessment) ? `${base}（预估）` : base;
}

/** The line under a mid-year title that says what 预估 means, or '' at year end. */
export function estimateNote(assessment: Assessment): string {
  return isEstimate(assessment) && !assessment.projectedFrom ? `预估：截至 ${assessment.asOf}，尚未到期的任务节点不计入` : '';
}

/**
 * What the office's review (复核) does to the scores, or '' when the rubric does not require it (then every
 * confirmation counts and the review changes nothing): under `review.required` only accepted confirmations
 * count, so the confirmations still waiting (待复核) or returned (退回) are named with their numbers.
 */
export function reviewNote(assessment: Assessment): string {
  if (!assessment.rubric.review.required) return '';
  const { pending, returned } = assessment.reviews;
  if (pending + returned === 0) return '只计复核通过的确认';
  return `只计复核通过的确认：待复核 ${pending} 项、退回 ${returned} 项未计分`;
}

/** `2022年12月31日` (Chinese date with Arabic numerals, as GB/T 9704 writes the 成文日期). */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The footer every handed-over report carries: the issuing office (when configured) and the assessment date. */
export function footerText(assessment: Assessment, context: ReportContext = {}): string {
  const parts = [context.office?.name, `评估日 ${assessment.asOf}`].filter(Boolean);
  return parts.join(' · ');
}

/** One overdue milestone as the office lists it. */
export interface OverdueRow {
  unit: string;
  role: Role;
  task: number;
  taskName: string;
  /** The milestone's label in the plan, e.g. `全年` or `年度抽查计划公布`. */
  milestone: string;
  due: string;
  /** Calendar days from the due date to the assessment date. */
  daysOverdue: number;
  /** The unit's liaisons joined with `、`; '' when none are known. */
  liaison: string;
}

/** The overdue milestones with role, milestone label, days overdue and liaisons, in the assessment's order. */
export function overdueRows(assessment: Assessment, plan: Plan, context: ReportContext = {}): OverdueRow[] {
  const tasks = new Map(plan.tasks.map((t) => [t.no, t]));
  const units = new Map(assessment.units.map((u) => [u.unit, u]));
  return assessment.overdue.map((o) => {
    const task = tasks.get(o.task);
    const m = units.get(o.unit)?.detail.milestones.find((x) => x.task === o.task && x.due === o.due);
    return {
      unit: o.unit,
      role: m?.role ?? 'responsible',
      task: o.task,
      taskName: task?.name ?? m?.taskName ?? '',
      milestone: task?.milestones.find((x) => x.due === o.due)?.label ?? o.due,
      due: o.due,
      daysOverdue: daysBetween(o.due, assessment.asOf),
      liaison: (context.liaisons?.[o.unit] ?? []).join('、'),
    };
  });
}

/** A rectification item (整改) not yet verified, as the reports list it. */
export interface RectificationRow {
  unit: string;
  item: string;
  due: string;
  /** 待整改 or 已整改（待复查）. */
  state: string;
  /** True once its due date has passed without 复查通过. */
  overdue: boolean;
  /** Points it costs (before the carry-over cap). */
  points: number;
}

/** Open rectification items (not 复查通过) of every unit, by due date. */
export function openRectifications(assessment: Assessment): RectificationRow[] {
  return assessment.units
    .flatMap((u) =>
      (u.detail.rectifications ?? [])
        .filter((r) => r.state !== 'verified')
        .map((r) => ({ unit: u.unit, item: r.item, due: r.due, state: r.state === 'open' ? '待整改' : '已整改（待复查）', overdue: r.overdue, points: r.points })),
    )
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** The county office's manual deductions (扣分) of every unit, in unit order. */
export function deductionRows(assessment: Assessment): Array<{ unit: string; points: number; reason: string }> {
  return assessment.units.flatMap((u) => u.detail.deductions.map((d) => ({ unit: u.unit, points: d.points, reason: d.reason })));
}
