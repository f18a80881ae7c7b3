import { score, shanghaiDate, whatIf } from '@zwgk/sdk';
import type { BindCommand, ExemptCommand, ExportCommand, LiaisonCommand, NudgeCommand, ScoresCommand, SelectCommand, UnbindCommand } from '../commands/parse.js';
import { exportRecords } from '../export.js';
import type { ScoresView } from '../templates/views.js';
import { milestoneChoices, rowView } from '../views/build.js';
import { adminOnly, answer, liaisonMentions, notice, refuse, type HandlerContext, type Outbound, type Outcome } from './context.js';
import { resolveUnitName } from './records.js';

/** The lines for a unit name not found: the likely names and the command retried with the first, or a request to check the name. */
function suggestionLines(t: HandlerContext['t'], name: string, suggestions: string[], retry: (unit: string) => string): string[] {
  const first = suggestions[0];
  return first !== undefined
    ? [t('unit.notFound.suggestLine', { name, names: suggestions.join('、') }), t('unit.retry', { command: retry(first) })]
    : [t('unit.notFound.checkLine', { name })];
}

/** 绑定 — binds this group to a unit (or makes it the admin group); without a name, shows the binding. */
export async function handleBind(ctx: HandlerContext<BindCommand>): Promise<Outcome> {
  const { command, msg, group, t } = ctx;
  if (command.target === null) {
    if (!msg.isGroup) return answer(notice('info', t('bind.private.title'), [t('bind.private.line')]));
    const line = group === null ? t('bind.state.none') : group.kind === 'admin' ? t('bind.state.admin') : t('bind.state.unit', { unit: group.unit });
    return answer(notice('info', t('bind.state.title'), [line], ctx.isAdmin ? t('bind.state.hint') : undefined));
  }
  const denied = adminOnly(ctx, 'bind');
  if (denied) return denied;
  if (!msg.isGroup) return refuse(t('bind.refused.private.title'), [t('bind.refused.private.line')]);
  const where = { platform: msg.platform, conversationId: msg.conversationId, title: msg.conversationTitle ?? null };
  const change = { actor: ctx.actor, at: ctx.now };
  if (command.admin) {
    await ctx.tx.groups.bindAdmin(where, change);
    const { digestWhen } = ctx.settings;
    const line = t('bind.admin.line', { digest: digestWhen === null ? '' : t('bind.admin.digest', { when: digestWhen }) });
    return { reply: notice('ok', t('bind.admin.title'), [line]), wrote: true };
  }
  const r = resolveUnitName(ctx, command.target);
  if ('suggestions' in r) return refuse(t('bind.refused.title'), suggestionLines(t, command.target, r.suggestions, (unit) => t('bind.retry', { unit })));
  const { previous } = await ctx.tx.groups.bindUnit({ ...where, unit: r.unit }, change);
  const snap = await ctx.snapshot();
  const tasks = new Set((snap.byUnit.get(r.unit) ?? []).map((row) => row.task)).size;
  const { digestWhen } = ctx.settings;
  const before = previous === null ? null : previous.kind === 'admin' ? t('group.adminName') : previous.unit;
  const lines = [
    t('bind.done.line', { unit: r.unit, previous: before !== null && before !== r.unit ? t('bind.done.previous', { unit: before }) : '' }),
    t('bind.done.tasks', { unit: r.unit, count: tasks, digest: digestWhen === null ? '' : t('bind.done.digest', { when: digestWhen }) }),
  ];
  return { reply: notice('ok', t('bind.done.title'), lines, t('bind.done.hint')), wrote: true };
}

/** 解绑 — removes this group's binding. */
export async function handleUnbind(ctx: HandlerContext<UnbindCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'unbind');
  if (denied) return denied;
  const removed = await ctx.tx.groups.unbind({ platform: ctx.msg.platform, conversationId: ctx.msg.conversationId }, { actor: ctx.actor, at: ctx.now });
  const { t } = ctx;
  if (!removed) return answer(notice('info', t('unbind.none.title'), []));
  return { reply: notice('ok', t('unbind.done.title'), [t('unbind.done.line')]), wrote: true };
}

