import type { Plan, Rubric, WorkingCalendar } from '@zwgk/sdk';
import type { Adapter, IncomingMessage } from '../adapter.js';
import type { Command } from '../commands/parse.js';
import type { Actor, GroupBinding, Store } from '../store/store.js';
import type { Texts } from '../templates/render.js';
import { MentionValue, type TemplateName, type TemplateViews } from '../templates/views.js';
import { takeSnapshot, type Snapshot } from '../views/build.js';

/** Who may confirm for a unit: any member of its bound group (default), or its registered liaisons only. */
export type ConfirmPolicy = 'group' | 'liaisons';

/** A reply before rendering: a template and its view. */
export type Reply = { [N in TemplateName]: { template: N; view: TemplateViews[N] } }[TemplateName];

/** A message to send to another conversation after the transaction commits (e.g. a nudge). */
export interface Outbound {
  platform: string;
  conversationId: string;
  reply: Reply;
}

/** What a handler decided. */
export interface Outcome {
  reply: Reply;
  /** True when the handler changed state: the message id is then recorded so redelivery counts once. */
  wrote: boolean;
  /** Sent after commit, before the reply. */
  outbound?: Outbound[];
  /** Runs after commit and after the reply (e.g. posting a file); its failure is logged, not retried. */
  after?: () => Promise<void>;
}

/** Engine settings handlers read. */
export interface EngineSettings {
  plan: Plan;
  calendar: WorkingCalendar;
  policy: ConfirmPolicy;
  horizonDays: number;
  rubric: Rubric | undefined;
  adapters: ReadonlyMap<string, Adapter>;
  /** When weekly digests go out, in words, e.g. 每周首个工作日 09:00; null when the scheduler does not send them (`digest.enabled: false`). */
  digestWhen: string | null;
  /** The catalogue texts (`templates/texts.json`, overridable). */
  texts: Texts;
  /** Starts the background evidence checks (after the message's commit). */
  kickEvidenceChecks: () => void;
  /** The county's allow-list of sites: empty means links are screened but never fetched. */
  evidenceHosts: readonly string[];
}

/** Everything a command handler needs, bound to the message's transaction. */
export interface HandlerContext<C extends Command = Command> {
  command: C;
  msg: IncomingMessage;
  /** The store inside the message's transaction. */
  tx: Store;
  now: Date;
  settings: EngineSettings;
  /** What the conversation is bound to. */
  group: GroupBinding | null;
  isAdmin: boolean;
  actor: Actor;
  /** The words of the text catalogue (`templates/texts.json`, overridable from `templatesDir`). */
  t: Texts;
  /** Statuses as of `now`, computed on first use. */
  snapshot(): Promise<Snapshot>;
}

/** Builds a handler context (the snapshot is computed lazily, once). */
export function makeContext<C extends Command>(
  base: Omit<HandlerContext<C>, 'snapshot' | 'actor'>,
): HandlerContext<C> {
  let snap: Promise<Snapshot> | undefined;
  return {
    ...base,
    // A tap on a button is the typed command it stands for; the audit log tells the two apart by channel.
    actor: { platform: base.msg.platform, id: base.msg.senderId, name: base.msg.senderName, channel: base.msg.action ? 'button' : 'chat', conversationId: base.msg.conversationId },
    snapshot: () => {
      snap ??= takeSnapshot(base.tx, base.settings.plan, base.now, base.settings.calendar, base.settings.horizonDays, base.settings.texts);
      return snap;
    },
  };
}

/** A short notice reply. */
export function notice(tone: 'ok' | 'refused' | 'info' | 'error', title: string, lines: string[] = [], hint?: string, mentions: MentionValue[] = []): Reply {
  return { template: 'notice', view: hint === undefined ? { title, tone, lines, mentions } : { title, tone, lines, hint, mentions } };
}

/** A refusal: a clear reply, nothing written. */
export function refuse(title: string, lines: string[] = [], hint?: string): Outcome {
  return { reply: notice('refused', title, lines, hint), wrote: false };
}

/** A reply that changes nothing. */
export function answer(reply: Reply): Outcome {
  return { reply, wrote: false };
}

/** Liaisons of a unit on one platform, as mentions. */
export async function liaisonMentions(tx: Store, unit: string, platform: string): Promise<MentionValue[]> {
  return (await tx.liaisons.list(unit)).filter((l) => l.platform === platform).map((l) => new MentionValue(l.userId, l.name));
}

/**
 * The unit a record-writing command (确认, 撤销, 汇报, 亮点) acts for, or the refusal to send: the message
 * must come from a group bound to a unit, and under the `liaisons` policy from one of its liaisons.
 */
export async function unitForRecords(ctx: HandlerContext, action: string): Promise<{ unit: string } | { refusal: Outcome }> {
  const { group, msg, t } = ctx;
  const what = t(`what.${action}`);
  if (!msg.isGroup) {
    return { refusal: refuse(t('records.private.title', { what }), [t('records.private.line')]) };
  }
  if (group === null) {
    return { refusal: refuse(t('records.unbound.title', { what }), [t('records.unbound.line')]) };
  }
  if (group.kind === 'admin') {
    return { refusal: refuse(t('records.adminGroup.title', { what }), [t('records.adminGroup.line')]) };
  }
  if (ctx.settings.policy === 'liaisons' && !(await ctx.tx.liaisons.has(group.unit, msg.platform, msg.senderId))) {
    return {
      refusal: refuse(t('records.notLiaison.title', { unit: group.unit, what }), [t('records.notLiaison.line', { sender: msg.senderName })], t('records.notLiaison.hint')),
    };
  }
  return { unit: group.unit };
}

/** The refusal for an admin command from someone who is not an admin, or null when allowed. */
export function adminOnly(ctx: HandlerContext, action: string): Outcome | null {
  if (ctx.isAdmin) return null;
  const { t } = ctx;
  return refuse(t('adminOnly.title', { what: t(`what.${action}`) }), [t('adminOnly.line', { sender: ctx.msg.senderName })], t('adminOnly.hint'));
}
