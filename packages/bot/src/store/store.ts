import type { Db } from './db.js';
import type { SqlDialect } from './migrations/columns.js';
import { AdminRepository } from './repositories/admins.js';
import { AuditRepository } from './repositories/audit.js';
import { BriefingRepository } from './repositories/briefings.js';
import { CarryoverRepository } from './repositories/carryover.js';
import { ConfirmationRepository } from './repositories/confirmations.js';
import { DeductionRepository } from './repositories/deductions.js';
import { EvidenceCheckRepository } from './repositories/evidence-checks.js';
import { ExemptionRepository } from './repositories/exemptions.js';
import { GroupRepository, type GroupBinding } from './repositories/groups.js';
import { HighlightRepository } from './repositories/highlights.js';
import { InboxRepository, type ProcessedMessage } from './repositories/inbox.js';
import { LeaseRepository } from './repositories/leases.js';
import { RateBucketRepository } from './repositories/rate-buckets.js';
import { LiaisonRepository, type Liaison } from './repositories/liaisons.js';
import { OutboxRepository, type OutboxEntry } from './repositories/outbox.js';
import { RectificationRepository } from './repositories/rectifications.js';
import { ReviewRepository } from './repositories/reviews.js';

export type { Actor, ChangeContext } from './db.js';
export type { StoredConfirmation } from './repositories/confirmations.js';
export type { FlaggedEvidenceCheck, StoredEvidenceCheck } from './repositories/evidence-checks.js';
export type { GroupBinding } from './repositories/groups.js';
export type { ProcessedMessage } from './repositories/inbox.js';
export type { Liaison } from './repositories/liaisons.js';
export type { OutboxEntry } from './repositories/outbox.js';
export type { RectificationRefusal, StoredRectification } from './repositories/rectifications.js';
export type { ReviewState } from './repositories/reviews.js';

/**
 * The bot's durable state over Kysely, one repository per kind of record: `groups` (bindings),
 * `liaisons`, `admins`, the records (`confirmations`, `briefings`, `highlights`, `exemptions`,
 * `deductions`, `carryover`, `rectifications`), `evidenceChecks`, `reviews` (复核 of confirmations), `inbox` (processed message ids), `outbox` (weekly digests) and the
 * append-only `audit` log. Open one with `openStore` (SQLite) or `createStore` (any Kysely dialect).
 *
 * Every change writes its audit entry in the same transaction as the change. Units are named as the
 * plan's directory spells them (resolve aliases first). The queries use no dialect-specific SQL.
 *
 * @example
 * const store = await openStore({ filename: ':memory:' });
 * await store.transaction(async (tx) => {
 *   await tx.groups.bindUnit({ platform: 'dingtalk', conversationId: 'cid1', unit: '郭道镇' }, ctx);
 *   await tx.liaisons.add({ unit: '郭道镇', platform: 'dingtalk', userId: 'u1', name: '张三' }, ctx);
 * });
 * const rows = await store.confirmations.list({ year: 2022, unit: '郭道镇' });
 */
export class Store {
  /** Group chats bound to units, and the admin group. */
  readonly groups: GroupRepository;
  /** Liaisons (联络员) of units. */
  readonly liaisons: LiaisonRepository;
  /** County-office administrators. */
  readonly admins: AdminRepository;
  /** Confirmations (确认). */
  readonly confirmations: ConfirmationRepository;
  /** Leader briefings (汇报). */
  readonly briefings: BriefingRepository;
  /** 亮点工程 entries. */
  readonly highlights: HighlightRepository;
  /** Exemptions (豁免). */
  readonly exemptions: ExemptionRepository;
  /** Manual deductions. */
  readonly deductions: DeductionRepository;
  /** Carry-over items (回头看). */
  readonly carryover: CarryoverRepository;
  /** Rectification items (整改) and their states. */
  readonly rectifications: RectificationRepository;
  /** Checks of confirmations' evidence links. */
  readonly evidenceChecks: EvidenceCheckRepository;
  /** Processed chat messages, so that a redelivery counts once. */
  readonly inbox: InboxRepository;
  /** Weekly digests to send. */
  readonly outbox: OutboxRepository;
  /** The append-only audit log. */
  readonly audit: AuditRepository;
  /** Named leases: which of several processes on one database plays a role (the digest scheduler). */
  readonly leases: LeaseRepository;
  /** Send-rate buckets shared by the processes on one database (a chat app's limits across instances). */
  readonly rateBuckets: RateBucketRepository;
  /** The office's review (复核) of confirmations: 通过, 退回 and resubmissions. */
  readonly reviews: ReviewRepository;