/** 联络员 — lists the unit's liaisons; admins add (@某人) or remove (联络员 移除 @某人) them. */
export async function handleLiaison(ctx: HandlerContext<LiaisonCommand>): Promise<Outcome> {
  const { group, msg, t } = ctx;
  const mentioned = msg.mentions;
  const action = ctx.command.action === 'list' && mentioned.length > 0 ? 'add' : ctx.command.action;
  if (group?.kind !== 'unit') {
    return action === 'list'
      ? answer(notice('info', t('liaison.unbound.title'), [t('liaison.unbound.line')]))
      : refuse(t('liaison.refused.title'), [t('liaison.refused.line')]);
  }
  if (action === 'list') {
    const list = await ctx.tx.liaisons.list(group.unit);
    const lines = list.length > 0 ? [t('liaison.list.line', { unit: group.unit, names: list.map((l) => l.name).join('、') })] : [t('liaison.list.none', { unit: group.unit })];
    return answer(notice('info', t('liaison.list.title'), lines, ctx.isAdmin ? t('liaison.list.hint') : undefined));
  }
  const denied = adminOnly(ctx, 'liaison');
  if (denied) return denied;
  if (mentioned.length === 0) return answer({ template: 'question', view: { title: t('liaison.ask.title'), mentions: [], question: t('liaison.ask.question'), candidates: [] } });
  const change = { actor: ctx.actor, at: ctx.now };
  const done: string[] = [];
  const skipped: string[] = [];
  for (const m of mentioned) {
    const ok =
      action === 'add'
        ? await ctx.tx.liaisons.add({ unit: group.unit, platform: msg.platform, userId: m.id, name: m.name }, change)
        : await ctx.tx.liaisons.remove({ unit: group.unit, platform: msg.platform, userId: m.id }, change);
    (ok ? done : skipped).push(m.name);
  }
  const lines = [];
  if (done.length) lines.push(t(`liaison.${action}.done`, { unit: group.unit, names: done.join('、') }));
  if (skipped.length) lines.push(t(`liaison.${action}.skipped`, { names: skipped.join('、') }));
  return { reply: notice(done.length ? 'ok' : 'info', t(`liaison.${action}.title`), lines), wrote: done.length > 0 };
}

/** 催办 — posts a reminder to every bound group of every unit with the task still open, @-mentioning its liaisons. */
export async function handleNudge(ctx: HandlerContext<NudgeCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'nudge');
  if (denied) return denied;
  const { t } = ctx;
  const snap = await ctx.snapshot();
  const outbound: Outbound[] = [];
  const lines: string[] = [];
  const nudged: Array<{ task: number; units: string[]; unbound: string[] }> = [];
  for (const task of ctx.command.tasks) {
    const open = (snap.byTask.get(task) ?? []).filter((r) => r.status === 'overdue' || r.status === 'due_soon' || r.status === 'upcoming');
    const name = ctx.settings.plan.tasks.find((x) => x.no === task)?.name ?? t('task.fallbackName', { no: task });
    const units = [...new Set(open.map((r) => r.unit))];
    const reached: string[] = [];
    const unbound: string[] = [];
    for (const unit of units) {
      const groups = (await ctx.tx.groups.ofUnit(unit)).filter((g) => ctx.settings.adapters.has(g.platform));
      if (groups.length === 0) {
        unbound.push(unit);
        continue;
      }
      reached.push(unit);
      const rows = open.filter((r) => r.unit === unit).map((r) => rowView(r, snap));
      for (const g of groups) {
        const mentions = await liaisonMentions(ctx.tx, unit, g.platform);
        outbound.push({
          platform: g.platform,
          conversationId: g.conversationId,
          reply: { template: 'nudge', view: { title: t('nudge.message.title', { no: task, name }), mentions, unit, task, taskName: name, rows, from: t('nudge.from') } },
        });
      }
    }
    nudged.push({ task, units: reached, unbound });
    if (units.length === 0) lines.push(t('nudge.none', { no: task, name }));
    else {
      lines.push(t('nudge.sent', { no: task, name, count: reached.length, units: reached.length ? t('note.parenthesised', { note: reached.join('、') }) : '' }));
      if (unbound.length) lines.push(t('nudge.unbound', { units: unbound.join('、') }));
    }
  }
  const sent = outbound.length > 0;
  if (sent) await ctx.tx.audit.append('nudge', { tasks: ctx.command.tasks, nudged }, { actor: ctx.actor, at: ctx.now });
  return { reply: notice(sent ? 'ok' : 'info', sent ? t('nudge.title.sent') : t('nudge.title.none'), lines), wrote: sent, outbound };
}

