import type { Generated } from 'kysely';

/*
 * Table types for Kysely, in camelCase: the store's Kysely instance carries `CamelCasePlugin`, so
 * `conversationId` here is the column `conversation_id` and `unitGroups` the table `unit_groups`.
 * Times are ISO 8601 UTC strings (`2022-11-20T02:00:00.000Z`, sortable as text), dates are
 * `YYYY-MM-DD` (Asia/Shanghai), flags are 0/1 integers and lists are JSON text, so the same queries run
 * on SQLite and PostgreSQL.
 */

/** A group chat bound to a unit. */
export interface UnitGroupsTable {
  platform: string;
  conversationId: string;
  unit: string;
  title: string | null;
  boundBy: string;
  boundAt: string;
}

/** A group chat of the county office (the admin group). */
export interface AdminGroupsTable {
  platform: string;
  conversationId: string;
  title: string | null;
  boundBy: string;
  boundAt: string;
}

export interface LiaisonsTable {
  id: Generated<number>;
  unit: string;
  platform: string;
  userId: string;
  name: string;
  addedBy: string;
  addedAt: string;
}

export interface AdminsTable {
  platform: string;
  userId: string;
  name: string;
  addedBy: string;
  addedAt: string;
}

export interface ConfirmationsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  task: number;
  /** The milestone's due date in the plan year. */
  due: string;
  at: string;
  platform: string;
  conversationId: string;
  senderId: string;
  senderName: string;
  messageId: string | null;
  evidence: string;
  note: string | null;
  undoneAt: string | null;
  undoneBy: string | null;
  /** The completion date the liaison stated (migration 0003); scoring keeps `at`. */
  claimedDate: string | null;
}

export interface BriefingsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  date: string;
  note: string | null;
  recordedAt: string;
  recordedBy: string;
  platform: string;
  conversationId: string | null;
}

export interface HighlightsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  title: string;
  status: 'submitted' | 'selected';
  evidence: string;
  submittedAt: string;
  submittedBy: string;
  selectedAt: string | null;
  selectedBy: string | null;
  platform: string;
  conversationId: string | null;
}

export interface ExemptionsTable {
  id: Generated<number>;
  year: number;
  task: number;
  unit: string;
  /** One milestone, or every milestone of the task when null. */
  due: string | null;
  reason: string;
  grantedAt: string;
  grantedBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface DeductionsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  points: number;
  reason: string;
  recordedAt: string;
  recordedBy: string;
  /** Set when the office withdrew the deduction (migration 0007); a withdrawn deduction does not count. */
  removedAt: string | null;
  removedBy: string | null;
}

export interface CarryoverTable {
  id: Generated<number>;
  year: number;
  unit: string;
  item: string;
  resolved: number;
  recordedAt: string;
  recordedBy: string;
  resolvedAt: string | null;
}

/** One check of one evidence link of a confirmation (migration 0007). */
export interface EvidenceChecksTable {
  id: Generated<number>;
  confirmationId: number;
  url: string;
  state: 'pending' | 'done';
  /** The outcome (`EvidenceCheckResult` of @zwgk/sdk) once done. */
  result: string | null;
  httpStatus: number | null;
  title: string | null;
  /** Where the last redirect led, when it led elsewhere. */
  finalUrl: string | null;
  detail: string | null;
  requestedAt: string;
  requestedBy: string;
  claimedAt: string | null;
  checkedAt: string | null;
  attempts: Generated<number>;
  /** When the office was told about a failing link. */
  notifiedAt: string | null;
}

/** A rectification item (整改) set by the county office (migration 0007). */
export interface RectificationsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  item: string;
  due: string;
  state: 'open' | 'rectified' | 'verified';
  recordedAt: string;
  recordedBy: string;
  rectifiedAt: string | null;
  rectifiedBy: string | null;
  rectifiedNote: string | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
}

/** One row per state-changing chat message: redelivery of the same platform message id counts once. */
export interface ProcessedMessagesTable {
  platform: string;
  messageId: string;
  conversationId: string;
  senderId: string;
  command: string;
  processedAt: string;
  /** The rendered reply (JSON), re-sent if the first reply never went out. */
  reply: string | null;
  repliedAt: string | null;
  /** When the reply's request was about to leave; set without `repliedAt` after a crash, the reply is uncertain. */
  replyStartedAt: string | null;
  /** 1 when the message changed something; 0 when it was only answered (kept so a redelivery is not answered again). */
  changed: Generated<number>;
}

/** Weekly digests: exactly one per (platform, conversation, ISO week). */
export interface DigestOutboxTable {
  id: Generated<number>;
  week: string;
  platform: string;
  conversationId: string;
  kind: 'unit' | 'admin';
  unit: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  createdAt: string;
  claimedAt: string | null;
  /** The sender holding the claim (a digest scheduler's lease holder; migration 0009), null for a single sender's claim. */
  claimedBy: string | null;
  /** When the send's request was about to leave (after rendering and rate limiting); cleared when it provably failed. */
  sendStartedAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

/** Append-only: every change, by whom, when and through which channel. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actorPlatform: string;
  actorId: string;
  actorName: string | null;
  channel: string;
  conversationId: string | null;
  action: string;
  payload: string;
}

/** The office's review (复核) of confirmations, one row per decision or resubmission (migration 0006). */
export interface ReviewsTable {
  id: Generated<number>;
  confirmationId: number;
  year: number;
  unit: string;
  task: number;
  due: string;
  action: 'accepted' | 'returned' | 'resubmitted';
  /** Why it was returned (退回). */
  reason: string | null;
  at: string;
  /** `platform:id` of who acted. */
  actor: string;
  actorName: string | null;
}

/**
 * A named lease held by one process until `expiresAt` (ISO time): the digest scheduler's leadership
 * when several instances share one database.
 */
export interface LeasesTable {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/**
 * A send-rate bucket shared by the processes on one database: `tat` is the theoretical arrival time of
 * its next conforming send (GCRA), epoch ms.
 */
export interface RateBucketsTable {
  bucket: string;
  tat: number;
}

/** The database as Kysely sees it. */
export interface Database {
  unitGroups: UnitGroupsTable;
  adminGroups: AdminGroupsTable;
  liaisons: LiaisonsTable;
  admins: AdminsTable;
  confirmations: ConfirmationsTable;
  briefings: BriefingsTable;
  highlights: HighlightsTable;
  exemptions: ExemptionsTable;
  deductions: DeductionsTable;
  carryover: CarryoverTable;
  evidenceChecks: EvidenceChecksTable;
  rectifications: RectificationsTable;
  processedMessages: ProcessedMessagesTable;
  digestOutbox: DigestOutboxTable;
  auditLog: AuditLogTable;
  leases: LeasesTable;
  rateBuckets: RateBucketsTable;
  reviews: ReviewsTable;
}