  /** @internal Use `openStore` or `createStore`. */
  constructor(
    /** The Kysely instance (or the transaction) the store runs on; it carries `CamelCasePlugin`. */
    readonly db: Db,
    /** The SQL dialect of `db`. */
    readonly dialect: SqlDialect,
    private readonly onClose?: () => Promise<void>,
  ) {
    this.groups = new GroupRepository(db);
    this.liaisons = new LiaisonRepository(db);
    this.admins = new AdminRepository(db);
    this.confirmations = new ConfirmationRepository(db);
    this.briefings = new BriefingRepository(db);
    this.highlights = new HighlightRepository(db);
    this.exemptions = new ExemptionRepository(db);
    this.deductions = new DeductionRepository(db);
    this.carryover = new CarryoverRepository(db);
    this.rectifications = new RectificationRepository(db);
    this.evidenceChecks = new EvidenceCheckRepository(db);
    this.inbox = new InboxRepository(db);
    this.outbox = new OutboxRepository(db);
    this.audit = new AuditRepository(db);
    this.leases = new LeaseRepository(db);
    this.rateBuckets = new RateBucketRepository(db);
    this.reviews = new ReviewRepository(db);
  }

  /**
   * Runs `fn` in one write transaction: everything it does through the store it receives commits
   * together or not at all (a throw rolls back). On SQLite the transaction takes the write lock up front
   * (`BEGIN IMMEDIATE`), waiting up to the busy timeout; when another process holds the lock longer, it
   * throws a `StoreError` with `retryable: true` and nothing was written. Nested calls join the outer
   * transaction. Inside `fn`, use only the store it receives: the outer store waits for it to end.
   */
  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new Store(trx, this.dialect)));
  }

  /** Closes the database. */
  async close(): Promise<void> {
    if (this.db.isTransaction) throw new Error('Store.close: cannot close from inside a transaction');
    await this.db.destroy();
    await this.onClose?.();
  }

  // ── The engine's calls, kept with their names while the engine moves to the repositories ─────────

  /** Same as `inbox.find`. */
  findProcessed(platform: string, messageId: string): Promise<ProcessedMessage | null> {
    return this.inbox.find(platform, messageId);
  }

  /** Same as `inbox.record`. */
  recordProcessed(input: { platform: string; messageId: string; conversationId: string; senderId: string; command: string; reply: unknown; changed?: boolean }, at: Date): Promise<boolean> {
    return this.inbox.record(input, at);
  }

  /** Same as `inbox.markReplied`. */
  markReplied(platform: string, messageId: string, at: Date): Promise<void> {
    return this.inbox.markReplied(platform, messageId, at);
  }

  /** Same as `outbox.enqueue`. */
  enqueueDigest(input: { week: string; platform: string; conversationId: string; kind: 'unit' | 'admin'; unit: string | null }, at: Date): Promise<boolean> {
    return this.outbox.enqueue(input, at);
  }

  /** Same as `outbox.claim`. */
  claimDigest(id: number, at: Date, staleBefore: Date): Promise<boolean> {
    return this.outbox.claim(id, at, staleBefore);
  }

  /** Same as `outbox.claimBatch`. */
  claimDigests(input: { limit: number; week?: string }, at: Date, staleBefore: Date): Promise<OutboxEntry[]> {
    return this.outbox.claimBatch(input, at, staleBefore);
  }

  /** Same as `outbox.markSent`. */
  markDigestSent(id: number, at: Date, claimedAt: Date): Promise<boolean> {
    return this.outbox.markSent(id, at, claimedAt);
  }

  /** Same as `outbox.markFailed`. */
  markDigestFailed(id: number, error: string, giveUp: boolean, claimedAt: Date): Promise<boolean> {
    return this.outbox.markFailed(id, error, giveUp, claimedAt);
  }

  /** Same as `outbox.list`. */
  listOutbox(filter: { week?: string; status?: OutboxEntry['status'] } = {}): Promise<OutboxEntry[]> {
    return this.outbox.list(filter);
  }

  /** Same as `groups.of`. */
  groupOf(platform: string, conversationId: string): Promise<GroupBinding | null> {
    return this.groups.of(platform, conversationId);
  }

  /** Same as `groups.list`. */
  listGroups(): Promise<GroupBinding[]> {
    return this.groups.list();
  }

  /** Same as `admins.has`. */
  isAdmin(platform: string, userId: string): Promise<boolean> {
    return this.admins.has(platform, userId);
  }

  /** Same as `liaisons.list`. */
  listLiaisons(unit?: string): Promise<Liaison[]> {
    return this.liaisons.list(unit);
  }
}