/** 豁免 — exempts one or several units (郭道镇、沁河镇) from a task (or one milestone of it): all or none, each in the audit log. */
export async function handleExempt(ctx: HandlerContext<ExemptCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'exempt');
  if (denied) return denied;
  const { t } = ctx;
  const { plan } = ctx.settings;
  const written = ctx.command.units?.length ? ctx.command.units : [ctx.command.unit];
  const units: string[] = [];
  for (const name of written) {
    const r = resolveUnitName(ctx, name);
    if ('suggestions' in r) {
      const task = ctx.command.items[0]?.task ?? 4;
      return refuse(t('exempt.refused.title'), [...suggestionLines(t, name, r.suggestions, (unit) => t('exempt.retry', { task, unit })), t('notRecorded.fix')]);
    }
    if (!units.includes(r.unit)) units.push(r.unit);
  }
  const snap = await ctx.snapshot();
  const lines: string[] = [];
  const problems: string[] = [];
  const granted: Array<{ unit: string; task: number; due: string | null }> = [];
  const already: string[] = [];
  for (const unit of units) {
    const inForce = await ctx.tx.exemptions.list({ year: plan.year, unit });
    for (const item of ctx.command.items) {
      const name = plan.tasks.find((x) => x.no === item.task)?.name ?? t('task.fallbackName', { no: item.task });
      if (!(snap.byUnit.get(unit) ?? []).some((row) => row.task === item.task)) {
        problems.push(t('exempt.notAssigned', { unit, task: item.task, name }));
        continue;
      }
      const choices = milestoneChoices(plan, item.task);
      let due: string | null = null;
      if (item.milestone !== undefined || item.due !== undefined) {
        const choice = item.milestone !== undefined ? choices[item.milestone - 1] : choices.find((c) => c.due === item.due || c.writtenDue === item.due);
        if (!choice) {
          problems.push(t('exempt.noMilestone', { task: item.task, choices: choices.map((c) => t('milestone.choice', { selector: c.selector, due: c.due })).join('、') }));
          continue;
        }
        due = choice.due;
      }
      const label = t('exempt.label', { unit, task: item.task, name, milestone: due ? t('exempt.label.milestone', { due }) : '' });
      // An identical exemption in force (same task, unit and milestone) is a repeat: keep the first one.
      if (inForce.some((e) => e.task === item.task && (e.due ?? null) === due) || granted.some((g) => g.unit === unit && g.task === item.task && g.due === due)) {
        already.push(t('exempt.already.line', { label }));
        continue;
      }
      granted.push({ unit, task: item.task, due });
      // Exempting work the unit already reported done drops that milestone from its score: say so, since
      // the office may have meant another unit or task.
      const completed = (snap.byUnit.get(unit) ?? []).filter((row) => row.task === item.task && (due === null || row.due === due) && (row.status === 'done' || row.status === 'done_late'));
      const confirmedOn = completed.map((row) => row.confirmedAt?.slice(0, 10)).filter((d): d is string => d !== undefined);
      lines.push(
        completed.length > 0
          ? t('exempt.done.confirmedLine', { label, dates: [...new Set(confirmedOn)].join('、') })
          : t('exempt.done.line', { label }),
      );
    }
  }
  if (problems.length > 0) return refuse(t('exempt.refused.title'), [...problems, t('notRecorded.fix')]);
  if (granted.length === 0) return answer(notice('info', t('exempt.already.title'), already));
  lines.push(...already);
  for (const g of granted) {
    await ctx.tx.exemptions.add({ year: plan.year, task: g.task, unit: g.unit, due: g.due, reason: ctx.command.reason }, { actor: ctx.actor, at: ctx.now });
  }
  return { reply: notice('ok', t('exempt.done.title'), [...lines, t('exempt.reason', { reason: ctx.command.reason })]), wrote: true };
}

/** 入选 — marks a highlight selected. */
export async function handleSelect(ctx: HandlerContext<SelectCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'select');
  if (denied) return denied;
  const { t } = ctx;
  const id = ctx.command.highlight;
  const h = await ctx.tx.highlights.get(id);
  if (!h) return refuse(t('select.notFound.title', { id }), [t('select.notFound.line')]);
  if (h.status === 'selected') return answer(notice('info', t('select.already.title'), [t('select.already.line', { id, title: h.title, unit: h.unit })]));
  await ctx.tx.highlights.select(id, { actor: ctx.actor, at: ctx.now });
  return { reply: notice('ok', t('select.done.title'), [t('select.done.line', { id, title: h.title, unit: h.unit })]), wrote: true };
}

function milestonesWith(milestones: ReadonlyArray<{ task: number; due: string; status: string }>, status: string): Array<{ task: number; due: string }> {
  return milestones
    .filter((m) => m.status === status)
    .map((m) => ({ task: m.task, due: m.due }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.task - b.task));
}

/** Why a unit is not ranked, or its rank, as the 考核 reply says it. */
function placeText(t: HandlerContext['t'], u: { rank: number | null; unranked?: 'assessor' | 'vertical' }): string {
  if (u.rank !== null) return t('scores.rank', { rank: u.rank });
  return u.unranked === 'vertical' ? t('scores.unranked.vertical') : t('scores.unranked.assessor');
}

