/**
 * Questions people ask in their own words: what a task requires (content, responsible units, due dates,
 * this unit's status), and for the office which units still have task N open (with the 催办 command).
 */
import type { DetailCommand, StatusCommand } from '../commands/parse.js';
import { milestoneChoices } from '../views/build.js';
import type { OpenUnitsView, TaskDetailView } from '../templates/views.js';
import { answer, notice, type HandlerContext, type Outcome } from './context.js';
import { handleStatus } from './info.js';

/** 任务详情 N / 第N项要求是什么 — the task's content, units and due dates, and this unit's status. */
export async function handleDetail(ctx: HandlerContext<DetailCommand>): Promise<Outcome> {
  const { plan } = ctx.settings;
  const task = plan.tasks.find((t) => t.no === ctx.command.task);
  if (!task) return answer(notice('info', ctx.t('detail.noTask.title', { task: ctx.command.task }), [ctx.t('detail.noTask.line', { count: plan.tasks.length })]));
  const view: TaskDetailView = {
    title: ctx.t('task.title', { no: task.no, name: task.name }),
    mentions: [],
    task: task.no,
    taskName: task.name,
    content: task.content.length > 300 ? `${task.content.slice(0, 300)}…` : task.content,
    responsibility: task.responsibility || task.units.map((u) => u.unit).join('、'),
    milestones: milestoneChoices(plan, task.no).map((m) => ({ selector: m.selector, due: m.due, label: m.label })),
  };
  if (ctx.group?.kind === 'unit') {
    const unit = ctx.group.unit;
    const rows = ((await ctx.snapshot()).byUnit.get(unit) ?? []).filter((r) => r.task === task.no);
    const first = rows[0];
    if (!first) Object.assign(view, { unit, notAssigned: true });
    else Object.assign(view, { unit, role: first.role, rows: rows.map((r) => ({ due: r.due, status: r.status })) });
  }
  return answer({ template: 'task-detail', view });
}

/** 进度, and `第N项哪些单位还没完成`: for admins and the admin group, the units with task N still open. */
export async function handleStatusQuestion(ctx: HandlerContext<StatusCommand>): Promise<Outcome> {
  const { task, openOnly } = ctx.command;
  const privileged = ctx.isAdmin || ctx.group?.kind === 'admin';
  if (!openOnly || task === undefined || !privileged) return handleStatus(ctx);
  const snap = await ctx.snapshot();
  const taskName = ctx.settings.plan.tasks.find((t) => t.no === task)?.name ?? ctx.t('task.fallbackName', { no: task });
  const rows = (snap.byTask.get(task) ?? []).filter((r) => r.status !== 'done' && r.status !== 'done_late' && r.status !== 'exempt');
  const overdue = new Set(rows.filter((r) => r.status === 'overdue').map((r) => r.unit));
  const units = [...new Set(rows.map((r) => r.unit))].map((unit) => ({ unit, overdue: overdue.has(unit) }));
  const view: OpenUnitsView = { title: ctx.t('openUnits.title', { no: task, name: taskName }), mentions: [], task, taskName, units };
  return answer({ template: 'open-units', view });
}
