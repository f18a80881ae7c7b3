import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What a repository runs on: the store's Kysely instance or a transaction of it (`Transaction` is a `Kysely`). */
export type Db = Kysely<Database>;

/** Who made a change, and through which channel (`chat`, `cli`, `system`). */
export interface Actor {
  /** Platform of the person (`dingtalk`, `slack`, `cli` …). */
  platform: string;
  /** Platform user id (for the CLI, the operating-system user name). */
  id: string;
  name?: string;
  /** `chat` (default when `conversationId` is set), `cli` or `system`. */
  channel?: string;
  /** The conversation the change came from. */
  conversationId?: string;
}

/** Who changes something and when; every change writes one audit entry. `at` defaults to the current time. */
export interface ChangeContext {
  actor: Actor;
  at?: Date;
}

/** Runs `fn` in a transaction of `db`, or directly when `db` already is one (the change joins it). */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export function iso(at: Date | undefined): string {
  return (at ?? new Date()).toISOString();
}

/** The `*_by` column value of an actor: `platform:id`. */
export function by(actor: Actor): string {
  return `${actor.platform}:${actor.id}`;
}

/** A JSON list of strings as stored; anything else reads as empty. */
export function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
