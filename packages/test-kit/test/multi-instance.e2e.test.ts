import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_GROUP, createTestBot, groupOf, manualClock, setupCounty, type MemoryAdapter, type TestBot } from '../src/index.js';
import { createTestDatabase, POSTGRES } from './postgres.js';

/** Digests sent per conversation, over all instances' chats. */
function digestCounts(chats: MemoryAdapter[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chat of chats) for (const r of chat.sent) if (r.kind === 'send') counts.set(r.conversationId, (counts.get(r.conversationId) ?? 0) + 1);
  return counts;
}

describe.runIf(POSTGRES)('several bot instances on one PostgreSQL database', () => {
  let db: { url: string; drop: () => Promise<void> };
  let bots: TestBot[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());
  afterEach(async () => {
    for (const b of bots) await b.close();
    bots = [];
  });

  async function instances(n: number, options: { scheduler: boolean }): Promise<{ bots: TestBot[]; expected: string[] }> {
    const clock = manualClock('2022-11-21 08:00');
    const digest = options.scheduler ? { enabled: true, tickMs: 3_600_000 } : {};
    for (let i = 0; i < n; i++) bots.push(await createTestBot({ url: db.url, clock, start: false, digest: { ...digest, instanceId: `instance-${i}` } }));
    const first = bots[0]!;
    // A fresh county per test: empty the shared tables through the first instance.
    await first.store.db.deleteFrom('digestOutbox').execute();
    await first.store.db.deleteFrom('leases').execute();
    await first.store.db.deleteFrom('unitGroups').execute();
    await first.store.db.deleteFrom('adminGroups').execute();
    await first.store.db.deleteFrom('liaisons').execute();
    await first.store.db.deleteFrom('admins').execute();
    const units = await setupCounty(first);
    clock.set('2022-11-21 09:00');
    return { bots, expected: [...units.map(groupOf), ADMIN_GROUP].sort() };
  }

  it('sends each digest once when three instances run the digest pass at the same moment', async () => {
    const { bots: three, expected } = await instances(3, { scheduler: false });
    const runs = await Promise.all(three.map((b) => b.bot.runDueDigests()));
    const counts = digestCounts(three.map((b) => b.chat));
    expect([...counts.keys()].sort()).toEqual(expected);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(runs.reduce((n, r) => n + r.sent.length, 0)).toBe(expected.length);
    // The work was shared: the outbox shows every digest sent once.
    const outbox = await three[0]!.store.outbox.list({ week: '2022-W47' });
    expect(outbox.map((e) => e.status)).toEqual(expected.map(() => 'sent'));
  });

  it('lets only the scheduler lease holder run scheduled passes, and another instance take over when it stops', async () => {
    const { bots: two, expected } = await instances(2, { scheduler: true });
    const [a, b] = two as [TestBot, TestBot];
    await a.bot.start();
    await b.bot.start();
    expect(a.chat.sent.filter((r) => r.kind === 'send')).toHaveLength(expected.length);
    expect(b.chat.sent.filter((r) => r.kind === 'send')).toHaveLength(0);
    expect(await b.store.leases.get('digest-scheduler')).toMatchObject({ holder: 'instance-0' });
    // The leader stops (and gives the lease back): the other instance's next pass holds the lease.
    await a.bot.stop();
    expect(await b.store.leases.get('digest-scheduler')).toBeNull();
    await b.bot.stop();
    await b.bot.start();
    expect(await b.store.leases.get('digest-scheduler')).toMatchObject({ holder: 'instance-1' });
    expect(digestCounts([a.chat, b.chat]).size).toBe(expected.length);
    expect([...digestCounts([a.chat, b.chat]).values()].every((n) => n === 1)).toBe(true);
  });
});
