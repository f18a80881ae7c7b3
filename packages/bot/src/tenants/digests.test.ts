import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPlainText, type Adapter } from '../adapter.js';
import { createBot } from '../engine.js';
import { DIALECTS, testStores } from '../store/test-stores.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { createRenderer } from '../templates/render.js';
import { createSharedDigestScheduler, DIGEST_SENDER_LEASE_PREFIX, type SharedDigestScheduler } from './digests.js';
import { openTenantRegistry, type TenantRegistry } from './registry.js';
import { createTenantRouter, type TenantRouter } from './router.js';

const qinyuan = getPlan('qinyuan-2022');
const units = qinyuan.units.map((u) => u.name);
const ctx = { actor: { platform: 'cli', id: 'test', channel: 'cli' } };
// Monday 2022-11-21 10:00 in Shanghai: the week's digests (first working day, 09:00) are due.
const now = new Date('2022-11-21T02:00:00Z');
const clock = () => now;

/** A chat platform that keeps what was sent, in order, into `log` (shared by the instances of a test). */
function recordingAdapter(log: Array<{ conversationId: string; by: string }>, by: string, delayMs = 0): Adapter {
  return {
    platform: 'fake',
    connect: async () => undefined,
    disconnect: async () => undefined,
    onEvent: () => undefined,
    send: async (conversationId, message, options) => {
      await options?.beforeRequest?.();
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      expect(renderPlainText(message)).toContain('本周');
      log.push({ conversationId, by });
      return { messageId: `${by}-${log.length}` };
    },
    reply: async () => ({}),
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Registers `ids` as tenants, each with `groups` unit groups `<id>-<n>` bound in its store and the registry.
 * The county's store is filled before the county is registered, as `zwgk plan import --tenant` in another
 * process would: a running router starts the county (and opens its store) as soon as it is registered, and
 * two connections of one process writing one SQLite file would wait on each other.
 */
async function addTenants(registry: TenantRegistry, ids: readonly string[], groups: number): Promise<string[]> {
  const all: string[] = [];
  for (const id of ids) {
    const store = await openStore(registry.storeOptionsOf(id));
    const cids: string[] = [];
    for (let n = 0; n < groups; n++) {
      const cid = `${id}-${n}`;
      await store.groups.bindUnit({ platform: 'fake', conversationId: cid, unit: units[n % units.length]! }, ctx);
      cids.push(cid);
    }
    await store.close();
    const put = await registry.put({ id, plan: { ...qinyuan, county: `${id}县` } });
    if (!put.success) throw new Error(put.error);
    for (const cid of cids) await registry.bind('fake', cid, id);
    all.push(...cids);
  }
  return all;
}

const tenantOf = (cid: string) => cid.slice(0, cid.lastIndexOf('-'));

describe.each(DIALECTS)('createSharedDigestScheduler (%s)', (dialect) => {
  const stores = testStores(dialect);
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup.length = 0;
  });

  /** One process of the deployment: its registry, default store, tenant stores and a scheduler over them. */
  async function instance(
    base: Awaited<ReturnType<typeof stores.deployment>>,
    ids: readonly string[],
    adapter: Adapter,
    options: { instanceId: string; concurrency: number },
  ): Promise<{ scheduler: SharedDigestScheduler; defaultStore: Store; tenantStores: Map<string, Store> }> {
    const registry = await openTenantRegistry(base);
    const defaultStore = await registry.openStore('default');
    const tenantStores = new Map<string, Store>();
    const scheduler = createSharedDigestScheduler({ leases: defaultStore.leases, tickMs: 50, clock, ...options });
    for (const id of ids) {
      const store = await registry.openStore(id);
      tenantStores.set(id, store);
      scheduler.add(id, createBot({ plan: qinyuan, store, adapters: [adapter], clock, digest: { shared: true } }).digestWork);
    }
    cleanup.push(async () => {
      await scheduler.stop();
      for (const s of tenantStores.values()) await s.close();
      await defaultStore.close();
      await registry.close();
    });
    return { scheduler, defaultStore, tenantStores };
  }

  it('takes the counties in turn: one digest of each before a second of any', async () => {
    const base = await stores.deployment();
    const setup = await openTenantRegistry(base);
    const ids = ['alpha', 'beta', 'gamma'];
    await addTenants(setup, ids, 4);
    await setup.close();
    const log: Array<{ conversationId: string; by: string }> = [];
    const { scheduler } = await instance(base, ids, recordingAdapter(log, 'one'), { instanceId: 'one', concurrency: 1 });
    await scheduler.start();
    await until(() => log.length === 12, 'every digest');
    const counts = new Map<string, number>();
    for (const { conversationId } of log) {
      const t = tenantOf(conversationId);
      counts.set(t, (counts.get(t) ?? 0) + 1);
      const values = ids.map((id) => counts.get(id) ?? 0);
      // After every send no county is more than one digest ahead of another.
      expect(Math.max(...values) - Math.min(...values), log.map((l) => l.conversationId).join(' ')).toBeLessThanOrEqual(1);
    }
    expect(new Set(log.map((l) => l.conversationId)).size).toBe(12);
  }, 60_000);

  it('shares the week between instances and sends each digest once', async () => {
    const base = await stores.deployment();
    const setup = await openTenantRegistry(base);
    const ids = ['alpha', 'beta', 'gamma'];
    const groups = await addTenants(setup, ids, 8);
    await setup.close();
    const log: Array<{ conversationId: string; by: string }> = [];
    const a = await instance(base, ids, recordingAdapter(log, 'a', 15), { instanceId: 'a', concurrency: 2 });
    const b = await instance(base, ids, recordingAdapter(log, 'b', 15), { instanceId: 'b', concurrency: 2 });
    const c = await instance(base, ids, recordingAdapter(log, 'c', 15), { instanceId: 'c', concurrency: 2 });
    await Promise.all([a.scheduler.start(), b.scheduler.start(), c.scheduler.start()]);
    await until(() => log.length >= groups.length, 'every digest');
    // A little longer: nothing is sent a second time by an instance that was still busy.
    await new Promise((r) => setTimeout(r, 300));
    expect(log.map((l) => l.conversationId).sort()).toEqual([...groups].sort());
    expect(new Set(log.map((l) => l.by)).size, 'instances that sent').toBeGreaterThan(1);
    for (const [id, store] of a.tenantStores) {
      const rows = await store.outbox.list({});
      expect(rows.every((r) => r.status === 'sent'), id).toBe(true);
      expect(rows).toHaveLength(8);
    }
    expect((await a.defaultStore.leases.live(DIGEST_SENDER_LEASE_PREFIX, now)).map((l) => l.holder.split(':')[0]).sort()).toEqual(['a', 'b', 'c']);
  }, 60_000);

  it('sends again what a vanished sender claimed but never started, and never what it had started', async () => {
    const base = await stores.deployment();
    const setup = await openTenantRegistry(base);
    await addTenants(setup, ['alpha'], 4);
    await setup.close();
    const log: Array<{ conversationId: string; by: string }> = [];
    const probe = await instance(base, ['alpha'], recordingAdapter(log, 'probe'), { instanceId: 'probe', concurrency: 1 });
    const store = probe.tenantStores.get('alpha')!;
    const work = createBot({ plan: qinyuan, store, adapters: [], clock, digest: { shared: true } }).digestWork;
    const week = work.dueWeek(now)!;
    expect(await work.enqueue(week, now)).toBe(4);
    // A sender that is gone (no lease) held two claims, one inside its request; a live one holds a third.
    const before = new Date(now.getTime() - 1000);
    const [started, unstarted] = await work.claim(week, 2, 'gone:1', before);
    expect(await store.outbox.markStarted(started!.id, before, before)).toBe(true);
    await probe.defaultStore.leases.acquire(`${DIGEST_SENDER_LEASE_PREFIX}alive:1`, 'alive:1', now, 60_000);
    const [held] = await work.claim(week, 1, 'alive:1', before);
    await probe.scheduler.start();
    await until(() => log.length === 2, 'the two digests nobody sends');
    await new Promise((r) => setTimeout(r, 300));
    const sent = log.map((l) => l.conversationId).sort();
    expect(sent).toContain(unstarted!.conversationId);
    expect(sent).not.toContain(started!.conversationId);
    expect(sent).not.toContain(held!.conversationId);
    const rows = new Map((await store.outbox.list({})).map((r) => [r.id, r]));
    expect(rows.get(started!.id)).toMatchObject({ status: 'failed' });
    expect(rows.get(started!.id)!.lastError).toMatch(/^uncertain: /);
    expect(rows.get(held!.id)).toMatchObject({ status: 'sending' });
    expect(rows.get(unstarted!.id)).toMatchObject({ status: 'sent' });
  }, 60_000);

  it('sends the digests of a county registered while the router runs', async () => {
    const base = await stores.deployment();
    const registry = await openTenantRegistry(base);
    const defaultStore = await registry.openStore('default');
    await addTenants(registry, ['alpha'], 2);
    const log: Array<{ conversationId: string; by: string }> = [];
    const router: TenantRouter = createTenantRouter({
      registry,
      adapters: [recordingAdapter(log, 'r')],
      defaultStore,
      renderer: createRenderer(),
      clock,
      refreshMs: 50,
      digests: { tickMs: 50, concurrency: 2, instanceId: 'r' },
      createBot: (t, adapters) => createBot({ plan: t.tenant?.plan ?? qinyuan, store: t.store, adapters, clock, digest: { shared: true } }),
    });
    cleanup.push(async () => {
      await router.stop();
      await defaultStore.close();
      await registry.close();
    });
    await router.start();
    await until(() => log.length === 2, "alpha's digests");
    const late = await addTenants(registry, ['late'], 3);
    await until(() => log.length === 5, "the late county's digests");
    await new Promise((r) => setTimeout(r, 200));
    expect(log.slice(2).map((l) => l.conversationId).sort()).toEqual(late);
    expect(router.digestScheduler).toBeDefined();
  }, 60_000);
});
