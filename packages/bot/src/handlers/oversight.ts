/**
 * The office's oversight commands: deductions (扣分, 撤销扣分), rectification items (整改, 已整改, 复查通过,
 * 复查不通过) and evidence re-checks (核查链接). Wording comes from the text catalogue.
 */
import { addDays, shanghaiDate } from '@zwgk/sdk';
import type { DeductCommand, RecheckCommand, RectifiedCommand, RectifyCommand, ReopenCommand, UndeductCommand, VerifyCommand } from '../commands/parse.js';
import type { RectificationRefusal, StoredRectification } from '../store/store.js';
import { adminOnly, answer, notice, refuse, type HandlerContext, type Outbound, type Outcome, type Reply } from './context.js';
import { resolveUnitName } from './records.js';

function unitOrRefusal(ctx: HandlerContext, name: string): { unit: string } | { refusal: Outcome } {
  const r = resolveUnitName(ctx, name);
  if ('unit' in r) return r;
  const t = ctx.settings.texts;
  const lines = r.suggestions.length > 0 ? [t('unit.notFound.suggestLine', { name, names: r.suggestions.join('、') })] : [t('unit.notFound.checkLine', { name })];
  return { refusal: refuse(ctx.settings.texts('rectification.refused.title'), lines) };
}

/** Messages to every group bound to `unit` (after commit). */
async function toUnitGroups(ctx: HandlerContext, unit: string, reply: Reply): Promise<Outbound[]> {
  return (await ctx.tx.groups.ofUnit(unit)).map((g) => ({ platform: g.platform, conversationId: g.conversationId, reply }));
}

/** Messages to every admin group (after commit). */
async function toAdminGroups(ctx: HandlerContext, reply: Reply): Promise<Outbound[]> {
  return (await ctx.tx.groups.list()).filter((g) => g.kind === 'admin').map((g) => ({ platform: g.platform, conversationId: g.conversationId, reply }));
}

/** A rectification item's state in words, with the overdue mark when its due date has passed unverified. */
export function rectificationStateText(texts: HandlerContext['settings']['texts'], item: Pick<StoredRectification, 'state' | 'due'>, today: string): string {
  const state = texts(`rectification.state.${item.state}`);
  return item.state !== 'verified' && item.due < today ? `${state}${texts('rectification.overdue')}` : state;
}

function refusalOf(ctx: HandlerContext, error: RectificationRefusal, id: number): Outcome {
  const t = ctx.settings.texts;
  return refuse(t('rectification.refused.title'), [t(`rectification.refused.${error}`, { id })]);
}

/** 扣分 单位 分值 原因 (admins). */
export async function handleDeduct(ctx: HandlerContext<DeductCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'deduct');
  if (denied) return denied;
  const who = unitOrRefusal(ctx, ctx.command.unit);
  if ('refusal' in who) return who.refusal;
  const { points, reason } = ctx.command;
  const id = await ctx.tx.deductions.add({ year: ctx.settings.plan.year, unit: who.unit, points, reason }, { actor: ctx.actor, at: ctx.now });
  const t = ctx.settings.texts;
  return { reply: notice('ok', t('deduction.recorded.title'), [t('deduction.recorded.line', { unit: who.unit, points, id, reason })], t('deduction.recorded.hint', { id })), wrote: true };
}

/** 撤销扣分 编号 (admins). */
export async function handleUndeduct(ctx: HandlerContext<UndeductCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'undeduct');
  if (denied) return denied;
  const t = ctx.settings.texts;
  const { id } = ctx.command;
  const known = (await ctx.tx.deductions.list({ year: ctx.settings.plan.year })).some((d) => d.id === id);
  if (!known || !(await ctx.tx.deductions.remove(id, { actor: ctx.actor, at: ctx.now }))) return refuse(t('rectification.refused.title'), [t('deduction.missing', { id })]);
  return { reply: notice('ok', t('deduction.removed.title'), [t('deduction.removed.line', { id })]), wrote: true };
}

/** 整改 单位 事项 期限 (admins) sets an item and tells the unit's group; 整改 alone lists open items. */
export async function handleRectify(ctx: HandlerContext<RectifyCommand>): Promise<Outcome> {
  const t = ctx.settings.texts;
  const { item } = ctx.command;
  const today = shanghaiDate(ctx.now);
  if (item === undefined) {
    const own = ctx.group?.kind === 'unit' ? ctx.group.unit : undefined;
    if (own === undefined && !ctx.isAdmin) return answer(notice('info', t('rectification.list.title'), [t('rectification.unitOnly')]));
    const list = await ctx.tx.rectifications.list({ year: ctx.settings.plan.year, open: true, ...(own === undefined ? {} : { unit: own }) });
    const lines = list.length === 0 ? [t('rectification.list.none')] : list.map((r) => t('rectification.list.line', { id: r.id, unit: r.unit, item: r.item, due: r.due, state: rectificationStateText(t, r, today) }));
    return answer(notice('info', t('rectification.list.title'), lines, own === undefined ? t('rectification.list.hintAdmin') : t('rectification.list.hintUnit')));
  }
  const denied = adminOnly(ctx, 'rectify');
  if (denied) return denied;
  const who = unitOrRefusal(ctx, item.unit);
  if ('refusal' in who) return who.refusal;
  let due = item.due;
  if (due === undefined) {
    // N个工作日内: counted on the statutory calendar from today.
    due = today;
    for (let left = item.workingDays ?? 0; left > 0; ) {
      due = addDays(due, 1);
      if (ctx.settings.calendar.isWorkingDay(due)) left--;
    }
  }
  const id = await ctx.tx.rectifications.add({ year: ctx.settings.plan.year, unit: who.unit, item: item.text, due }, { actor: ctx.actor, at: ctx.now });
  const unitNotice = notice('info', t('rectification.notice.title'), [t('rectification.notice.line', { id, item: item.text, due })], t('rectification.notice.hint', { id }));
  return {
    reply: notice('ok', t('rectification.added.title'), [t('rectification.added.line', { id, unit: who.unit, item: item.text, due })], t('rectification.added.hint', { id })),
    wrote: true,
    outbound: await toUnitGroups(ctx, who.unit, unitNotice),
  };
}

