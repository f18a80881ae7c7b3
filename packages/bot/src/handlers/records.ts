import { directoryOf, shanghaiDate, type StatusRow } from '@zwgk/sdk';
import type { BriefingCommand, ConfirmCommand, HighlightCommand } from '../commands/parse.js';
import { isBareReport } from '../commands/natural.js';
import { setClaimedDate } from '../store/amendments.js';
import type { ConfirmResultView } from '../templates/views.js';
import { daysBetween, milestoneChoices, shanghaiClock, shortLink, type MilestoneChoice } from '../views/build.js';
import { unitTaskRows } from '../views/unit-rows.js';
import { amendLatest, resubmitLatest, selectedMilestone as selected } from './corrections.js';
import { notice, refuse, unitForRecords, type HandlerContext, type Outcome } from './context.js';

function taskName(ctx: HandlerContext, no: number): string {
  return ctx.settings.plan.tasks.find((t) => t.no === no)?.name ?? ctx.t('task.fallbackName', { no });
}

function options(choices: MilestoneChoice[], rows: StatusRow[]): NonNullable<ConfirmResultView['options']> {
  return choices.map((c) => {
    const row = rows.find((r) => r.due === c.due);
    return { selector: c.selector, due: c.due, label: c.label, done: row?.status === 'done' || row?.status === 'done_late' };
  });
}

