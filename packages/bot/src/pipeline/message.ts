import { randomUUID } from 'node:crypto';
import type { Adapter, IncomingMessage, Mention, OutgoingMessage } from '../adapter.js';
import { parseCommand, type AmbiguousCommand, type Command, type ParseResult, type QuestionData } from '../commands/parse.js';
import { handleBind, handleExempt, handleExport, handleLiaison, handleNudge, handleScores, handleSelect, handleUnbind } from '../handlers/admin.js';
import { answer, makeContext, notice, type EngineSettings, type HandlerContext, type Outcome } from '../handlers/context.js';
import { handleSupplement, handleUndo } from '../handlers/corrections.js';
import { handleDigest, handleHelp } from '../handlers/info.js';
import { handleDeduct, handleRecheck, handleRectified, handleRectify, handleReopen, handleUndeduct, handleVerify } from '../handlers/oversight.js';
import { handleDetail, handleStatusQuestion } from '../handlers/questions.js';
import { handleBriefing, handleConfirm, handleHighlight } from '../handlers/records.js';
import { handleReview, handleReviewDecision } from '../handlers/review.js';
import type { ProcessedMessage, Store } from '../store/store.js';
import type { Texts } from '../templates/render.js';
import type { Slot } from './delivery.js';
import { createGroupCommit } from './group-commit.js';
import { commit, rollback } from './transaction.js';
import { isTransient } from './transient.js';
import { errorText, isRetryable, plainMentions, storedMessage, type Logger, type RenderReply } from './shared.js';

/**
 * What {@link MessagePipeline.handle} did.
 *
 * `handled`: answered (and, when `wrote`, committed before the reply); `duplicate`: the message id was
 * handled before, nothing new was written (the stored reply is re-sent if it never went out); `failed`: an
 * internal error, nothing written, an apology sent.
 */
export interface HandleResult {
  status: 'handled' | 'duplicate' | 'failed';
  /** The parsed command kind (`unknown`, `ambiguous`, `confirm` …). */
  command: string;
  /** True when the message changed state. */
  wrote: boolean;
  /** The reply as a neutral message (the adapter renders it); absent for a duplicate already answered. */
  reply?: OutgoingMessage;
}

/** One message from text to reply: parse, one transaction (dedupe row + effect + audit), commit, reply. */
export interface MessagePipeline {
  /**
   * Handles one message. Rejects — writing nothing and sending no apology — when the store failed for a
   * transient reason (busy, locked) or the reply could not be sent: the caller leaves the delivery
   * unacknowledged so that the platform redelivers, and the redelivery re-sends a stored reply.
   */
  handle(msg: IncomingMessage, slot?: Slot): Promise<HandleResult>;
}

type Route = (ctx: HandlerContext) => Promise<Outcome>;

const HANDLERS: { [K in Command['kind']]: (ctx: HandlerContext<Extract<Command, { kind: K }>>) => Promise<Outcome> } = {
  confirm: handleConfirm,
  undo: handleUndo,
  supplement: handleSupplement,
  digest: handleDigest,
  status: handleStatusQuestion,
  detail: handleDetail,
  briefing: handleBriefing,
  highlight: handleHighlight,
  help: handleHelp,
  bind: handleBind,
  unbind: handleUnbind,
  liaison: handleLiaison,
  nudge: handleNudge,
  exempt: handleExempt,
  select: handleSelect,
  scores: handleScores,
  export: handleExport,
  deduct: handleDeduct,
  undeduct: handleUndeduct,
  rectify: handleRectify,
  rectified: handleRectified,
  verify: handleVerify,
  reopen: handleReopen,
  recheck: handleRecheck,
  review: handleReview,
  accept: handleReviewDecision,
  return: handleReviewDecision,
};

/** The parser's question data with the words it leaves to the catalogue: what the command does, and the wrong task numbers. */
function questionData(parsed: AmbiguousCommand, texts: Texts): QuestionData {
  const { invalid } = parsed.data;
  if (invalid === undefined) return parsed.data;
  return { ...parsed.data, did: texts(`did.${parsed.command}`), numbers: invalid.map((no) => texts('question.taskNumber', { no })).join('、') };
}

function route(parsed: ParseResult, texts: Texts): Route {
  switch (parsed.kind) {
    case 'unknown':
      // The help menu answers 帮助 and an empty mention only: anything else not understood says so.
      return async () => answer({ template: 'question', view: { title: texts('notUnderstood.title'), mentions: [], code: 'not_understood', data: { command: texts('notUnderstood.example') }, candidates: [] } });
    case 'ambiguous':
      return async () => answer({ template: 'question', view: { title: texts('question.title'), mentions: [], code: parsed.code, data: questionData(parsed, texts), candidates: parsed.candidates ?? [] } });
    default:
      return HANDLERS[parsed.kind] as (ctx: HandlerContext) => Promise<Outcome>;
  }
}

