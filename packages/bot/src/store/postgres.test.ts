import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StoreError, isRetryableStoreError, storeErrorOf } from './errors.js';
import { openStore } from './open.js';
import type { Store } from './store.js';
import { DIALECTS, testStores } from './test-stores.js';

const at = new Date('2022-11-21T02:00:00Z');

describe('storeErrorOf', () => {
  it('maps PostgreSQL conflicts and lost connections to retryable StoreErrors, and leaves other errors alone', () => {
    const of = (error: unknown) => storeErrorOf(error) as StoreError;
    expect(of(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toMatchObject({ code: 'conflict', retryable: true });
    expect(of(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toMatchObject({ code: 'conflict', retryable: true });
    expect(of(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toMatchObject({ code: 'unavailable' });
    expect(of(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toMatchObject({ code: 'unavailable' });
    expect(of(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: 'unavailable' });
    expect(of(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toMatchObject({ code: 'busy' });
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(storeErrorOf(unique)).toBe(unique);
    expect(isRetryableStoreError(storeErrorOf(unique))).toBe(false);
  });
});

describe('openStore with a PostgreSQL url', () => {
  it('refuses a url of another scheme and fails as unavailable when the server cannot be reached', async () => {
    await expect(openStore({ url: 'mysql://u:secret@127.0.0.1/x' })).rejects.toThrow(/postgres:\/\/.*mysql:\/\/u:\*\*\*@/);
    const error = await openStore({ url: 'postgres://u:p@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(isRetryableStoreError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unavailable' });
  });
});

describe.each(DIALECTS.filter((d) => d === 'postgres'))('two store instances on one PostgreSQL database (%s)', (dialect) => {
  const stores = testStores(dialect);
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    a = await stores.open();
    b = await openStore({ url: stores.url(), poolSize: 4 });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('claims each digest for one instance only when both claim at once', async () => {
    for (let i = 0; i < 60; i++) await a.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: `g${i}`, kind: 'unit', unit: `u${i}` }, at);
    const staleBefore = new Date(at.getTime() - 600_000);
    const drain = async (store: Store) => {
      const got: number[] = [];
      for (;;) {
        const batch = await store.outbox.claimBatch({ limit: 4, week: '2022-W47' }, at, staleBefore);
        if (batch.length === 0) return got;
        got.push(...batch.map((e) => e.id));
      }
    };
    const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
    const all = [...(fromA ?? []), ...(fromB ?? [])];
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
    expect((await b.outbox.list({ status: 'sending' })).every((e) => e.attempts === 1)).toBe(true);
  });

  it('gives the digest lease to exactly one of two instances racing for it', async () => {
    for (let round = 0; round < 10; round++) {
      const name = `digest-${round}`;
      const won = await Promise.all([a.leases.acquire(name, 'a', at, 60_000), b.leases.acquire(name, 'b', at, 60_000)]);
      expect(won.filter(Boolean)).toHaveLength(1);
    }
  });

  it('reports a deadlock between the instances as a retryable conflict and keeps the other transaction', async () => {
    await a.leases.acquire('x', 'a', at, 1000);
    await a.leases.acquire('y', 'a', at, 1000);
    let bothLocked!: () => void;
    const locked = new Promise<void>((resolve) => (bothLocked = resolve));
    let count = 0;
    const step = async (store: Store, first: string, second: string, holder: string) =>
      store.transaction(async (tx) => {
        await sql`update leases set holder = ${holder} where name = ${first}`.execute(tx.db);
        if (++count === 2) bothLocked();
        await locked;
        await sql`update leases set holder = ${holder} where name = ${second}`.execute(tx.db);
      });
    const results = await Promise.allSettled([step(a, 'x', 'y', 'A'), step(b, 'y', 'x', 'B')]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ name: 'StoreError', code: 'conflict', retryable: true });
    const holders = new Set([(await a.leases.get('x'))?.holder, (await a.leases.get('y'))?.holder]);
    expect(holders.size).toBe(1);
  }, 20_000);

  it('reports a connection cut by the server as retryable and reconnects for the next operation', async () => {
    const error = await b
      .transaction(async (tx) => {
        const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx.db)).rows[0]?.pid;
        await sql`select pg_terminate_backend(${pid})`.execute(a.db);
        await tx.admins.add({ platform: 'memory', userId: 'a1', name: '王' }, { actor: { platform: 'cli', id: 'ops' }, at });
      })
      .catch((e: unknown) => e);
    expect(isRetryableStoreError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(await b.admins.has('memory', 'a1')).toBe(false);
    await b.admins.add({ platform: 'memory', userId: 'a1', name: '王' }, { actor: { platform: 'cli', id: 'ops' }, at });
    expect(await a.admins.has('memory', 'a1')).toBe(true);
  });
});
