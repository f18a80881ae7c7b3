/**
 * The office's review (复核) in chat: `复核` lists the queue, `通过` / `退回` decide, several at once. Admins
 * only; a return is announced in the unit's groups with its reason.
 */
import type { ReviewCommand, ReviewDecisionCommand } from '../commands/parse.js';
import { decideReviews, reviewItems, type ReviewItem, type ReviewSelection } from '../review.js';
import type { StoredEvidenceCheck } from '../store/repositories/evidence-checks.js';
import type { ReviewState } from '../store/store.js';
import type { TextKey } from '../templates/render.js';
import { milestoneChoices, shanghaiClock, shortLink } from '../views/build.js';
import { selectedMilestone } from './corrections.js';
import { adminOnly, answer, liaisonMentions, notice, refuse, type HandlerContext, type Outbound, type Outcome } from './context.js';
import { resolveUnitName } from './records.js';

/** Queue entries shown in one reply; the rest are counted. */
const QUEUE_LIMIT = 15;

function stateText(ctx: HandlerContext, state: ReviewState): string {
  return ctx.texts(`review.state.${state}`);
}

function unitNotFound(ctx: HandlerContext, name: string, suggestions: string[]): Outcome {
  return refuse(`没有找到单位“${name}”`, suggestions.length ? [`是否是：${suggestions.join('、')}？`, '本条未执行。'] : ['请核对单位全称，本条未执行。']);
}

/** The lines of one queue entry: what, when, its links (and their checks), its note. */
function queueLines(ctx: HandlerContext, i: ReviewItem): string[] {
  const again = i.submittedAt !== i.firstSubmittedAt ? ctx.texts('review.queue.again', { reason: i.lastReturnReason ?? '' }) : '';
  const lines = [ctx.texts('review.queue.item', { id: i.id, unit: i.unit, selector: i.selector, taskName: i.taskName, due: i.due, submittedAt: shanghaiClock(i.submittedAt), again })];
  lines.push(i.evidence.length ? ctx.texts('review.queue.links', { links: i.evidence.join(' ') }) : ctx.texts('review.queue.noLinks'));
  if (i.evidenceChecks?.length) {
    const result = i.evidenceChecks.map((c) => `${c.ok ? '✓' : c.result === 'pending' || c.result === 'not_checked' ? '·' : '✗'} ${shortLink(c.url)} ${c.summary}`).join('；');
    lines.push(ctx.texts('review.queue.check', { result }));
  }
  if (i.note) lines.push(ctx.texts('review.queue.note', { note: i.note }));
  return lines;
}

/** 复核 [单位 | 4] — the confirmations waiting for review, oldest submission first, with their evidence. */
export async function handleReview(ctx: HandlerContext<ReviewCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, ctx.texts('review.adminOnly'));
  if (denied) return denied;
  const { plan } = ctx.settings;
  let unit: string | undefined;
  if (ctx.command.target !== undefined) {
    const r = resolveUnitName(ctx, ctx.command.target);
    if ('suggestions' in r) return unitNotFound(ctx, ctx.command.target, r.suggestions);
    unit = r.unit;
  }
  const describeCheck = (c: StoredEvidenceCheck): string => {
    const words = ctx.texts(c.state === 'pending' || c.result === null ? 'evidence.result.pending' : (`evidence.result.${c.result}` as TextKey));
    return [c.httpStatus === null ? undefined : String(c.httpStatus), c.title ?? undefined, words].filter((p) => p !== undefined && p !== '').join(' · ');
  };
  const queue = await reviewItems(ctx.tx, plan, { states: ['pending'], ...(unit === undefined ? {} : { unit }), ...(ctx.command.task === undefined ? {} : { task: ctx.command.task }) }, { describeCheck });
  if (queue.length === 0) return answer(notice('info', ctx.texts('review.queue.empty'), [ctx.texts('review.queue.emptyLine')]));
  const lines = queue.slice(0, QUEUE_LIMIT).flatMap((i) => queueLines(ctx, i));
  if (queue.length > QUEUE_LIMIT) lines.push(ctx.texts('review.queue.more', { count: queue.length - QUEUE_LIMIT }));
  return answer(notice('info', ctx.texts('review.queue.title', { count: queue.length }), lines, ctx.texts('review.queue.hint')));
}

