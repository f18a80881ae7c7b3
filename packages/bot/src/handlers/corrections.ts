/**
 * Corrections that never cost a unit points by accident: 撤销 asks which when no task is named, says what
 * withdrawing an on-time confirmation after its due date costs and needs `撤销 N 确定`, and only the
 * confirming person, the unit's liaisons and admins may undo; 补充 (and a repeated 确认 with new links)
 * adds evidence and notes to the existing confirmation, keeping its time.
 */
import { score, shanghaiDate } from '@zwgk/sdk';
import type { SupplementCommand, TaskItem, UndoCommand } from '../commands/parse.js';
import { exportRecords } from '../export.js';
import { resubmitIfReturned } from '../review.js';
import { amendConfirmation, type Amendment } from '../store/amendments.js';
import type { StoredConfirmation } from '../store/store.js';
import type { SupplementView, UndoView } from '../templates/views.js';
import { milestoneChoices, shanghaiClock, shortLink, type MilestoneChoice } from '../views/build.js';
import { notice, unitForRecords, type HandlerContext, type Outcome } from './context.js';

function taskName(ctx: HandlerContext, no: number): string {
  return ctx.settings.plan.tasks.find((t) => t.no === no)?.name ?? ctx.t('task.fallbackName', { no });
}

/** The milestone an item names (by index or date), `undefined` when it names none, `null` when it names one that does not exist. */
export function selectedMilestone(item: TaskItem, choices: MilestoneChoice[]): MilestoneChoice | null | undefined {
  if (item.milestone !== undefined) return choices[item.milestone - 1] ?? null;
  if (item.due !== undefined) return choices.find((c) => c.due === item.due || c.writtenDue === item.due) ?? null;
  return undefined;
}

function selectorOf(ctx: HandlerContext, c: StoredConfirmation): string {
  return milestoneChoices(ctx.settings.plan, c.task).find((m) => m.due === c.due)?.selector ?? String(c.task);
}

function onTime(c: StoredConfirmation): boolean {
  return shanghaiDate(new Date(c.at)) <= c.due;
}

/** The unit's final score as of today, and what it would be were `c` confirmed again now (late). */
async function costOf(ctx: HandlerContext, unit: string, c: StoredConfirmation): Promise<{ before: string; after: string } | null> {
  const { plan, rubric } = ctx.settings;
  const asOf = shanghaiDate(ctx.now);
  const records = await exportRecords(ctx.tx, plan, { asOf });
  const options = rubric === undefined ? { asOf } : { asOf, rubric };
  const before = score(plan, records, options).units.find((u) => u.unit === unit);
  const lateAt = ctx.now.toISOString();
  const moved = { ...records, confirmations: records.confirmations.map((r) => (r.unit === unit && r.task === c.task && r.due === c.due ? { ...r, at: lateAt } : r)) };
  const after = score(plan, moved, options).units.find((u) => u.unit === unit);
  if (!before || !after) return null;
  return { before: before.final.toFixed(1), after: after.final.toFixed(1) };
}

/** Who may withdraw a confirmation: the person who made it, the unit's registered liaisons, admins. */
async function mayUndo(ctx: HandlerContext, unit: string, c: StoredConfirmation): Promise<boolean> {
  if (ctx.isAdmin) return true;
  if (c.platform === ctx.msg.platform && c.senderId === ctx.msg.senderId) return true;
  return ctx.tx.liaisons.has(unit, ctx.msg.platform, ctx.msg.senderId);
}

/** 撤销 — withdraws the unit's confirmation of each named task; a bare 撤销 lists what could be withdrawn. */
export async function handleUndo(ctx: HandlerContext<UndoCommand>): Promise<Outcome> {
  const who = await unitForRecords(ctx, 'undo');
  if ('refusal' in who) return who.refusal;
  const { unit } = who;
  const { plan } = ctx.settings;
  const active = await ctx.tx.confirmations.list({ year: plan.year, unit });

  if (ctx.command.items.length === 0) {
    if (active.length === 0) return { reply: notice('info', ctx.t('undo.none.title'), [ctx.t('undo.none.line', { unit })]), wrote: false };
    const choices = active
      .slice(-5)
      .reverse()
      .map((c) => ({ selector: selectorOf(ctx, c), task: c.task, taskName: taskName(ctx, c.task), at: shanghaiClock(c.at), sender: c.senderName, onTime: onTime(c) }));
    return { reply: { template: 'undo', view: { title: ctx.t('undo.choose.title'), mentions: [], unit, undone: [], nothing: [], choices } }, wrote: false };
  }

  const undone: UndoView['undone'] = [];
  const nothing: UndoView['nothing'] = [];
  const costly: NonNullable<UndoView['costly']> = [];
  const refused: NonNullable<UndoView['refused']> = [];
  const today = shanghaiDate(ctx.now);
  for (const item of ctx.command.items) {
    const choices = milestoneChoices(plan, item.task);
    const pick = selectedMilestone(item, choices);
    const latest = active.filter((c) => c.task === item.task && (pick == null || c.due === pick.due)).at(-1);
    if (pick === null || !latest) {
      nothing.push({ task: item.task, taskName: taskName(ctx, item.task) });
      continue;
    }
    if (!(await mayUndo(ctx, unit, latest))) {
      refused.push({ selector: selectorOf(ctx, latest), taskName: taskName(ctx, latest.task), sender: latest.senderName });
      continue;
    }
    // Withdrawing an on-time confirmation after its due date turns it late when it is confirmed again.
    if (onTime(latest) && today > latest.due && ctx.command.confirmed !== true) {
      const cost = await costOf(ctx, unit, latest);
      costly.push({ selector: selectorOf(ctx, latest), taskName: taskName(ctx, latest.task), at: shanghaiClock(latest.at), due: latest.due, ...(cost ?? {}) });
      continue;
    }
    await ctx.tx.confirmations.undo(latest.id, { actor: ctx.actor, at: ctx.now });
    const choice = choices.find((m) => m.due === latest.due);
    undone.push({ task: latest.task, taskName: taskName(ctx, latest.task), selector: choice?.selector ?? String(latest.task), due: latest.due, label: choice?.label ?? '', at: shanghaiClock(latest.at) });
    active.splice(active.indexOf(latest), 1);
  }
  const title = ctx.t(undone.length > 0 ? 'undo.title.done' : costly.length > 0 ? 'undo.title.costly' : refused.length > 0 ? 'undo.title.refused' : 'undo.none.title');
  const view: UndoView = { title, mentions: [], unit, undone, nothing, ...(costly.length ? { costly } : {}), ...(refused.length ? { refused } : {}) };
  return { reply: { template: 'undo', view }, wrote: undone.length > 0 };
}