/** 确认 — records each named milestone for the group's unit, or says why not. */
export async function handleConfirm(ctx: HandlerContext<ConfirmCommand>): Promise<Outcome> {
  const who = await unitForRecords(ctx, 'confirm');
  if ('refusal' in who) return who.refusal;
  const { unit } = who;
  const { plan } = ctx.settings;
  // Only this unit's rows of the named tasks: a receipt needs nothing county-wide.
  const { calendar, horizonDays } = ctx.settings;
  const unitRows = await unitTaskRows(ctx.tx, { plan, unit, tasks: ctx.command.items.map((i) => i.task), now: ctx.now, calendar, horizonDays });
  const today = shanghaiDate(ctx.now);
  const results: ConfirmResultView[] = [];
  const notes: string[] = [];
  const recordedSelectors: string[] = [];
  let amendedCount = 0;
  let resubmittedCount = 0;

  for (const item of ctx.command.items) {
    const name = taskName(ctx, item.task);
    const choices = milestoneChoices(plan, item.task);
    const rows = unitRows.filter((r) => r.task === item.task);
    const base = { task: item.task, taskName: name, selector: String(item.task) };
    if (rows.length === 0 || choices.length === 0) {
      results.push({ ...base, kind: 'not_assigned' });
      continue;
    }
    const pick = selected(item, choices);
    if (pick === null) {
      results.push({ ...base, kind: 'no_milestone', options: options(choices, rows) });
      continue;
    }
    let choice = pick;
    if (choice === undefined) {
      const open = choices.filter((c) => {
        const status = rows.find((r) => r.due === c.due)?.status;
        return status !== 'done' && status !== 'done_late' && status !== 'exempt';
      });
      if (open.length > 1) {
        results.push({ ...base, kind: 'choose', options: options(choices, rows) });
        continue;
      }
      // One open milestone, or none: then report on the first (already confirmed or exempt).
      choice = open[0] ?? choices[0];
    }
    if (!choice) continue;
    const row = rows.find((r) => r.due === choice.due);
    const detail = { ...base, selector: choice.selector, due: choice.due, label: choice.label };
    if (!row || row.status === 'exempt') {
      results.push({ ...detail, kind: 'exempt' });
      continue;
    }
    if (row.status === 'done' || row.status === 'done_late') {
      const at = row.confirmedAt === undefined ? {} : { at: shanghaiClock(row.confirmedAt) };
      // A repeated 确认 with new links or a note adds them to the earlier confirmation, which keeps its time.
      // “确认 4 已完成” sent again adds nothing; a real note or a new link is kept.
      const note = ctx.command.note !== undefined && !isBareReport(ctx.command.note) ? ctx.command.note : null;
      const extra = ctx.command.evidence.length > 0 || note !== null;
      const amended = extra ? await amendLatest(ctx, unit, item.task, choice.due, { evidence: ctx.command.evidence, note }) : null;
      const added = amended?.amendment.added.length ?? 0;
      const noted = amended?.amendment.noted ?? false;
      const resubmitted = await resubmitLatest(ctx, unit, item.task, choice.due);
      if (resubmitted !== null) {
        notes.push(resubmitted);
        resubmittedCount++;
      }
      if (added > 0 || noted || resubmitted !== null) amendedCount++;
      results.push({ ...detail, ...at, kind: 'already', onTime: row.status === 'done', ...(added > 0 ? { added } : {}), ...(noted ? { noted } : {}) });
      continue;
    }
    const id = await ctx.tx.confirmations.add(
      {
        year: plan.year,
        unit,
        task: item.task,
        due: choice.due,
        at: ctx.now,
        platform: ctx.msg.platform,
        conversationId: ctx.msg.conversationId,
        senderId: ctx.msg.senderId,
        senderName: ctx.msg.senderName,
        messageId: ctx.msg.messageId,
        evidence: ctx.command.evidence,
        note: ctx.command.note ?? null,
      },
      { actor: ctx.actor, at: ctx.now },
    );
    const { claimedDate } = ctx.command;
    if (claimedDate !== undefined) await setClaimedDate(ctx.tx, id, claimedDate, { actor: ctx.actor, at: ctx.now });
    // Mark it done so a second item naming the same milestone in this message reports it as confirmed.
    row.status = today <= choice.due ? 'done' : 'done_late';
    row.confirmedAt = ctx.now.toISOString();
    const late = daysBetween(choice.due, today);
    results.push({ ...detail, kind: 'recorded', onTime: late <= 0, daysLate: Math.max(0, late), at: shanghaiClock(ctx.now), ...(claimedDate === undefined ? {} : { claimedDate }) });
    recordedSelectors.push(choice.selector);
  }

  const special = ctx.settings.rubric?.tasks ?? { briefing: 32, highlight: 31 };
  if (ctx.command.items.some((i) => i.task === special.briefing)) notes.push(ctx.t('confirm.note.briefing', { task: special.briefing }));
  if (ctx.command.items.some((i) => i.task === special.highlight)) notes.push(ctx.t('confirm.note.highlight', { task: special.highlight }));
  const recorded = recordedSelectors.length;
  // A note or links are kept only with a record: a receipt that writes nothing must not look as if they were.
  // Resending is advice only when something needs correcting (a milestone to choose, a task not the unit's):
  // a task already confirmed has nothing to correct, and its new links were added above.
  const correctable = results.some((r) => r.kind === 'choose' || r.kind === 'no_milestone' || r.kind === 'not_assigned');
  if (recorded === 0 && amendedCount === 0 && correctable && (ctx.command.note !== undefined || ctx.command.evidence.length > 0)) {
    notes.push(ctx.t('confirm.note.nothingSaved'));
  }
  const kept = recorded > 0 || amendedCount > 0;
  const view = {
    title: recorded > 0 ? ctx.t('confirm.title.recorded') : resubmittedCount > 0 ? ctx.t('review.resubmitted.title') : amendedCount > 0 ? ctx.t('confirm.title.amended') : ctx.t('confirm.title.none'),
    mentions: [],
    unit,
    results,
    recorded,
    evidence: kept ? ctx.command.evidence : [],
    links: kept ? ctx.command.evidence.map((url) => ({ url, text: shortLink(url) })) : [],
    sender: ctx.msg.senderName,
    undoHint: ctx.t('confirm.undoHint', { selectors: recordedSelectors.join('、') }),
    ...(recordedSelectors.length > 0 ? { selectors: recordedSelectors.join('、') } : {}),
    notes,
    ...(ctx.command.note === undefined || !kept ? {} : { note: ctx.command.note }),
  };
  return { reply: { template: 'confirm', view }, wrote: recorded > 0 || amendedCount > 0 };
}

