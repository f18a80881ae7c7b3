import { sql } from 'kysely';
import type { Db } from '../db.js';

/** A lease as stored. */
export interface Lease {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/**
 * Named leases, so that of several processes sharing one database only one plays a role at a time
 * (the digest scheduler). A lease is held until it expires or is released; a holder renews it by
 * acquiring it again before it expires. Expiry compares the callers' clocks: keep the instances' clocks
 * in sync (NTP), and make `ttlMs` much longer than the clock skew.
 */
export class LeaseRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes (or renews) the lease `name` for `holder` until `at + ttlMs`. Returns true when `holder` holds
   * it now; false while another holder's lease has not expired. One statement, so two processes racing
   * for a free lease cannot both win.
   */
  async acquire(name: string, holder: string, at: Date, ttlMs: number): Promise<boolean> {
    const now = at.toISOString();
    const expiresAt = new Date(at.getTime() + ttlMs).toISOString();
    const r = await this.db
      .insertInto('leases')
      .values({ name, holder, acquiredAt: now, expiresAt })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, acquiredAt: now, expiresAt })
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expiresAt', '<=', now)])),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Gives the lease back if `holder` holds it, so that another process may take it at once. Returns true when released. */
  async release(name: string, holder: string): Promise<boolean> {
    const r = await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * The leases whose names start with `prefix` and that have not expired at `at`, by name: e.g. the
   * senders alive now, each renewing a lease of its own.
   */
  async live(prefix: string, at: Date): Promise<Lease[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .selectFrom('leases')
      .select(['name', 'holder', 'acquiredAt', 'expiresAt'])
      .where(sql<boolean>`${sql.ref('name')} like ${pattern} escape '\\'`)
      .where('expiresAt', '>', at.toISOString())
      .orderBy('name')
      .execute();
  }

  /** The lease `name` as stored (possibly expired), or null. */
  async get(name: string): Promise<Lease | null> {
    return (await this.db.selectFrom('leases').select(['name', 'holder', 'acquiredAt', 'expiresAt']).where('name', '=', name).executeTakeFirst()) ?? null;
  }
}
