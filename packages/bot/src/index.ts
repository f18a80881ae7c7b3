/**
 * @zwgk/bot — the platform-agnostic zwgk chat bot engine: commands (确认, 撤销, 本周, 进度, 汇报, 亮点 and the
 * admin commands), weekly digests through an outbox, durable storage with an audit log, and templates
 * per output style. Chat platforms plug in through the {@link Adapter} interface.
 *
 * @example
 * import { getPlan } from '@zwgk/sdk';
 * import { createBot, openStore } from '@zwgk/bot';
 *
 * const store = await openStore(); // ./data/zwgk.sqlite, see OpenStoreOptions
 * const bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [myAdapter] });
 * await bot.start();
 *
 * @packageDocumentation
 */

// Adapter contract (from @zwgk/chat-contract)
export { AdapterError, isRetryable } from './adapter.js';
export type {
  Adapter,
  BlockKitMessage,
  EventHandler,
  IncomingEvent,
  IncomingMessage,
  MarkdownMessage,
  Mention,
  OutgoingFile,
  OutputStyle,
  RenderedMessage,
  SendOptions,
  SentMessage,
  TextMessage,
} from './adapter.js';

// Engine
export { botOptionsSchema, createBot, digestOptionsSchema } from './engine.js';
export type { Bot, BotOptions, DigestDelivery, DigestOptions, DigestPreview, DigestRun, HandleResult, Logger } from './engine.js';
export type { ConfirmPolicy } from './handlers/context.js';

// Command grammar
export { commandWords, extractLinks, normalizeText, parseCommand } from './commands/parse.js';
export type {
  AmbiguousCommand,
  BindCommand,
  BriefingCommand,
  Command,
  CommandKind,
  ConfirmCommand,
  DetailCommand,
  DigestCommand,
  ExemptCommand,
  ExportCommand,
  HelpCommand,
  HighlightCommand,
  LiaisonCommand,
  NudgeCommand,
  ParseOptions,
  ParseResult,
  QuestionCode,
  QuestionData,
  ScoresCommand,
  SelectCommand,
  StatusCommand,
  SupplementCommand,
  TaskItem,
  UnbindCommand,
  UndoCommand,
  UnknownCommand,
} from './commands/parse.js';

// Storage
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_DATABASE_FILE, createStore, openStore } from './store/open.js';
export type { OpenStoreOptions } from './store/open.js';
export { StoreError, isRetryableStoreError } from './store/errors.js';
export type { StoreErrorCode } from './store/errors.js';
export type { Store } from './store/store.js';
export type { SqlDialect } from './store/migrations/columns.js';
export type { Database } from './store/schema.js';
export type { Actor, ChangeContext } from './store/db.js';
export type { AdminRepository, Admin } from './store/repositories/admins.js';
export type { AuditEntry, AuditRepository } from './store/repositories/audit.js';
export type { BriefingRepository, StoredBriefing } from './store/repositories/briefings.js';
export type { CarryoverRepository, StoredCarryover } from './store/repositories/carryover.js';
export type { ConfirmationRepository, NewConfirmation, StoredConfirmation } from './store/repositories/confirmations.js';
export type { DeductionRepository, StoredDeduction } from './store/repositories/deductions.js';
export type { ExemptionRepository, StoredExemption } from './store/repositories/exemptions.js';
export type { GroupBinding, GroupRepository } from './store/repositories/groups.js';
export type { HighlightRepository, StoredHighlight } from './store/repositories/highlights.js';
export type { InboxRepository, ProcessedMessage } from './store/repositories/inbox.js';
export type { Liaison, LiaisonRepository } from './store/repositories/liaisons.js';
export type { OutboxEntry, OutboxRepository } from './store/repositories/outbox.js';

// Records for the assessment
export { exportRecords } from './export.js';
export type { ExportOptions } from './export.js';

// Weekly digest schedule
export { DEFAULT_DIGEST_SCHEDULE, dueDigestWeek, nextDigestTime, weekDigestTime } from './digest/schedule.js';
export type { DigestSchedule } from './digest/schedule.js';

// Templates
export { OUTPUT_STYLES, builtinTemplatesDir, createRenderer, escapeFor, escapeLink } from './templates/render.js';
export type { Renderer, RendererOptions } from './templates/render.js';
export { MentionValue, TEMPLATE_NAMES } from './templates/views.js';
export type {
  BaseView,
  ConfirmResultView,
  ConfirmView,
  DigestAdminView,
  DigestUnitView,
  HelpView,
  LeadSummaryView,
  NoticeView,
  NudgeView,
  OpenUnitsView,
  ProgressView,
  QuestionView,
  RowView,
  ScoresView,
  StatusTaskView,
  StatusUnitView,
  SupplementView,
  TaskDetailView,
  TemplateName,
  TemplateViews,
  UndoView,
} from './templates/views.js';
