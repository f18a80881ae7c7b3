/*
 * The send-rate limit kept in PostgreSQL: three DingTalk adapters (as three instances would have) stay
 * together under the limit the emulator enforces for the app, which their own limiters alone exceed.
 */
import { openStore, type Store } from '@zwgk/bot';
import { createDingTalkAdapter, type DingTalkAdapter } from '@zwgk/dingtalk';
import { SANDBOX_APP, startEmulator, type Emulator } from '@zwgk/dingtalk-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeRateLimiter } from '../src/service/shared-rate.js';
import { createTestDatabase, POSTGRES } from './postgres.js';

// The emulator refuses a 7th send of the app within any second; each adapter alone sends 3 a second.
const rate = { perAppPerSecond: 3, perGroupPerMinute: 20 };

describe.runIf(POSTGRES)('storeRateLimiter', () => {
  let db: { url: string; drop: () => Promise<void> };
  let emulator: Emulator;
  const stores: Store[] = [];
  let groups: string[] = Array.from({ length: 18 }, () => '');

  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = await startEmulator({ port: 0, limits: { appPerMinute: 6, windowMs: 1000 } });
    // One store per "instance", each with its own connections.
    for (let i = 0; i < 3; i++) stores.push(await openStore({ url: db.url, poolSize: 2 }));
  }, 60_000);

  afterAll(async () => {
    for (const s of stores) await s.close();
    await emulator?.close();
    await db?.drop();
  });

  beforeEach(() => emulator.reset());

  const adapters = (shared: boolean): DingTalkAdapter[] =>
    stores.map((store) =>
      createDingTalkAdapter({
        clientId: SANDBOX_APP.clientId,
        clientSecret: SANDBOX_APP.clientSecret,
        robotCode: SANDBOX_APP.robotCode,
        apiBase: emulator.url,
        rate,
        retry: { attempts: 10, baseMs: 200, maxMs: 1000 },
        ...(shared ? { rateLimiter: storeRateLimiter(store, { app: SANDBOX_APP.clientId, ...rate }) } : {}),
      }),
    );

  async function sendAll(list: DingTalkAdapter[]): Promise<void> {
    await Promise.all(list.map((a, i) => Promise.all(groups.slice(i * 6, i * 6 + 6).map((cid) => a.send(cid, { style: 'markdown', title: '周报', text: `周报 ${cid}` })))));
  }

  it('keeps three instances together under the app limit', async () => {
    groups = groups.map((_, i) => emulator.createGroup({ title: `群${i}`, members: [{ staffId: 'u1', nick: '张三' }] }).conversationId);
    await sendAll(adapters(true));
    expect(emulator.state().counters.openapiSends).toBe(18);
    expect(emulator.state().counters.throttled).toBe(0);
  });

  it('is needed: each instance on its own limiter gets throttled', async () => {
    groups = groups.map((_, i) => emulator.createGroup({ title: `群${i}`, members: [{ staffId: 'u1', nick: '张三' }] }).conversationId);
    // Sends make one attempt (the engine's outbox retries by `retryable`), so a throttled send fails here.
    const results = await Promise.allSettled(
      adapters(false).flatMap((a, i) => groups.slice(i * 6, i * 6 + 6).map((cid) => a.send(cid, { style: 'markdown', title: '周报', text: `周报 ${cid}` }))),
    );
    expect(emulator.state().counters.throttled).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'rejected').length).toBe(emulator.state().counters.throttled);
  });
});