/** 已整改 编号 [说明] — the unit reports an item rectified; the admin group is told. Alone it lists the unit's items. */
export async function handleRectified(ctx: HandlerContext<RectifiedCommand>): Promise<Outcome> {
  const t = ctx.settings.texts;
  const { id, note } = ctx.command;
  if (id === undefined) return handleRectify({ ...ctx, command: { kind: 'rectify' } });
  if (ctx.group?.kind !== 'unit') return refuse(t('rectification.refused.title'), [t('rectification.unitOnly')]);
  const unit = ctx.group.unit;
  const done = await ctx.tx.rectifications.rectify(id, { unit, note: note ?? null }, { actor: ctx.actor, at: ctx.now });
  if (!done.success) return refusalOf(ctx, done.error, id);
  const item = done.data;
  const adminNotice = notice('info', t('rectification.rectified.title'), [t('rectification.rectified.admin', { unit, id, item: item.item, note: note ? `（${note}）` : '' })]);
  return {
    reply: notice('ok', t('rectification.rectified.title'), [t('rectification.rectified.line', { id, item: item.item })]),
    wrote: true,
    outbound: await toAdminGroups(ctx, adminNotice),
  };
}

/** 复查通过 编号… (admins) closes items and tells each unit's group. */
export async function handleVerify(ctx: HandlerContext<VerifyCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'verify');
  if (denied) return denied;
  const t = ctx.settings.texts;
  const lines: string[] = [];
  const outbound: Outbound[] = [];
  let wrote = false;
  for (const id of ctx.command.ids) {
    const r = await ctx.tx.rectifications.verify(id, { actor: ctx.actor, at: ctx.now });
    if (!r.success) {
      lines.push(t(`rectification.refused.${r.error}`, { id }));
      continue;
    }
    wrote = true;
    const line = t('rectification.verified.line', { id, unit: r.data.unit, item: r.data.item });
    lines.push(line);
    outbound.push(...(await toUnitGroups(ctx, r.data.unit, notice('ok', t('rectification.verified.title'), [line]))));
  }
  return { reply: notice(wrote ? 'ok' : 'refused', t(wrote ? 'rectification.verified.title' : 'rectification.refused.title'), lines), wrote, outbound };
}

/** 复查不通过 编号 原因 (admins): back to 待整改, and the unit's group is told why. */
export async function handleReopen(ctx: HandlerContext<ReopenCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'reopen');
  if (denied) return denied;
  const t = ctx.settings.texts;
  const { id, reason } = ctx.command;
  const r = await ctx.tx.rectifications.reopen(id, reason, { actor: ctx.actor, at: ctx.now });
  if (!r.success) return refusalOf(ctx, r.error, id);
  const line = t('rectification.reopened.line', { id, item: r.data.item, reason });
  return {
    reply: notice('ok', t('rectification.reopened.title'), [`${r.data.unit}：${line}`]),
    wrote: true,
    outbound: await toUnitGroups(ctx, r.data.unit, notice('refused', t('rectification.reopened.title'), [line])),
  };
}

/** 核查链接 [单位] [任务] (admins): the links are checked again in the background. */
export async function handleRecheck(ctx: HandlerContext<RecheckCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'recheck');
  if (denied) return denied;
  const t = ctx.settings.texts;
  let unit: string | undefined;
  if (ctx.command.target !== undefined) {
    const who = unitOrRefusal(ctx, ctx.command.target);
    if ('refusal' in who) return who.refusal;
    unit = who.unit;
  }
  const filter = { year: ctx.settings.plan.year, ...(unit === undefined ? {} : { unit }), ...(ctx.command.task === undefined ? {} : { task: ctx.command.task }) };
  const count = await ctx.tx.evidenceChecks.recheck(filter, { actor: ctx.actor, at: ctx.now });
  if (count === 0) return answer(notice('info', t('evidence.recheck.title'), [t('evidence.recheck.none')]));
  const lines = [t('evidence.recheck.line', { count })];
  if (ctx.settings.evidenceHosts.length === 0) lines.push(t('evidence.recheck.disabled'));
  return { reply: notice('ok', t('evidence.recheck.title'), lines), wrote: true, after: async () => ctx.settings.kickEvidenceChecks() };
}
