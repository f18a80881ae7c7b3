import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { DIALECTS, testStores } from '../test-stores.js';

const at = new Date('2022-11-21T02:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);

describe.each(DIALECTS)('LeaseRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('gives a lease to one holder until it expires or is released', async () => {
    expect(await store.leases.acquire('digest', 'a', at, 60_000)).toBe(true);
    expect(await store.leases.acquire('digest', 'b', later(30_000), 60_000)).toBe(false);
    // The holder renews it; the other still waits.
    expect(await store.leases.acquire('digest', 'a', later(50_000), 60_000)).toBe(true);
    expect(await store.leases.acquire('digest', 'b', later(100_000), 60_000)).toBe(false);
    expect(await store.leases.get('digest')).toMatchObject({ holder: 'a', expiresAt: later(110_000).toISOString() });
    // Expired: the other takes it over.
    expect(await store.leases.acquire('digest', 'b', later(110_000), 60_000)).toBe(true);
    expect(await store.leases.release('digest', 'a')).toBe(false);
    expect(await store.leases.release('digest', 'b')).toBe(true);
    expect(await store.leases.acquire('digest', 'a', later(111_000), 60_000)).toBe(true);
    expect(await store.leases.acquire('other', 'b', later(111_000), 60_000)).toBe(true);
  });

  it('lists the live leases of a prefix, not expired ones nor others', async () => {
    await store.leases.acquire('sender:a_1', 'a_1', at, 60_000);
    await store.leases.acquire('sender:b', 'b', at, 1_000);
    await store.leases.acquire('senderXc', 'c', at, 60_000);
    await store.leases.acquire('digest', 'a', at, 60_000);
    expect((await store.leases.live('sender:', later(500))).map((l) => l.holder)).toEqual(['a_1', 'b']);
    expect((await store.leases.live('sender:', later(2_000))).map((l) => l.holder)).toEqual(['a_1']);
    // `_` and `%` in the prefix are plain characters.
    expect((await store.leases.live('sender:a_', later(500))).map((l) => l.holder)).toEqual(['a_1']);
    expect(await store.leases.live('sender_', later(500))).toEqual([]);
  });
});
