/**
 * The office's review (复核) in chat: `复核` lists the queue, `通过` / `退回` decide, several at once. Admins
 * only; a return is announced in the unit's groups with its reason.
 */
import { verbOf } from '../commands/grammar.js';
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
/** Queue entries given 「通过」/「退回」 buttons. */
const QUEUE_BUTTONS = 2;

function stateText(ctx: HandlerContext, state: ReviewState): string {
  return ctx.t(`review.state.${state}`);
}

function unitNotFound(ctx: HandlerContext, name: string, suggestions: string[]): Outcome {
  return refuse(ctx.t('unit.notFound.title', { name }), suggestions.length ? [ctx.t('unit.suggest', { names: suggestions.join('、') }), ctx.t('notDone')] : [ctx.t('unit.notFound.check')]);
}

/** The lines of one queue entry: what, when, its links (and their checks), its note. */
function queueLines(ctx: HandlerContext, i: ReviewItem): string[] {
  const again = i.submittedAt !== i.firstSubmittedAt ? ctx.t('review.queue.again', { reason: i.lastReturnReason ?? '' }) : '';
  const lines = [ctx.t('review.queue.item', { id: i.id, unit: i.unit, selector: i.selector, taskName: i.taskName, due: i.due, submittedAt: shanghaiClock(i.submittedAt), again })];
  lines.push(i.evidence.length ? ctx.t('review.queue.links', { links: i.evidence.join(' ') }) : ctx.t('review.queue.noLinks'));
  if (i.evidenceChecks?.length) {
    const result = i.evidenceChecks.map((c) => `${c.ok ? '✓' : c.result === 'pending' || c.result === 'not_checked' ? '·' : '✗'} ${shortLink(c.url)} ${c.summary}`).join('；');
    lines.push(ctx.t('review.queue.check', { result }));
  }
  if (i.note) lines.push(ctx.t('review.queue.note', { note: i.note }));
  return lines;
}

/** 复核 [单位 | 4] — the confirmations waiting for review, oldest submission first, with their evidence. */
export async function handleReview(ctx: HandlerContext<ReviewCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'review');
  if (denied) return denied;
  const { plan } = ctx.settings;
  let unit: string | undefined;
  if (ctx.command.target !== undefined) {
    const r = resolveUnitName(ctx, ctx.command.target);
    if ('suggestions' in r) return unitNotFound(ctx, ctx.command.target, r.suggestions);
    unit = r.unit;
  }
  const describeCheck = (c: StoredEvidenceCheck): string => {
    const words = ctx.t(c.state === 'pending' || c.result === null ? 'evidence.result.pending' : (`evidence.result.${c.result}` as TextKey));
    return [c.httpStatus === null ? undefined : String(c.httpStatus), c.title ?? undefined, words].filter((p) => p !== undefined && p !== '').join(' · ');
  };
  const queue = await reviewItems(ctx.tx, plan, { states: ['pending'], ...(unit === undefined ? {} : { unit }), ...(ctx.command.task === undefined ? {} : { task: ctx.command.task }) }, { describeCheck });
  if (queue.length === 0) return answer(notice('info', ctx.t('review.queue.empty'), [ctx.t('review.queue.emptyLine')]));
  const lines = queue.slice(0, QUEUE_LIMIT).flatMap((i) => queueLines(ctx, i));
  if (queue.length > QUEUE_LIMIT) lines.push(ctx.t('review.queue.more', { count: queue.length - QUEUE_LIMIT }));
  const reply = notice('info', ctx.t('review.queue.title', { count: queue.length }), lines, ctx.t('review.queue.hint'));
  // Buttons for the oldest two (an ActionCard holds five): a tap of 「退回」 asks for the reason.
  if (reply.template === 'notice') {
    reply.view.buttons = queue.slice(0, QUEUE_BUTTONS).flatMap((i) => [
      { label: ctx.t('review.queue.accept', { id: i.id }), command: `${verbOf('accept').word} #${i.id}`, primary: true },
      { label: ctx.t('review.queue.return', { id: i.id }), command: `${verbOf('return').word} #${i.id}`, danger: true },
    ]);
  }
  return answer(reply);
}

