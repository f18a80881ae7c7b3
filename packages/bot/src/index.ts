/**
 * @zwgk/bot — the platform-agnostic zwgk chat bot engine: commands (确认, 撤销, 本周, 进度, 汇报, 亮点 and the
 * admin commands), weekly digests through an outbox, durable storage with an audit log, and one set of
 * templates that build neutral messages (rendered by each adapter). Chat platforms plug in through the
 * {@link Adapter} interface.
 *
 * The root exports the engine (`createBot`), the store factory (`openStore`) and the adapter contract
 * (re-exported from `@zwgk/chat-contract`); `@zwgk/bot/store` has the store itself (records, migrations) for
 * tools such as the CLI, and `@zwgk/bot/grammar` the command grammar.
 *
 * @example
 * import { getPlan } from '@zwgk/sdk/qinyuan';
 * import { createBot, openStore } from '@zwgk/bot';
 *
 * const store = await openStore(); // ./data/zwgk.sqlite, see OpenStoreOptions
 * const bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [myAdapter] });
 * await bot.start();
 *
 * @packageDocumentation
 */

// Adapter contract (from @zwgk/chat-contract)
export { AdapterError, actionsOf, isRetryable, renderPlainText } from './adapter.js';
export type {
  Action,
  Adapter,
  Block,
  EventHandler,
  IncomingEvent,
  IncomingMessage,
  Inline,
  Mention,
  OutgoingFile,
  OutgoingMessage,
  SendOptions,
  SentMessage,
} from './adapter.js';

// Engine
export { botOptionsSchema, createBot, digestOptionsSchema } from './engine.js';
export type { Bot, BotOptions, DigestDelivery, DigestOptions, DigestOutcome, DigestPreview, DigestRun, DigestWork, EvidenceCheckRun, HandleResult, Logger } from './engine.js';
export { evidenceOptionsSchema } from './evidence/options.js';
export { createEvidenceChecker } from './evidence/checker.js';
export type { EvidenceChecker, EvidenceCheckerDeps } from './evidence/checker.js';
export type { EvidenceOptions, EvidenceSettings } from './evidence/options.js';
export type { ConfirmPolicy } from './handlers/context.js';

// Storage: the factory, the handle createBot takes and the store's retryable busy error. The store's
// class, repositories, migrations and record types are in the `@zwgk/bot/store` subpath; the command grammar
// is in `@zwgk/bot/grammar`.
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_DATABASE_FILE, createStore, isPostgresUrl, openStore, redactUrl } from './store/open.js';
export { copyStore } from './store/copy.js';
export type { CopyReport } from './store/copy.js';
export type { OpenStoreOptions } from './store/open.js';
export { StoreError, isRetryableStoreError } from './store/errors.js';
export type { StoreErrorCode } from './store/errors.js';
export type { Store } from './store/store.js';

// Tenants: many counties in one deployment (a registry plus one store per tenant)
export { DEFAULT_TENANT, TENANT_ID, TenantRegistry, isTenantId, openTenantRegistry, registryMigrations, tenantSettingsSchema } from './tenants/registry.js';
export type { RegistryCacheOptions, RegistryCacheStats, RegistryDatabase, RegistrySnapshot, RollupAdmin, RollupGroup, Tenant, TenantResult, TenantSettings } from './tenants/registry.js';
export { createTenantRouter } from './tenants/router.js';
export type { RoutedTenant, TenantRouter, TenantRouterOptions, TenantStatus } from './tenants/router.js';
export { DIGEST_SCHEDULER_LEASE, DIGEST_SENDER_LEASE_PREFIX, createSharedDigestScheduler } from './tenants/digests.js';
export type { SharedDigestScheduler, SharedDigestSchedulerOptions } from './tenants/digests.js';
export { countyOverviewView, countySummary, rollupSummaries } from './tenants/rollup.js';
export type { CountySummary, RollupSource } from './tenants/rollup.js';

// Records for the assessment
export { exportRecords } from './export.js';
export type { ExportOptions } from './export.js';

// The office's review (复核) of confirmations, for the CLI and other tools
export { decideReviews, resubmitIfReturned, reviewCounts, reviewItems } from './review.js';
export type { EvidenceCheckSummary, ReviewDecisionResult, ReviewFilter, ReviewItem, ReviewSelection } from './review.js';

// Weekly digest schedule
export { DEFAULT_DIGEST_SCHEDULE, dueDigestWeek, nextDigestTime, weekDigestTime } from './digest/schedule.js';
export type { DigestSchedule } from './digest/schedule.js';

// Templates
export { builtinTemplatesDir, createRenderer } from './templates/render.js';
export type { Renderer, RendererOptions, TextKey } from './templates/render.js';
export { MentionValue, TEMPLATE_NAMES } from './templates/views.js';
export type {
  BaseView,
  ConfirmResultView,
  ConfirmView,
  DigestAdminView,
  DigestUnitView,
  HelpView,
  LeadSummaryView,
  NoticeButtonView,
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
