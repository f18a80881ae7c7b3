import { openStore, type Store } from '@zwgk/bot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../src/service/health.js';

const at = new Date('2022-11-21T01:00:00Z');

describe('startHealthServer', () => {
  let store: Store;
  let server: HealthServer;
  let ready = false;
  beforeEach(async () => {
    store = await openStore({ filename: ':memory:' });
    server = await startHealthServer({ store, ready: () => ready }, { port: 0 });
  });
  afterEach(async () => {
    await server.close();
    await store.close().catch(() => undefined);
  });

  it('listens on loopback, is healthy at once and ready only once the bot runs and the database answers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await store.close();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  it('reports queue depths in Prometheus text format', async () => {
    ready = true;
    for (const g of ['g1', 'g2', 'g3']) await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: g, kind: 'unit', unit: g }, at);
    const [first] = await store.outbox.claimBatch({ limit: 1 }, at, at);
    if (!first) throw new Error('no claim');
    await store.outbox.markSent(first.id, at, at);
    await store.outbox.claimBatch({ limit: 1 }, at, at);
    await store.inbox.record({ platform: 'memory', messageId: 'm1', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: 'ok' }, at);
    await store.inbox.record({ platform: 'memory', messageId: 'm2', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: 'ok' }, at);
    await store.inbox.markReplied('memory', 'm1', at);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('zwgk_ready 1\n');
    expect(text).toContain('zwgk_digest_outbox{status="pending"} 1\n');
    expect(text).toContain('zwgk_digest_outbox{status="sending"} 1\n');
    expect(text).toContain('zwgk_digest_outbox{status="sent"} 1\n');
    expect(text).toContain('zwgk_digest_outbox{status="failed"} 0\n');
    expect(text).toContain('zwgk_messages_processed_total 2\n');
    expect(text).toContain('zwgk_receipts_pending 1\n');
    expect(text).toMatch(/# TYPE zwgk_messages_processed_total counter/);
    expect(text).toContain('zwgk_digests_uncertain 0\n');
    expect(text).not.toContain('zwgk_digest_scheduler_lease{');
  });

  it('counts uncertain digests and names the scheduler lease holder', async () => {
    for (const g of ['g1', 'g2']) await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: g, kind: 'unit', unit: g }, at);
    const claimed = await store.outbox.claimBatch({ limit: 2 }, at, at);
    await store.outbox.markFailed(claimed[0]!.id, 'uncertain: timeout after 15000 ms', true, at);
    await store.outbox.markFailed(claimed[1]!.id, 'the robot left the group', true, at);
    await store.leases.acquire('digest-scheduler', 'host-a', at, 180_000);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('zwgk_digest_outbox{status="failed"} 2\n');
    expect(text).toContain('zwgk_digests_uncertain 1\n');
    expect(text).toContain(`zwgk_digest_scheduler_lease{holder="host-a"} ${Math.floor(at.getTime() / 1000) + 180}\n`);
  });
});