/** 通过 / 退回 — accepts or returns the named confirmations; says what changed; announces returns to the units. */
export async function handleReviewDecision(ctx: HandlerContext<ReviewDecisionCommand>): Promise<Outcome> {
  const denied = adminOnly(ctx, 'review');
  if (denied) return denied;
  const { command } = ctx;
  const { plan } = ctx.settings;
  const { word } = verbOf(command.kind);
  const decision = command.kind === 'accept' ? 'accepted' : 'returned';
  if (command.ids.length === 0 && command.items.length === 0 && !(command.all && command.units.length > 0)) {
    return refuse(ctx.t('review.needTarget.title'), [ctx.t('review.needTarget.line', { word })]);
  }
  if (command.ids.length === 0 && command.items.length > 0 && command.units.length === 0 && !command.all) {
    return refuse(ctx.t('review.needUnits.title'), [ctx.t('review.needUnits.line', { word, tasks: command.items.map((i) => i.task).join(' ') })]);
  }
  const reason = command.reason?.trim();
  if (decision === 'returned' && !reason) {
    // A tap of 「退回 #12」 arrives without a reason: say the exact command to send with one.
    const ids = command.ids.map((id) => `#${id}`).join(' ');
    return refuse(ctx.t('review.needReason.title'), [ids ? ctx.t('review.needReason.ids', { ids }) : ctx.t('review.needReason.line')]);
  }

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
    if (pick === null) return refuse(ctx.t('review.noMilestone.title', { task: item.task }), [ctx.t('review.noMilestone.choices', { choices: choices.map((c) => `${c.selector}（${c.due}）`).join('、') }), ctx.t('notDone')]);
    tasks.push(pick === undefined ? { task: item.task } : { task: item.task, due: pick.due });
  }
  const selection: ReviewSelection = command.ids.length > 0 ? { ids: command.ids } : { tasks, units, all: command.all };
  const change = { actor: ctx.actor, at: ctx.now };
  const result = await decideReviews(ctx.tx, plan, selection, { decision, reason: reason ?? null }, change);

  const lines: string[] = [];
  for (const { item, from } of result.changed) {
    lines.push(ctx.t('review.changed', { id: item.id, unit: item.unit, selector: item.selector, taskName: item.taskName, due: item.due, from: stateText(ctx, from), to: stateText(ctx, decision) }));
  }
  for (const item of result.unchanged) lines.push(ctx.t('review.same', { id: item.id, unit: item.unit, selector: item.selector, taskName: item.taskName, state: stateText(ctx, decision) }));
  for (const id of result.unknownIds) lines.push(ctx.t('review.notFound', { id }));
  for (const m of result.missing) {
    if (m.unit !== undefined && m.task !== undefined) lines.push(ctx.t('review.nothingFor', { unit: m.unit, task: m.task, what: ctx.t('review.thisYear') }));
    else lines.push(ctx.t('review.nothingPending'));
  }
  const changed = result.changed.length;
  if (changed === 0) return answer(notice('info', ctx.t('review.none.title'), lines));

  const outbound: Outbound[] = [];
  if (decision === 'returned') {
    lines.push(ctx.t('review.reason', { reason: reason! }));
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
            reply: notice('refused', ctx.t('review.returned.title', vars), [ctx.t('review.returned.line', vars), ctx.t('review.reason', { reason: reason! })], ctx.t('review.returned.hint', vars), mentions),
          });
        }
      }
    }
    if (reached.length) lines.push(ctx.t('review.announced', { units: reached.join('、') }));
    if (unreached.length) lines.push(ctx.t('review.unannounced', { units: unreached.join('、') }));
  }
  const title = ctx.t(decision === 'accepted' ? 'review.accept.title' : 'review.return.title', { count: changed });
  return { reply: notice('ok', title, lines), wrote: true, outbound };
}
