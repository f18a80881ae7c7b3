import { directoryOf, type Assignee } from '../directory/directory.js';
import { ZwgkError, checkOptionNames } from '../errors.js';
import { checkOptionsObject, checkPlan } from '../model/check.js';
import { milestoneDue } from '../model/plan-dates.js';
import type { Milestone, Plan } from '../model/schemas.js';
import { dueOf } from './milestone-status.js';

/** One milestone of a plan that falls due in a date range, with the units it is assigned to. */
export interface DueItem {
  /** Task number. */
  task: number;
  taskName: string;
  milestone: Milestone;
  /**
   * Due date that counts, `YYYY-MM-DD`: the plan-year occurrence for a yearly milestone, or its next one
   * when the plan was issued after it (`milestoneDue`).
   */
  due: string;
  /** The task's units after group expansion, each once with its strongest role, in directory order. */
  assignees: Assignee[];
}

/** Options of {@link dueBetween}. */
export interface DueBetweenOptions {
  /** First day of the range, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day of the range, `YYYY-MM-DD`, inclusive. */
  to: string;
}

/**
 * The plan's milestones that fall due from `from` to `to` (both inclusive, Asia/Shanghai dates), sorted by
 * due date then task number. A yearly milestone counts with its occurrence in the plan year, as in
 * {@link planStatuses}; a milestone due before the plan's issue date counts as `milestoneDue` says (a
 * yearly one on its next occurrence, a one-off one not at all). Nothing about who confirmed what: combine
 * with `planStatuses` for that.
 *
 * Throws a {@link ZwgkError} for a plan that is not one (`invalid_plan`), a malformed date
 * (`invalid_date`), `to` before `from` (`invalid_option`) or another option (`unknown_option`).
 *
 * @example
 * const november = dueBetween(plan, { from: '2022-11-01', to: '2022-11-30' });
 * november.map((d) => `${d.due} 任务${d.task} ${d.taskName}（${d.assignees.length} 个单位）`);
 * // for one unit: november.filter((d) => d.assignees.some((a) => a.unit === '县司法局'))
 */
export function dueBetween(plan: Plan, options: DueBetweenOptions): DueItem[] {
  checkPlan(plan, 'dueBetween (plan)');
  checkOptionsObject(options, 'dueBetween', '{ from, to }');
  checkOptionNames(options, ['from', 'to'], 'dueBetween', { start: 'from', end: 'to', until: 'to' });
  const from = dueOf(options.from, 'dueBetween (from)');
  const to = dueOf(options.to, 'dueBetween (to)');
  if (to < from) throw new ZwgkError('invalid_option', 'dueBetween', `the range ends (${to}) before it starts (${from})`);
  const directory = directoryOf(plan);
  const items: DueItem[] = [];
  for (const task of plan.tasks) {
    let assignees: Assignee[] | undefined;
    for (const milestone of task.milestones) {
      const when = milestoneDue(plan, milestone);
      const due = when.due;
      if (!when.applicable || due < from || due > to) continue;
      assignees ??= directory.expand(task.units, task.no);
      items.push({ task: task.no, taskName: task.name, milestone, due, assignees: assignees.map((a) => ({ ...a })) });
    }
  }
  return items.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.task - b.task));
}
