import { ZwgkError } from '../errors.js';
import { dueInYear } from './due-in-year.js';
import type { Milestone, Plan, Task } from './schemas.js';

/** When a milestone of a plan falls due in the plan year, once the plan's issue date (印发日期) is taken into account. */
export interface MilestoneDue {
  /** The date that counts, `YYYY-MM-DD`: the plan-year occurrence, or the next one when moved. */
  due: string;
  /** True when a yearly milestone fell before the issue date and moved to its next occurrence. */
  moved: boolean;
  /** False for a one-off milestone due before the issue date: not applicable this year, never overdue. */
  applicable: boolean;
}

/**
 * The date a milestone counts on in its plan: its plan-year occurrence ({@link dueInYear}), unless it
 * falls before the plan's `issued` date — then a yearly milestone moves to its next occurrence and a
 * one-off one is not applicable that year. Statutory milestones (`source: 'law'`) are never moved: the
 * duty comes from the law, not from the plan.
 *
 * @example
 * const plan = { year: 2022, issued: '2022-04-01' };
 * milestoneDue(plan, { due: '2022-03-31', recurrence: 'yearly', source: 'deadline' }); // { due: '2023-03-31', moved: true, applicable: true }
 * milestoneDue(plan, { due: '2022-03-31', recurrence: null, source: 'deadline' });     // { due: '2022-03-31', moved: false, applicable: false }
 */
export function milestoneDue(
  plan: { year: number; issued?: string | undefined },
  milestone: Pick<Milestone, 'due' | 'recurrence'> & { source?: Milestone['source'] },
): MilestoneDue {
  const due = dueInYear(milestone, plan.year);
  if (plan.issued === undefined || milestone.source === 'law' || due >= plan.issued) return { due, moved: false, applicable: true };
  if (milestone.recurrence === 'yearly') return { due: dueInYear(milestone, plan.year + 1), moved: true, applicable: true };
  return { due, moved: false, applicable: false };
}

/** The label of the statutory annual-report milestone added by {@link withStatutoryMilestones}. */
export const ANNUAL_REPORT_LABEL = '上一年度政府信息公开工作年度报告（条例第四十九条，1月31日前）';

/** Options of {@link withStatutoryMilestones}. */
export interface StatutoryOptions {
  /**
   * The task that carries the previous year's 政府信息公开工作年度报告, due by 1月31日 (政府信息公开条例
   * §49), or `false` for none. Default `false`.
   */
  annualReport?: number | false | undefined;
}

const statutoryCache = new WeakMap<Plan, Map<number, Plan>>();

/**
 * The plan with the law-derived milestones the county office switched on: with `annualReport: 30`, task 30
 * gains a yearly milestone on 01-31 of the plan year (`source: 'law'`), next to its own deadline. The plan
 * is returned unchanged when nothing is switched on or the milestone is already there; the same input
 * gives the same output object, so scoring's per-plan caches keep working.
 * Throws a {@link ZwgkError} (`invalid_option`) when the task does not exist (a configuration error the
 * caller should have checked).
 *
 * @example
 * const plan = withStatutoryMilestones(getPlan('qinyuan-2022'), { annualReport: 30 });
 * plan.tasks[29]!.milestones.at(-1); // { due: '2022-01-31', label: '上一年度…', recurrence: 'yearly', source: 'law', ongoing: false }
 */
export function withStatutoryMilestones(plan: Plan, options: StatutoryOptions = {}): Plan {
  const taskNo = options.annualReport;
  if (taskNo === undefined || taskNo === false) return plan;
  const index = plan.tasks.findIndex((t) => t.no === taskNo);
  if (index < 0) throw new ZwgkError('invalid_option', 'withStatutoryMilestones (annualReport)', `the plan has no task ${taskNo} for the annual report`);
  const due = `${plan.year}-01-31`;
  const task = plan.tasks[index]!;
  if (task.milestones.some((m) => m.source === 'law' && m.due === due)) return plan;
  let byTask = statutoryCache.get(plan);
  const cached = byTask?.get(taskNo);
  if (cached) return cached;
  const law: Milestone = { due, label: ANNUAL_REPORT_LABEL, recurrence: 'yearly', source: 'law', ongoing: false };
  const changed: Task = { ...task, milestones: [...task.milestones, law] };
  const out: Plan = { ...plan, tasks: plan.tasks.map((t, i) => (i === index ? changed : t)) };
  if (!byTask) statutoryCache.set(plan, (byTask = new Map()));
  byTask.set(taskNo, out);
  return out;
}