/** What the transaction of one message ended with. */
type Transacted =
  | { kind: 'duplicate'; stored: ProcessedMessage | null }
  | { kind: 'answered'; outcome: Outcome; message: OutgoingMessage };

export type { Texts };

/** Everything the pipeline needs from the engine. */
export interface PipelineDeps {
  store: Store;
  texts: Texts;
  /** Longer messages are answered with a notice and not read (`maxTextLength`). */
  maxTextLength: number;
  settings: EngineSettings;
  adapters: ReadonlyMap<string, Adapter>;
  render: RenderReply;
  clock: () => Date;
  logger: Logger;
  /** Tasks and their milestone dates, for the parser. */
  tasks: { no: number; name: string; milestones: string[] }[];
  /** The unit's digest as of now, to update a digest whose 「已完成」 was tapped. */
  updateDigest?: (unit: string, platform: string) => Promise<OutgoingMessage>;
}

/** Creates the message pipeline (see {@link MessagePipeline}). */
export function createMessagePipeline(deps: PipelineDeps): MessagePipeline {
  const { store, settings, adapters, render, clock, logger, tasks, texts, maxTextLength, updateDigest } = deps;
  const { plan } = settings;
  // The message's own transaction and the later note that its reply went out share commits with the
  // messages arriving at the same time (one fsync for many on SQLite).
  let handling = 0;
  const commits = createGroupCommit(store, { busy: () => handling });
  // Noting that a reply went out waits for the next commit (or 100 ms): nothing waits on it but the ack, and a
  // crash before it lists the reply as uncertain rather than sending it twice.
  const markReplied = (msg: IncomingMessage): Promise<void> => commits.run(async (tx) => commit(await tx.markReplied(msg.platform, msg.messageId, clock())), { deferrable: true });

  async function sendOutbound(outcome: Outcome): Promise<void> {
    for (const out of outcome.outbound ?? []) {
      const adapter = adapters.get(out.platform);
      if (!adapter) continue;
      try {
        await adapter.send(out.conversationId, render(out.reply), { mentions: plainMentions(out.reply) });
      } catch (error) {
        logger.warn({ err: errorText(error), platform: out.platform, conversationId: out.conversationId }, 'outbound message failed');
      }
    }
  }

  async function resendStored(msg: IncomingMessage, stored: ProcessedMessage | null, command: string, adapter: Adapter | undefined, slot: Slot | undefined): Promise<HandleResult> {
    const result: HandleResult = { status: 'duplicate', command: stored?.command ?? command, wrote: false };
    const saved = stored?.reply as { message?: unknown; mentions?: Mention[] } | null | undefined;
    const message = storedMessage(saved?.message);
    // A reply whose request started and never finished may have arrived: it is uncertain, not repeated.
    if (stored && stored.repliedAt === null && stored.replyStartedAt === null && message && adapter) {
      if (await replyOrRefused(msg, message, saved?.mentions ?? [], adapter, slot)) result.reply = message;
    }
    return result;
  }

  /**
   * Sends the stored reply of a processed message: marked as started immediately before its request
   * (`beforeRequest`), as sent right after. A failure that provably did not get through clears the marker so
   * the redelivery sends it; an uncertain one keeps it, so nothing sends it again. Returns false when another
   * handling had started or sent it meanwhile (nothing sent). With `slot` (nothing else follows in this
   * handling), the slot is released while the marker waits for its commit.
   */
  async function replyMarked(msg: IncomingMessage, message: OutgoingMessage, mentions: Mention[], adapter: Adapter, slot: Slot | undefined): Promise<boolean> {
    let taken = false;
    const beforeRequest = async (): Promise<void> => {
      // Through the group commit: replies leaving together share one fsync for their markers.
      if (await commits.run(async (tx) => commit(await tx.inbox.markReplyStarted(msg.platform, msg.messageId, clock())))) return;
      taken = true;
      throw new Error('the reply was started by another handling');
    };
    try {
      await adapter.reply(msg, message, { mentions, beforeRequest });
    } catch (error) {
      if (taken) return false;
      if ((error as { uncertain?: unknown } | null)?.uncertain !== true) await commits.run(async (tx) => commit(await tx.inbox.clearReplyStarted(msg.platform, msg.messageId)));
      throw error;
    }
    // Only waiting is left: a message waiting for a slot takes this one, and its commit carries the marker.
    slot?.release();
    await markReplied(msg);
    return true;
  }

  /**
   * {@link replyMarked}, except that a reply the platform refuses for good (neither retryable nor uncertain:
   * a message it will never take) is logged and counts as done: the record stands, and leaving the message
   * unacknowledged would only have it redelivered and refused again, without end.
   */
  async function replyOrRefused(msg: IncomingMessage, message: OutgoingMessage, mentions: Mention[], adapter: Adapter, slot: Slot | undefined): Promise<boolean> {
    try {
      return await replyMarked(msg, message, mentions, adapter, slot);
    } catch (error) {
      if (isRetryable(error) || (error as { uncertain?: unknown } | null)?.uncertain === true) throw error;
      logger.error({ err: errorText(error), platform: msg.platform, conversationId: msg.conversationId, messageId: msg.messageId }, 'reply refused by the platform; the message is acknowledged without it');
      return false;
    }
  }

  /**
   * After a tap that changed something, the message whose button was tapped shows what was done and by
   * whom: a digest is built afresh (the confirmed item gone from it), any other message becomes the answer;
   * a line names the person and the command. A failed update is logged: the reply already went out.
   */
  async function updateSource(adapter: Adapter, msg: IncomingMessage, sourceMessageId: string, answer: OutgoingMessage): Promise<void> {
    try {
      let base = answer;
      if (msg.action?.id.startsWith('digest-unit:') && updateDigest) {
        const group = await store.groupOf(msg.platform, msg.conversationId);
        if (group?.kind === 'unit') base = await updateDigest(group.unit, msg.platform);
      }
      const done: OutgoingMessage['blocks'][number] = { type: 'context', content: [{ type: 'text', text: texts('button.done', { sender: msg.senderName, command: msg.text }) }] };
      await adapter.update?.(msg.conversationId, sourceMessageId, { title: base.title, blocks: [...base.blocks, done] });
    } catch (error) {
      logger.warn({ err: errorText(error), platform: msg.platform, conversationId: msg.conversationId, sourceMessageId }, 'updating the tapped message failed');
    }
  }

  async function transact(msg: IncomingMessage, parsed: ParseResult, now: Date): Promise<Transacted> {
    return commits.run(async (tx) => {
      const seen = await tx.findProcessed(msg.platform, msg.messageId);
      if (seen) return rollback<Transacted>({ kind: 'duplicate', stored: seen });
      const group = await tx.groupOf(msg.platform, msg.conversationId);
      const isAdmin = await tx.isAdmin(msg.platform, msg.senderId);
      const command = (parsed.kind === 'unknown' || parsed.kind === 'ambiguous' ? { kind: 'help' } : parsed) as Command;
      const ctx = makeContext({ command, msg, tx, now, settings, group, isAdmin, t: texts });
      const outcome = await route(parsed, texts)(ctx);
      const message = render(outcome.reply);
      // Nothing to keep: roll back so that not even an accidental write survives a read-only answer or a refusal.
      // Its message id and answer are recorded after, on their own (see handle).
      if (!outcome.wrote) return rollback<Transacted>({ kind: 'answered', outcome, message });
      if (msg.action) {
        const { id, sourceMessageId } = msg.action;
        await tx.audit.append('button.tap', { messageId: msg.messageId, actionId: id, ...(sourceMessageId ? { sourceMessageId } : {}), command: msg.text }, { actor: ctx.actor, at: now });
      }
      const claimed = await tx.recordProcessed(
        { platform: msg.platform, messageId: msg.messageId, conversationId: msg.conversationId, senderId: msg.senderId, command: parsed.kind, reply: { message, mentions: plainMentions(outcome.reply) } },
        now,
      );
      // Another process recorded the same id first: its effect stands, this one's is dropped.
      if (!claimed) return rollback<Transacted>({ kind: 'duplicate', stored: null });
      return commit<Transacted>({ kind: 'answered', outcome, message });
    });
  }

  /**
   * A tap's callback may carry only the person's id (DingTalk's card callbacks do): the receipt and the
   * tapped card then name them as the liaison or admin registry knows them, never by a bare id.
   */
  async function withKnownName(msg: IncomingMessage): Promise<IncomingMessage> {
    if (!msg.action || msg.senderName !== msg.senderId) return msg;
    try {
      const group = await store.groupOf(msg.platform, msg.conversationId);
      const liaisons = group?.kind === 'unit' ? await store.liaisons.list(group.unit) : [];
      const known =
        liaisons.find((l) => l.platform === msg.platform && l.userId === msg.senderId)?.name ??
        (await store.admins.list()).find((a) => a.platform === msg.platform && a.userId === msg.senderId)?.name;
      return known ? { ...msg, senderName: known } : msg;
    } catch (error) {
      // Only a name: the tap is handled with the id.
      logger.warn({ err: errorText(error), platform: msg.platform, sender: msg.senderId }, 'looking up the tapper’s name failed');
      return msg;
    }
  }

  async function handle(raw: IncomingMessage, slot: Slot | undefined): Promise<HandleResult> {
    const now = clock();
    const msg = await withKnownName(normalise(raw));
    const adapter = adapters.get(msg.platform);
    if (msg.text.length > maxTextLength) {
      // Not read, stored or echoed: one short answer (the delivery layer keeps redeliveries from repeating it).
      const refusal = render(notice('refused', texts('oversize.title'), [texts('oversize.hint', { max: maxTextLength })]));
      if (adapter) await adapter.reply(msg, refusal, { mentions: [] });
      logger.warn({ platform: msg.platform, conversationId: msg.conversationId, messageId: msg.messageId, length: msg.text.length }, 'oversize message refused');
      return { status: 'handled', command: 'oversize', wrote: false, reply: refusal };
    }
    const parsed = parseCommand(msg.text, { tasks, now, year: plan.year });

    let done: Transacted;
    try {
      done = await transact(msg, parsed, now);
    } catch (error) {
      // Busy or locked: nothing was written; the platform redelivers and the next attempt may pass.
      if (isTransient(error)) throw error;
      logger.error({ err: errorText(error), platform: msg.platform, conversationId: msg.conversationId, messageId: msg.messageId, command: parsed.kind }, 'message handling failed');
      const apology = render(notice('error', texts('error.title'), [texts('error.hint')]));
      if (adapter) await adapter.reply(msg, apology, { mentions: [] });
      return { status: 'failed', command: parsed.kind, wrote: false, reply: apology };
    }

    if (done.kind === 'duplicate') {
      const stored = done.stored ?? (await store.findProcessed(msg.platform, msg.messageId));
      return resendStored(msg, stored, parsed.kind, adapter, slot);
    }

    const { outcome, message } = done;
    const mentions = plainMentions(outcome.reply);
    if (outcome.wrote) logger.info({ platform: msg.platform, conversationId: msg.conversationId, sender: msg.senderId, command: parsed.kind }, 'recorded');
    else {
      // A question, refusal or 没看懂 is remembered with its answer too, so that a redelivery after a restart
      // is not answered again; another process that recorded the id first answers it.
      const first = await store.recordProcessed(
        { platform: msg.platform, messageId: msg.messageId, conversationId: msg.conversationId, senderId: msg.senderId, command: parsed.kind, reply: { message, mentions }, changed: false },
        now,
      );
      if (!first) return resendStored(msg, await store.findProcessed(msg.platform, msg.messageId), parsed.kind, adapter, slot);
    }
    await sendOutbound(outcome);
    if (adapter) {
      const updates = outcome.wrote && msg.action?.sourceMessageId !== undefined && adapter.update !== undefined;
      // The slot is released early only when the reply's marker is the last thing this handling waits for.
      const sent = await replyOrRefused(msg, message, mentions, adapter, updates || outcome.after ? undefined : slot);
      if (sent && updates && msg.action?.sourceMessageId !== undefined) await updateSource(adapter, msg, msg.action.sourceMessageId, message);
    }
    // New links were stored with their pending checks: check them in the background, off this path. A
    // confirmation without links requested none, so it costs no pass over the (empty) queue.
    if (outcome.wrote && (parsed.kind === 'confirm' || parsed.kind === 'supplement') && parsed.evidence.length > 0) settings.kickEvidenceChecks();
    if (outcome.after) {
      try {
        await outcome.after();
      } catch (error) {
        logger.warn({ err: errorText(error), command: parsed.kind }, 'post-reply step failed');
      }
    }
    return { status: 'handled', command: parsed.kind, wrote: outcome.wrote, reply: message };
  }

  return {
    async handle(raw, slot) {
      handling++;
      try {
        return await handle(raw, slot);
      } finally {
        handling--;
      }
    },
  };
}

/** The message with safe defaults for what a sloppy adapter may leave out. */
function normalise(raw: IncomingMessage): IncomingMessage {
  return {
    ...raw,
    text: typeof raw.text === 'string' ? raw.text : '',
    mentions: Array.isArray(raw.mentions) ? raw.mentions : [],
    senderName: raw.senderName || raw.senderId,
    messageId: raw.messageId || `local-${randomUUID()}`,
  };
}