/** Adds links or a note to the unit's confirmation of a task, keeping its time; null when there is none. */
export async function amendLatest(ctx: HandlerContext, unit: string, task: number, due: string | undefined, input: { evidence: readonly string[]; note?: string | null }): Promise<{ confirmation: StoredConfirmation; amendment: Amendment } | null> {
  const active = await ctx.tx.confirmations.list({ year: ctx.settings.plan.year, unit, task });
  const latest = active.filter((c) => due === undefined || c.due === due).at(-1);
  if (!latest) return null;
  const amendment = await amendConfirmation(ctx.tx, latest.id, input, { actor: ctx.actor, at: ctx.now });
  return amendment ? { confirmation: latest, amendment } : null;
}

/**
 * Puts the unit's returned confirmation of a milestone back in the review queue (its next 确认 or 补充).
 * Returns the note for the receipt, or null when it was not returned.
 */
export async function resubmitLatest(ctx: HandlerContext, unit: string, task: number, due: string | undefined): Promise<string | null> {
  const active = await ctx.tx.confirmations.list({ year: ctx.settings.plan.year, unit, task });
  const latest = active.filter((c) => due === undefined || c.due === due).at(-1);
  if (!latest) return null;
  const reason = await resubmitIfReturned(ctx.tx, latest, { actor: ctx.actor, at: ctx.now });
  return reason === null ? null : ctx.t('review.resubmitted', { selector: selectorOf(ctx, latest), reason });
}

/** 补充 — adds evidence links or a note to an existing confirmation; its time (and so its score) stays. */
export async function handleSupplement(ctx: HandlerContext<SupplementCommand>): Promise<Outcome> {
  const who = await unitForRecords(ctx, 'supplement');
  if ('refusal' in who) return who.refusal;
  const { unit } = who;
  const { evidence, note } = ctx.command;
  const base = { mentions: [], unit, selectors: ctx.command.items.map((i) => i.task).join('、'), sender: ctx.msg.senderName };
  if (evidence.length === 0 && note === undefined) {
    return { reply: { template: 'supplement', view: { ...base, title: ctx.t('supplement.empty.title'), results: [], links: [], empty: true } }, wrote: false };
  }
  const results: SupplementView['results'] = [];
  const links: string[] = [];
  const notes: string[] = [];
  for (const item of ctx.command.items) {
    const pick = selectedMilestone(item, milestoneChoices(ctx.settings.plan, item.task));
    const done = await amendLatest(ctx, unit, item.task, pick?.due, { evidence, note: note ?? null });
    const resubmitted = done ? await resubmitLatest(ctx, unit, item.task, done.confirmation.due) : null;
    if (resubmitted !== null) notes.push(resubmitted);
    const row = { task: item.task, selector: String(item.task), taskName: taskName(ctx, item.task), added: 0, noted: false };
    if (!done) {
      results.push({ ...row, kind: 'unconfirmed' });
      continue;
    }
    const { confirmation: c, amendment: a } = done;
    const changed = a.added.length > 0 || a.noted;
    results.push({ ...row, kind: changed ? 'added' : 'unchanged', selector: selectorOf(ctx, c), added: a.added.length, noted: a.noted, at: shanghaiClock(c.at), onTime: onTime(c) });
    if (a.added.length > 0) for (const url of a.evidence) if (!links.includes(url)) links.push(url);
  }
  const wrote = results.some((r) => r.kind === 'added') || notes.length > 0;
  const view: SupplementView = { ...base, title: ctx.t(wrote ? 'supplement.title.done' : 'supplement.title.none'), results, links: links.map((url) => ({ url, text: shortLink(url) })), empty: false, ...(notes.length ? { notes } : {}) };
  return { reply: { template: 'supplement', view }, wrote };
}
