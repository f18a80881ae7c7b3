/**
 * `@zwgk/bot/store` — the bot's SQLite store for tools that read or change records directly (the CLI's
 * `zwgk liaison add`, `zwgk admin add`, reports): the `Store` class, its record types and the migrations.
 * Bots need only `openStore` from `@zwgk/bot`.
 *
 * @example
 * import { openStore } from '@zwgk/bot';
 * import type { ChangeContext } from '@zwgk/bot/store';
 *
 * const store = await openStore({ filename: './data/zwgk.sqlite' });
 * const by: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: new Date() };
 * await store.addAdmin({ platform: 'dingtalk', userId: 'manager0001', name: '王主任' }, by);
 *
 * @packageDocumentation
 */

export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_DATABASE_FILE, createStore, openStore } from './store/open.js';
export type { OpenStoreOptions } from './store/open.js';
export { StoreError, isRetryableStoreError } from './store/errors.js';
export type { StoreErrorCode } from './store/errors.js';
export { Store } from './store/store.js';
export { migrateToLatest, storeMigrations } from './store/migrations/index.js';
export type { SqlDialect } from './store/migrations/columns.js';
export type { Database } from './store/schema.js';
export type { Actor, ChangeContext } from './store/db.js';
export type { AdminRepository, Admin } from './store/repositories/admins.js';
export type { AuditEntry, AuditRepository } from './store/repositories/audit.js';
export type { BriefingRepository, StoredBriefing } from './store/repositories/briefings.js';
export type { CarryoverRepository, StoredCarryover } from './store/repositories/carryover.js';
export type { ConfirmationRepository, NewConfirmation, StoredConfirmation } from './store/repositories/confirmations.js';
export type { DeductionRepository, StoredDeduction } from './store/repositories/deductions.js';
export type { EvidenceCheckOutcome, EvidenceCheckRepository, FlaggedEvidenceCheck, StoredEvidenceCheck } from './store/repositories/evidence-checks.js';
export { FLAGGED_RESULTS, isFlagged } from './store/repositories/evidence-checks.js';
export type { ExemptionRepository, StoredExemption } from './store/repositories/exemptions.js';
export type { GroupBinding, GroupRepository } from './store/repositories/groups.js';
export type { HighlightRepository, StoredHighlight } from './store/repositories/highlights.js';
export type { InboxRepository, ProcessedMessage } from './store/repositories/inbox.js';
export type { Lease, LeaseRepository } from './store/repositories/leases.js';
export type { RateBucket, RateBucketRepository } from './store/repositories/rate-buckets.js';
export type { Liaison, LiaisonRepository } from './store/repositories/liaisons.js';
export type { OutboxEntry, OutboxRepository } from './store/repositories/outbox.js';
export type { RectificationRefusal, RectificationRepository, RectificationState, StoredRectification } from './store/repositories/rectifications.js';
export { reviewStatus } from './store/repositories/reviews.js';
export type { ReviewAction, ReviewEvent, ReviewRepository, ReviewReturn, ReviewState, ReviewStatus, ReviewTarget } from './store/repositories/reviews.js';
