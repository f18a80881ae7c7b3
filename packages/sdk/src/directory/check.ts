import type { Plan, Role } from '../model/schemas.js';
import { classifyGroup, directoryOf, isZonePhrase } from './directory.js';

/** Why a phrase of a task needs the county office's attention. */
export type PhraseProblem =
  /** The phrase stands for no unit: nobody is reminded or scored for it. */
  | 'empty'
  /** The phrase stands for a whole class (every county department) with no narrowing for this task. */
  | 'class';

/** One group phrase of a task and what it stands for. */
export interface PhraseCheck {
  phrase: string;
  role: Role;
  /** Directory units it stands for in this task, in directory order. */
  units: string[];
  /** True when the task has its own mapping for the phrase (`Plan.assignments`). */
  mapped: boolean;
  problem: PhraseProblem | null;
  /**
   * Units to map it to: those whose `sectors` (the sector→department table kept in the directory) appear in
   * the task's name or content, minus the units the task already names. May be empty.
   */
  suggestions: string[];
}

/** One task's assignments as checked by {@link checkAssignments}. */
export interface TaskCheck {
  task: number;
  name: string;
  /** Units the task expands to (every role). */
  assignees: string[];
  /** Its group phrases (各乡镇, 相关部门 …), including those without problems. */
  phrases: PhraseCheck[];
}

/** What {@link checkAssignments} finds. */
export interface PlanCheck {
  tasks: TaskCheck[];
  /** Tasks without any assignee: nobody is reminded or scored. */
  unassigned: number[];
  /** Every phrase with a problem, in task order. */
  problems: Array<PhraseCheck & { task: number; name: string }>;
}

/** Directory units whose sectors the text mentions, in directory order. */
export function sectorSuggestions(plan: Plan, text: string): string[] {
  return directoryOf(plan)
    .units.filter((u) => u.retired !== true && (u.sectors ?? []).some((s) => text.includes(s)))
    .map((u) => u.name);
}

/**
 * Checks who each task reaches: lists tasks with no assignee, phrases that stand for no unit (相关部门 left
 * unmapped, 各行业主管部门) and class phrases (县直有关部门, without 各) not narrowed for the task, each with suggestions
 * from the directory's sector table. Townships (各乡镇) and the development zone are never a problem.
 *
 * @example
 * const check = checkAssignments(getPlan('qinyuan-2022'));
 * check.unassigned;  // [] — every task reaches at least one unit
 * check.problems.filter((p) => p.problem === 'empty').map((p) => [p.task, p.phrase]); // [[12, '归口管理的公共企事业单位']]
 */
export function checkAssignments(plan: Plan): PlanCheck {
  const dir = directoryOf(plan);
  const tasks: TaskCheck[] = plan.tasks.map((task) => {
    const named = new Set(
      task.units
        .filter((a) => !a.group && classifyGroup(a.unit) === null)
        .map((a) => dir.resolve(a.unit))
        .flatMap((r) => (r.success ? [r.data.name] : [])),
    );
    const suggested = sectorSuggestions(plan, `${task.name}${task.content}`).filter((u) => !named.has(u));
    const phrases: PhraseCheck[] = task.units
      .filter((a) => !isZonePhrase(a.unit) && (a.group || classifyGroup(a.unit) !== null))
      .map((a) => {
        const units = dir.expandPhrase(a.unit, task.no).map((u) => u.name);
        const mapped = dir.assignments[String(task.no)]?.[a.unit] !== undefined;
        const kind = classifyGroup(a.unit);
        // 县直各有关部门 (each department) means all of them; 县直有关部门 (the departments concerned) means some.
        const problem = units.length === 0 ? 'empty' : !mapped && kind === 'departments' && /^县直(有关|相关)/.test(a.unit) ? 'class' : null;
        return { phrase: a.unit, role: a.role, units, mapped, problem, suggestions: problem ? suggested : [] };
      });
    return { task: task.no, name: task.name, assignees: dir.expand(task.units, task.no).map((a) => a.unit), phrases };
  });
  return {
    tasks,
    unassigned: tasks.filter((t) => t.assignees.length === 0).map((t) => t.task),
    problems: tasks.flatMap((t) => t.phrases.filter((p) => p.problem !== null).map((p) => ({ ...p, task: t.task, name: t.name }))),
  };
}
