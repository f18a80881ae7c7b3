import { openStore, type Store } from '@zwgk/bot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type TenantHealth } from '../src/service/health.js';

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
    expect(text).toContain('zwgk_digest_outbox{tenant="default",status="pending"} 1\n');
    expect(text).toContain('zwgk_digest_outbox{tenant="default",status="sending"} 1\n');
    expect(text).toContain('zwgk_digest_outbox{tenant="default",status="sent"} 1\n');
    expect(text).toContain('zwgk_digest_outbox{tenant="default",status="failed"} 0\n');
    expect(text).toContain('zwgk_messages_processed_total{tenant="default"} 2\n');
    expect(text).toContain('zwgk_receipts_pending{tenant="default"} 1\n');
    expect(text).toMatch(/# TYPE zwgk_messages_processed_total counter/);
    expect(text).toContain('zwgk_digests_uncertain{tenant="default"} 0\n');
    expect(text).not.toContain('zwgk_digest_scheduler_lease{');
  });

  it('counts uncertain digests and names the scheduler lease holder', async () => {
    for (const g of ['g1', 'g2']) await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: g, kind: 'unit', unit: g }, at);
    const claimed = await store.outbox.claimBatch({ limit: 2 }, at, at);
    await store.outbox.markFailed(claimed[0]!.id, 'uncertain: timeout after 15000 ms', true, at);
    await store.outbox.markFailed(claimed[1]!.id, 'the robot left the group', true, at);
    await store.leases.acquire('digest-scheduler', 'host-a', at, 180_000);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('zwgk_digest_outbox{tenant="default",status="failed"} 2\n');
    expect(text).toContain('zwgk_digests_uncertain{tenant="default"} 1\n');
    expect(text).toContain(`zwgk_digest_scheduler_lease{tenant="default",holder="host-a"} ${Math.floor(at.getTime() / 1000) + 180}\n`);
  });
});

describe('startHealthServer with tenants', () => {
  let stores: Store[] = [];
  let server: HealthServer | undefined;
  let list: TenantHealth[] = [];
  afterEach(async () => {
    await server?.close();
    for (const s of stores) await s.close().catch(() => undefined);
    stores = [];
  });

  /** The samples of a metrics text: name, labels, value. */
  function samples(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
    return text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(l);
        if (!m) throw new Error(`not a sample: ${l}`);
        const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
        return { name: m[1]!, labels, value: Number(m[3]) };
      });
  }

  async function serve(ids: string[]): Promise<HealthServer> {
    for (const id of ids) {
      const store = await openStore({ filename: ':memory:' });
      stores.push(store);
      list.push({ id, store, error: null });
    }
    server = await startHealthServer({ tenants: () => list, ready: () => true, registry: () => ({ checks: 7, loads: 3, listening: false }) }, { port: 0 });
    return server;
  }

  it('labels every per-tenant series with its tenant and adds a fixed number of series per tenant, no more', async () => {
    list = [];
    const one = await serve(['default']);
    const single = samples(await (await fetch(`${one.url}/metrics`)).text());
    await one.close();
    server = undefined;
    list = [];
    for (const s of stores) await s.close();
    stores = [];
    const three = await serve(['default', 'anze', 'qinyuan']);
    await stores[1]!.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: 'g1' }, at);
    await stores[1]!.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: 'g2', kind: 'unit', unit: 'g2' }, at);
    await stores[2]!.inbox.record({ platform: 'memory', messageId: 'm1', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: 'ok' }, at);
    const text = await (await fetch(`${three.url}/metrics`)).text();
    const all = samples(text);
    const perTenant = (id: string) => all.filter((s) => s.labels.tenant === id).length;
    expect(perTenant('anze')).toBeGreaterThan(0);
    expect(perTenant('default')).toBe(perTenant('anze'));
    expect(perTenant('qinyuan')).toBe(perTenant('anze'));
    // Two more tenants: exactly two tenants' worth of series more, whatever their records hold.
    expect(all.length - single.length).toBe(2 * perTenant('anze'));
    for (const s of all) {
      expect(Object.keys(s.labels).every((l) => ['tenant', 'status', 'holder'].includes(l))).toBe(true);
      if (!['zwgk_ready', 'zwgk_registry_reloads_total', 'zwgk_registry_listening'].includes(s.name)) expect(s.labels.tenant).toBeDefined();
    }
    expect(text).toContain('zwgk_digest_outbox{tenant="anze",status="pending"} 2\n');
    expect(text).toContain('zwgk_digest_outbox{tenant="qinyuan",status="pending"} 0\n');
    expect(text).toContain('zwgk_messages_processed_total{tenant="qinyuan"} 1\n');
    expect(text).toContain('zwgk_messages_processed_total{tenant="anze"} 0\n');
    expect(text).toContain('zwgk_tenant_up{tenant="anze"} 1\n');
    expect(text).toContain('zwgk_registry_reloads_total 3\n');
    // One HELP and TYPE per metric family, its samples together.
    expect(text.match(/# TYPE zwgk_digest_outbox gauge/g)).toHaveLength(1);
  });

  it('is not ready while any tenant’s store does not answer or a tenant could not start, and says which', async () => {
    list = [];
    const s = await serve(['default', 'anze', 'qinyuan']);
    expect(await (await fetch(`${s.url}/readyz`)).text()).toBe('ready\n');
    await stores[1]!.close();
    const res = await fetch(`${s.url}/readyz`);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toMatch(/^tenant anze: its store does not answer/m);
    expect(body).not.toMatch(/tenant (default|qinyuan)/);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).toContain('zwgk_ready 0\n');
    expect(text).toContain('zwgk_tenant_up{tenant="anze"} 0\n');
    expect(text).not.toContain('zwgk_digest_outbox{tenant="anze"');
    expect(text).toContain('zwgk_digest_outbox{tenant="qinyuan",status="pending"} 0\n');

    list = [list[0]!, list[2]!, { id: 'broken', store: null, error: 'plan does not parse' }];
    const failed = await fetch(`${s.url}/readyz`);
    expect(failed.status).toBe(503);
    expect(await failed.text()).toBe('not ready:\ntenant broken: not started: plan does not parse\n');
    expect(await (await fetch(`${s.url}/metrics`)).text()).toContain('zwgk_tenant_up{tenant="broken"} 0\n');
  });
});
