import type { Generated } from 'kysely';

/*
 * Table types for Kysely. Times are ISO 8601 UTC strings (`2022-11-20T02:00:00.000Z`, sortable as text),
 * dates are `YYYY-MM-DD` (Asia/Shanghai), flags are 0/1 integers and lists are JSON text, so the same
 * queries run on SQLite and PostgreSQL.
 */

/** A group chat bound to a unit. */
export interface UnitGroupsTable {
  platform: string;
  conversation_id: string;
  unit: string;
  title: string | null;
  bound_by: string;
  bound_at: string;
}

/** A group chat of the county office (the admin group). */
export interface AdminGroupsTable {
  platform: string;
  conversation_id: string;
  title: string | null;
  bound_by: string;
  bound_at: string;
}

export interface LiaisonsTable {
  id: Generated<number>;
  unit: string;
  platform: string;
  user_id: string;
  name: string;
  added_by: string;
  added_at: string;
}

export interface AdminsTable {
  platform: string;
  user_id: string;
  name: string;
  added_by: string;
  added_at: string;
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
  conversation_id: string;
  sender_id: string;
  sender_name: string;
  message_id: string | null;
  evidence: string;
  note: string | null;
  undone_at: string | null;
  undone_by: string | null;
}

export interface BriefingsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  date: string;
  note: string | null;
  recorded_at: string;
  recorded_by: string;
  platform: string;
  conversation_id: string | null;
}

export interface HighlightsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  title: string;
  status: 'submitted' | 'selected';
  evidence: string;
  submitted_at: string;
  submitted_by: string;
  selected_at: string | null;
  selected_by: string | null;
  platform: string;
  conversation_id: string | null;
}

export interface ExemptionsTable {
  id: Generated<number>;
  year: number;
  task: number;
  unit: string;
  /** One milestone, or every milestone of the task when null. */
  due: string | null;
  reason: string;
  granted_at: string;
  granted_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface DeductionsTable {
  id: Generated<number>;
  year: number;
  unit: string;
  points: number;
  reason: string;
  recorded_at: string;
  recorded_by: string;
}

export interface CarryoverTable {
  id: Generated<number>;
  year: number;
  unit: string;
  item: string;
  resolved: number;
  recorded_at: string;
  recorded_by: string;
  resolved_at: string | null;
}

/** One row per state-changing chat message: redelivery of the same platform message id counts once. */
export interface ProcessedMessagesTable {
  platform: string;
  message_id: string;
  conversation_id: string;
  sender_id: string;
  command: string;
  processed_at: string;
  /** The rendered reply (JSON), re-sent if the first reply never went out. */
  reply: string | null;
  replied_at: string | null;
}

/** Weekly digests: exactly one per (platform, conversation, ISO week). */
export interface DigestOutboxTable {
  id: Generated<number>;
  week: string;
  platform: string;
  conversation_id: string;
  kind: 'unit' | 'admin';
  unit: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  created_at: string;
  claimed_at: string | null;
  sent_at: string | null;
  last_error: string | null;
}

/** Append-only: every change, by whom, when and through which channel. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_platform: string;
  actor_id: string;
  actor_name: string | null;
  channel: string;
  conversation_id: string | null;
  action: string;
  payload: string;
}

/** The database as Kysely sees it. */
export interface Database {
  unit_groups: UnitGroupsTable;
  admin_groups: AdminGroupsTable;
  liaisons: LiaisonsTable;
  admins: AdminsTable;
  confirmations: ConfirmationsTable;
  briefings: BriefingsTable;
  highlights: HighlightsTable;
  exemptions: ExemptionsTable;
  deductions: DeductionsTable;
  carryover: CarryoverTable;
  processed_messages: ProcessedMessagesTable;
  digest_outbox: DigestOutboxTable;
  audit_log: AuditLogTable;
}