/** 汇报 — records a leader briefing (task 32) for the group's unit. */
export async function handleBriefing(ctx: HandlerContext<BriefingCommand>): Promise<Outcome> {
  const who = await unitForRecords(ctx, 'briefing');
  if ('refusal' in who) return who.refusal;
  const { unit } = who;
  const { plan } = ctx.settings;
  const { date } = ctx.command;
  const today = shanghaiDate(ctx.now);
  if (!date.startsWith(`${plan.year}-`)) {
    return refuse(ctx.t('briefing.outOfYear.title'), [ctx.t('briefing.outOfYear.line', { date, year: plan.year })], ctx.t('briefing.outOfYear.hint', { year: plan.year }));
  }
  if (date > today) return refuse(ctx.t('briefing.future.title'), [ctx.t('briefing.future.line', { date })]);
  const note = ctx.command.note ?? null;
  const earlier = await ctx.tx.briefings.list({ year: plan.year, unit });
  // One briefing a day is what the assessment can use; a second entry for the same day is a repeat, not news.
  const same = earlier.find((b) => b.date === date);
  if (same) {
    const lines = [ctx.t('briefing.same.line', { unit, date, note: same.note ? ctx.t('note.parenthesised', { note: same.note }) : '' }), ctx.t('briefing.count', { count: earlier.length })];
    return { reply: notice('info', ctx.t('briefing.same.title'), lines, ctx.t('briefing.same.hint')), wrote: false };
  }
  await ctx.tx.briefings.add({ year: plan.year, unit, date, note, conversationId: ctx.msg.conversationId }, { actor: ctx.actor, at: ctx.now });
  const count = (await ctx.tx.briefings.list({ year: plan.year, unit })).length;
  const lines = [ctx.t('briefing.recorded.line', { unit, date, note: note ? ctx.t('note.parenthesised', { note }) : '' }), ctx.t('briefing.count', { count })];
  return { reply: notice('ok', ctx.t('briefing.recorded.title'), lines, ctx.t('recorder', { sender: ctx.msg.senderName })), wrote: true };
}

/** 亮点 — records a 亮点工程 entry (task 31) as submitted, and tells its number. */
export async function handleHighlight(ctx: HandlerContext<HighlightCommand>): Promise<Outcome> {
  const who = await unitForRecords(ctx, 'highlight');
  if ('refusal' in who) return who.refusal;
  const { unit } = who;
  const { plan } = ctx.settings;
  // The same title from the same unit is a resend (a new message id), not a second highlight.
  const same = (await ctx.tx.highlights.list({ year: plan.year, unit })).find((h) => h.title === ctx.command.title);
  if (same) {
    const lines = [ctx.t('highlight.same.line', { unit, id: same.id, title: same.title })];
    return { reply: notice('info', ctx.t('highlight.same.title'), lines, ctx.t('highlight.same.hint')), wrote: false };
  }
  const id = await ctx.tx.highlights.add(
    { year: plan.year, unit, title: ctx.command.title, evidence: ctx.command.evidence, conversationId: ctx.msg.conversationId },
    { actor: ctx.actor, at: ctx.now },
  );
  const lines = [ctx.t('highlight.recorded.line', { unit, id, title: ctx.command.title })];
  if (ctx.command.evidence.length > 0) lines.push(ctx.t('highlight.evidence', { count: ctx.command.evidence.length }));
  return { reply: notice('ok', ctx.t('highlight.recorded.title'), lines, ctx.t('highlight.recorded.hint', { id })), wrote: true };
}

/** Resolves a unit name through the plan's directory; a failure carries the closest names. */
export function resolveUnitName(ctx: HandlerContext, name: string): { unit: string } | { suggestions: string[] } {
  const r = directoryOf(ctx.settings.plan).resolve(name);
  return r.success ? { unit: r.data.name } : { suggestions: r.error.suggestions };
}
