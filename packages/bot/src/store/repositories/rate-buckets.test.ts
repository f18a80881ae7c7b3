import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../open.js';
import type { Store } from '../store.js';
import { DIALECTS, testStores } from '../test-stores.js';

const at = new Date('2022-11-21T02:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
// 4 sends a second with a burst of 4, and 2 a second per group with a burst of 2.
const app = { bucket: 'dingtalk:app:a', intervalMs: 250, toleranceMs: 750 };
const group = (cid: string) => ({ bucket: `dingtalk:group:a:${cid}`, intervalMs: 500, toleranceMs: 500 });

describe.each(DIALECTS)('RateBucketRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('lets a burst up to the bucket size go at once and spreads the rest at the steady rate', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) waits.push(await store.rateBuckets.reserve([app, group(`g${i}`)], at));
    expect(waits).toEqual([0, 0, 0, 0, 250, 500, 750]);
  });

  it('holds a send back for the tighter of its group and its app', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push(await store.rateBuckets.reserve([app, group('g1')], at));
    // The group allows 2 at once, then one every 500 ms; the app would allow 4 at once.
    expect(waits).toEqual([0, 0, 500, 1000]);
    // The app's 4 bookings (the last at +1000 ms) used its burst: another group's send waits for the app.
    expect(await store.rateBuckets.reserve([app, group('g2')], at)).toBe(500);
  });

  it('refills with time, and forgets buckets that are full again', async () => {
    for (let i = 0; i < 4; i++) await store.rateBuckets.reserve([app], at);
    expect(await store.rateBuckets.reserve([app], later(1000))).toBe(0);
    expect(await store.rateBuckets.prune(later(1000))).toBe(0);
    expect(await store.rateBuckets.prune(later(2000))).toBe(1);
    expect(await store.rateBuckets.reserve([app], later(2000))).toBe(0);
  });

  it('books distinct slots for reservations racing from several connections', async () => {
    // On PostgreSQL: two more processes' pools on the same database; SQLite has one connection.
    const others = dialect === 'postgres' ? await Promise.all([1, 2].map(() => openStore({ url: stores.url(), poolSize: 4 }))) : [];
    try {
      const all = [store, ...others];
      const waits = await Promise.all(Array.from({ length: 24 }, (_, i) => all[i % all.length]!.rateBuckets.reserve([app], at)));
      // Exactly one booking per slot: 4 at once, then one each 250 ms.
      expect([...waits].sort((a, b) => a - b)).toEqual([0, 0, 0, 0, ...Array.from({ length: 20 }, (_, i) => (i + 1) * 250)]);
    } finally {
      for (const o of others) await o.close();
    }
  });
});