function one(n: number): string {
  return n.toFixed(1);
}

/** 考核 — the county assessment as of today (default rubric unless configured), or one unit's detail. */
export async function handleScores(ctx: HandlerContext<ScoresCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'scores');
  if (denied) return denied;
  const { t } = ctx;
  const { plan, rubric } = ctx.settings;
  const asOf = shanghaiDate(ctx.now);
  const records = await exportRecords(ctx.tx, plan, { asOf });
  const assessment = score(plan, records, rubric === undefined ? { asOf } : { asOf, rubric });
  const groupName = (key: string) => assessment.rubric.groups[key]?.label ?? (key === 'vertical' ? assessment.rubric.vertical.label : key);
  const groups: ScoresView['groups'] = [];
  // The assessment lists units group by group, in the rubric's order (垂管单位组 last).
  for (const key of new Set(assessment.units.map((u) => u.group))) {
    const units = assessment.units.filter((u) => u.group === key);
    groups.push({
      name: groupName(key),
      units: units.map((u) => ({ rank: u.rank, placeText: placeText(t, u), unit: u.unit, final: one(u.final), grade: u.grade, completion: one(u.completion), briefing: one(u.briefing), bonus: one(u.bonus), deductions: one(u.deductions) })),
    });
  }
  const view: ScoresView = { title: t('scores.title'), mentions: [], asOf, groups };
  // Before the year ends only milestones already due count, so a unit with nothing due yet shows full marks.
  // Milestones due on 12-31 can still be confirmed on time that day: the year is settled only after it.
  const estimate = asOf <= `${plan.year}-12-31`;
  if (estimate) {
    view.title = t('scores.title.estimate');
    view.estimateAsOf = asOf.slice(5);
  }
  const target = ctx.command.target;
  if (target !== undefined) {
    const r = resolveUnitName(ctx, target);
    if ('suggestions' in r) return answer(notice('info', t('unit.notFound.title', { name: target }), r.suggestions.length ? [t('unit.suggest', { names: r.suggestions.join('、') })] : []));
    const u = assessment.units.find((x) => x.unit === r.unit);
    if (!u) return answer(notice('info', t('scores.notScored.title', { unit: r.unit }), []));
    view.title = t(estimate ? 'scores.unit.title.estimate' : 'scores.unit.title', { unit: u.unit });
    view.detail = {
      unit: u.unit,
      final: one(u.final),
      grade: u.grade,
      rank: u.rank,
      placeText: u.rank === null ? placeText(t, u) : t('scores.rankInGroup', { rank: u.rank }),
      completion: one(u.completion),
      briefing: one(u.briefing),
      bonus: one(u.bonus),
      deductions: one(u.deductions),
      overdue: milestonesWith(u.detail.milestones, 'overdue'),
      late: milestonesWith(u.detail.milestones, 'late'),
    };
    if (estimate) {
      const best = whatIf(plan, records, rubric === undefined ? { asOf } : { asOf, rubric }).units.find((x) => x.unit === u.unit);
      if (best) view.detail.best = { final: one(best.final), grade: best.grade };
    }
  }
  return answer({ template: 'scores', view });
}

/** 导出 — the plan year's records: as a JSON file where the platform takes files, and a summary. */
export async function handleExport(ctx: HandlerContext<ExportCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'export');
  if (denied) return denied;
  const { t } = ctx;
  const { plan } = ctx.settings;
  const asOf = shanghaiDate(ctx.now);
  const records = await exportRecords(ctx.tx, plan, { asOf });
  const lines = [
    t('export.summary', {
      year: plan.year,
      asOf,
      confirmations: records.confirmations.length,
      briefings: records.briefings.length,
      highlights: records.highlights.length,
      exemptions: records.exemptions.length,
      deductions: records.deductions.length,
      carryover: records.carryover.length,
    }),
  ];
  const adapter = ctx.settings.adapters.get(ctx.msg.platform);
  const report = t('export.report');
  if (!adapter?.sendFile) return answer(notice('info', t('export.title'), [...lines, t('export.noFiles')], report));
  const filename = `zwgk-records-${plan.year}-${asOf}.json`;
  const conversationId = ctx.msg.conversationId;
  const content = `${JSON.stringify(records, null, 2)}\n`;
  return {
    reply: notice('info', t('export.title'), [...lines, t('export.file', { filename })], report),
    wrote: false,
    after: async () => {
      await adapter.sendFile?.(conversationId, { filename, mimeType: 'application/json', content });
    },
  };
}
