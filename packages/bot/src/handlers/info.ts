import type { DigestCommand, HelpCommand, StatusCommand } from '../commands/parse.js';
import { adminDigestView, unitDigestView } from '../digest/views.js';
import { reviewCounts } from '../review.js';
import type { StatusTaskView, StatusUnitView } from '../templates/views.js';
import type { Texts } from '../templates/render.js';
import { leadSummaries, progressOf, rowView, unitSections, type Snapshot } from '../views/build.js';
import { answer, notice, type HandlerContext, type Outcome, type Reply } from './context.js';
import { resolveUnitName } from './records.js';

/** 帮助 (and the answer to anything unrecognised). */
export function helpReply(ctx: HandlerContext, topic?: string): Reply {
  const { group } = ctx;
  const view = {
    title: ctx.t('help.title'),
    mentions: [],
    admin: ctx.isAdmin,
    adminGroup: group?.kind === 'admin',
    ...(group?.kind === 'unit' ? { unit: group.unit } : {}),
    ...(topic === undefined ? {} : { topic }),
  };
  return { template: 'help', view };
}

export async function handleHelp(ctx: HandlerContext<HelpCommand>): Promise<Outcome> {
  return answer(helpReply(ctx, ctx.command.topic));
}

async function boundUnits(ctx: HandlerContext): Promise<Set<string>> {
  return new Set((await ctx.tx.groups.list()).flatMap((g) => (g.kind === 'unit' ? [g.unit] : [])));
}

function unitStatusView(ctx: HandlerContext, unit: string, snap: Snapshot): StatusUnitView {
  const s = unitSections(unit, snap);
  return {
    title: ctx.t('status.unit.title', { unit }),
    mentions: [],
    unit,
    asOf: snap.today,
    progress: s.progress,
    overdue: s.overdue,
    dueSoon: s.dueSoon,
    ongoing: s.ongoing,
    upcoming: s.upcoming,
    done: s.done,
    exempt: s.exempt,
    leads: leadSummaries(unit, snap),
  };
}

function taskStatusView(ctx: HandlerContext, task: number, snap: Snapshot, scope: 'all' | 'own', unit?: string): StatusTaskView {
  const all = snap.byTask.get(task) ?? [];
  const rows = scope === 'all' ? all : all.filter((r) => r.unit === unit);
  const name = snap.plan.tasks.find((t) => t.no === task)?.name ?? ctx.t('task.fallbackName', { no: task });
  return {
    title: ctx.t('status.task.title', { no: task, name }),
    mentions: [],
    task,
    taskName: name,
    asOf: snap.today,
    scope,
    leadUnits: [...new Set(all.filter((r) => r.role === 'lead').map((r) => r.unit))],
    rows: rows.map((r) => rowView(r, snap)),
    progress: progressOf(rows),
  };
}

/** A task named by (part of) its name, when exactly one matches. */
function taskByName(ctx: HandlerContext, text: string): number | null {
  const key = text.replace(/\s/gu, '');
  const hits = ctx.settings.plan.tasks.filter((t) => t.name.replace(/\s/gu, '').includes(key));
  return hits.length === 1 ? (hits[0]?.no ?? null) : null;
}

/**
 * The refusal when a unit group names another unit (本周 郭道镇 in 沁河镇's group): a unit group sees its
 * own unit; registered admins may name any.
 */
function otherUnitRefusal(ctx: HandlerContext, unit: string, action: 'digest' | 'status', extra = ''): Outcome {
  const { t } = ctx;
  const what = t(`what.${action}`);
  const own = ctx.group?.kind === 'unit' ? ctx.group.unit : undefined;
  const where = ctx.group?.kind === 'admin' ? t('otherUnit.adminGroup', { unit, what }) : own === undefined ? t('otherUnit.unbound') : t('otherUnit.otherGroup', { own, unit, what });
  return answer(notice('refused', t('otherUnit.title', { what }), [`${where}${extra}`], t('otherUnit.hint')));
}

/**
 * The answer to 进度/本周 where no unit is bound. A private chat cannot be bound (绑定 is refused there), so
 * it must not suggest binding: admins name the unit, everyone else asks in their unit's group.
 */
function noUnitHere(ctx: HandlerContext, adminHint?: string): Reply {
  if (!ctx.msg.isGroup) {
    return ctx.isAdmin
      ? notice('info', ctx.t('noUnit.adminPrivate.title'), [ctx.t('noUnit.adminPrivate.line')])
      : notice('info', ctx.t('noUnit.private.title'), [ctx.t('noUnit.private.line')]);
  }
  return notice('info', ctx.t('noUnit.unbound.title'), [ctx.t('noUnit.unbound.line')], ctx.isAdmin ? adminHint : undefined);
}