/** 通过 / 退回 — accepts or returns the named confirmations; says what changed; announces returns to the units. */
export async function handleReviewDecision(ctx: HandlerContext<ReviewDecisionCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, ctx.texts('review.adminOnly'));
  if (denied) return denied;
  const { command } = ctx;
  const { plan } = ctx.settings;
  const word = command.kind === 'accept' ? '通过' : '退回';
  const decision = command.kind === 'accept' ? 'accepted' : 'returned';
  if (command.ids.length === 0 && command.items.length === 0 && !(command.all && command.units.length > 0)) {
    return refuse(ctx.texts('review.needTarget.title'), [ctx.texts('review.needTarget.line', { word })]);
  }
  if (command.ids.length === 0 && command.items.length > 0 && command.units.length === 0 && !command.all) {
    return refuse(ctx.texts('review.needUnits.title'), [ctx.texts('review.needUnits.line', { word, tasks: command.items.map((i) => i.task).join(' ') })]);
  }
  const reason = command.reason?.trim();
  if (decision === 'returned' && !reason) return refuse(ctx.texts('review.needReason.title'), [ctx.texts('review.needReason.line')]);

  const units: string[] = [];
  for (const name of command.units) {
    const r = resolveUnitName(ctx, name);
    if ('suggestions' in r) return unitNotFound(ctx, name, r.suggestions);
    if (!units.includes(r.unit)) units.push(r.unit);
  }
  const tasks: Array<{ task: number; due?: string }> = [];
  for (const item of command.items) {
    const choices = milestoneChoices(plan, item.task);
    const pick = selectedMilestone(item, choices);
    if (pick === null) return refuse(`任务${item.task} 没有这个节点`, [`可选：${choices.map((c) => `${c.selector}（${c.due}）`).join('、')}`, '本条未执行。']);
    tasks.push(pick === undefined ? { task: item.task } : { task: item.task, due: pick.due });
  }
  const selection: ReviewSelection = command.ids.length > 0 ? { ids: command.ids } : { tasks, units, all: command.all };
  const change = { actor: ctx.actor, at: ctx.now };
  const result = await decideReviews(ctx.tx, plan, selection, { decision, reason: reason ?? null }, change);

  const lines: string[] = [];
  for (const { item, from } of result.changed) {
    lines.push(ctx.texts('review.changed', { id: item.id, unit: item.unit, selector: item.selector, taskName: item.taskName, due: item.due, from: stateText(ctx, from), to: stateText(ctx, decision) }));
  }
  for (const item of result.unchanged) lines.push(ctx.texts('review.same', { id: item.id, unit: item.unit, selector: item.selector, taskName: item.taskName, state: stateText(ctx, decision) }));
  for (const id of result.unknownIds) lines.push(ctx.texts('review.notFound', { id }));
  for (const m of result.missing) {
    if (m.unit !== undefined && m.task !== undefined) lines.push(ctx.texts('review.nothingFor', { unit: m.unit, task: m.task, what: '本年度' }));
    else lines.push(ctx.texts('review.nothingPending'));
  }
  const changed = result.changed.length;
  if (changed === 0) return answer(notice('info', ctx.texts('review.none.title'), lines));

  const outbound: Outbound[] = [];
  if (decision === 'returned') {
    lines.push(ctx.texts('review.reason', { reason: reason! }));
    const reached: string[] = [];
    const unreached: string[] = [];
    for (const unit of [...new Set(result.changed.map((c) => c.item.unit))]) {
      const groups = (await ctx.tx.groups.ofUnit(unit)).filter((g) => ctx.settings.adapters.has(g.platform));
      (groups.length ? reached : unreached).push(unit);
      for (const g of groups) {
        const mentions = await liaisonMentions(ctx.tx, unit, g.platform);
        for (const { item } of result.changed.filter((c) => c.item.unit === unit)) {
          const vars = { unit, selector: item.selector, taskName: item.taskName, due: item.due, submittedAt: shanghaiClock(item.submittedAt) };
          outbound.push({
            platform: g.platform,
            conversationId: g.conversationId,
            reply: notice('refused', ctx.texts('review.returned.title', vars), [ctx.texts('review.returned.line', vars), ctx.texts('review.reason', { reason: reason! })], ctx.texts('review.returned.hint', vars), mentions),
          });
        }
      }
    }
    if (reached.length) lines.push(ctx.texts('review.announced', { units: reached.join('、') }));
    if (unreached.length) lines.push(ctx.texts('review.unannounced', { units: unreached.join('、') }));
  }
  const title = ctx.texts(decision === 'accepted' ? 'review.accept.title' : 'review.return.title', { count: changed });
  return { reply: notice('ok', title, lines), wrote: true, outbound };
}