/** 本周 — this week's digest of the group's unit (admins: of any unit; in the admin group: the county). */
export async function handleDigest(ctx: HandlerContext<DigestCommand>): Promise<Outcome> {
  const { calendar, horizonDays } = ctx.settings;
  const snap = await ctx.snapshot();
  const target = ctx.command.target;
  if (target !== undefined) {
    // Naming a unit is for registered admins only: membership of the admin group is not enough (docs/bot.md).
    const privileged = ctx.isAdmin;
    const r = resolveUnitName(ctx, target);
    if ('suggestions' in r) {
      const usage = ctx.t(privileged ? 'digest.usage.admin' : 'digest.usage');
      return answer(notice('info', ctx.t('unit.notFound.title', { name: target }), [...(r.suggestions.length ? [ctx.t('unit.suggest', { names: r.suggestions.join('、') })] : []), usage]));
    }
    const own = ctx.group?.kind === 'unit' ? ctx.group.unit : undefined;
    if (!privileged && r.unit !== own) return otherUnitRefusal(ctx, r.unit, 'digest');
    return answer({ template: 'digest-unit', view: unitDigestView(r.unit, snap, calendar, horizonDays, [], ctx.t('digest.unit.title', { unit: r.unit })) });
  }
  if (ctx.group?.kind === 'unit') {
    return answer({ template: 'digest-unit', view: unitDigestView(ctx.group.unit, snap, calendar, horizonDays, [], ctx.t('digest.unit.title', { unit: ctx.group.unit })) });
  }
  if (ctx.group?.kind === 'admin') {
    return answer({ template: 'digest-admin', view: adminDigestView(snap, calendar, horizonDays, await boundUnits(ctx), ctx.t('digest.admin.title')) });
  }
  return answer(noUnitHere(ctx, ctx.t('digest.adminHint')));
}

/**
 * The review (复核) state counts of the unit (or the county), in words, for 进度: shown once the office has
 * reviewed anything, and always when the rubric requires review (then only 通过 counts).
 */
async function reviewLine(ctx: HandlerContext, unit?: string): Promise<string | undefined> {
  const counts = await reviewCounts(ctx.tx, ctx.settings.plan, unit === undefined ? {} : { unit });
  const required = ctx.settings.rubric?.review.required === true;
  const reviewed = (await ctx.tx.reviews.list({ year: ctx.settings.plan.year, ...(unit === undefined ? {} : { unit }) })).length > 0;
  if (!required && !reviewed) return undefined;
  if (counts.pending + counts.accepted + counts.returned === 0) return undefined;
  return reviewWords(ctx.t, counts, required);
}

/** Review state counts in the catalogue's words (`review.counts`, plus `review.countsRequired` when only 通过 counts). */
export function reviewWords(texts: Texts, counts: { pending: number; accepted: number; returned: number }, required: boolean): string {
  return texts('review.counts', counts) + (required ? texts('review.countsRequired') : '');
}

async function unitStatusReply(ctx: HandlerContext, unit: string, snap: Snapshot): Promise<Outcome> {
  const view = unitStatusView(ctx, unit, snap);
  const line = await reviewLine(ctx, unit);
  return answer({ template: 'status-unit', view: line === undefined ? view : { ...view, reviewLine: line } });
}

/**
 * 进度 — the unit's progress (a lead unit also sees every unit on its tasks); `进度 4` one task (every
 * unit when the unit leads it, or for admins); admins may name any unit; the admin group gets the county.
 */
export async function handleStatus(ctx: HandlerContext<StatusCommand>): Promise<Outcome> {
  const snap = await ctx.snapshot();
  const { calendar, horizonDays } = ctx.settings;
  const { task, target } = ctx.command;
  // Another unit's progress, or every unit's on a task, is for registered admins only (docs/bot.md); the
  // admin group's members still get the county overview from a bare 进度.
  const privileged = ctx.isAdmin;
  const ownUnit = ctx.group?.kind === 'unit' ? ctx.group.unit : undefined;

  let taskNo = task;
  if (taskNo === undefined && target !== undefined) {
    const unit = resolveUnitName(ctx, target);
    if ('unit' in unit) {
      if (privileged || unit.unit === ownUnit) return unitStatusReply(ctx, unit.unit, snap);
      return otherUnitRefusal(ctx, unit.unit, 'status', ownUnit === undefined ? '' : ctx.t('otherUnit.leadHint'));
    }
    const named = taskByName(ctx, target);
    if (named === null) {
      const hint = unit.suggestions.length ? [ctx.t('status.notFound.suggest', { names: unit.suggestions.join('、') })] : [];
      return answer(notice('info', ctx.t('status.notFound.title', { name: target }), [...hint, ctx.t('status.usage')]));
    }
    taskNo = named;
  }

  if (taskNo !== undefined) {
    if (privileged) return answer({ template: 'status-task', view: taskStatusView(ctx, taskNo, snap, 'all') });
    if (ownUnit === undefined) return answer(noUnitHere(ctx));
    const own = (snap.byTask.get(taskNo) ?? []).filter((r) => r.unit === ownUnit);
    if (own.length === 0) return answer(notice('info', ctx.t('status.notAssigned.title', { unit: ownUnit, task: taskNo }), []));
    const leads = own.some((r) => r.role === 'lead');
    return answer({ template: 'status-task', view: taskStatusView(ctx, taskNo, snap, leads ? 'all' : 'own', ownUnit) });
  }

  if (ownUnit !== undefined) return unitStatusReply(ctx, ownUnit, snap);
  if (ctx.group?.kind === 'admin') {
    const units = new Set((await ctx.tx.groups.list()).flatMap((g) => (g.kind === 'unit' ? [g.unit] : [])));
    const view = adminDigestView(snap, calendar, horizonDays, units, ctx.t('status.county.title'));
    const line = await reviewLine(ctx);
    return answer({ template: 'digest-admin', view: line === undefined ? view : { ...view, reviewLine: line } });
  }
  return answer(noUnitHere(ctx, ctx.t('status.adminHint')));
}
