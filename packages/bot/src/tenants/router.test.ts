import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPlainText, type Adapter, type EventHandler, type IncomingMessage } from '../adapter.js';
import { createBot } from '../engine.js';
import { DIALECTS, testStores } from '../store/test-stores.js';
import type { Store } from '../store/store.js';
import { createRenderer } from '../templates/render.js';
import { openTenantRegistry, type TenantRegistry } from './registry.js';
import { createTenantRouter, type TenantRouter } from './router.js';

const qinyuan = getPlan('qinyuan-2022');
const anze = { ...qinyuan, county: '安泽县' };
const ctx = { actor: { platform: 'cli', id: 'test', channel: 'cli' } };
const now = new Date('2022-11-21T02:00:00Z');

let adapters = 0;

/** A chat platform in memory: the test delivers events, the adapter keeps what the bots sent. */
function fakeAdapter() {
  let handler: EventHandler | undefined;
  const out: Array<{ conversationId: string; text: string }> = [];
  let n = 0;
  // Message ids unique across the suite: on PostgreSQL the default store (and its processed ids) outlives a test.
  const tag = `a${++adapters}`;
  const adapter: Adapter = {
    platform: 'fake',
    connect: async () => undefined,
    disconnect: async () => undefined,
    onEvent: (h) => {
      handler = h;
    },
    send: async (conversationId, message) => {
      out.push({ conversationId, text: renderPlainText(message) });
      return { messageId: `s${++n}` };
    },
    reply: async (incoming, message) => {
      out.push({ conversationId: incoming.conversationId, text: renderPlainText(message) });
      return { messageId: `s${++n}` };
    },
  };
  /** Delivers a message; resolves with whether it was acknowledged and what was sent meanwhile. */
  const deliver = async (conversationId: string, text: string, senderId = 'u1') => {
    const message: IncomingMessage = { platform: 'fake', conversationId, messageId: `${tag}-m${++n}`, senderId, senderName: senderId, text, mentions: [], isGroup: true };
    const before = out.length;
    let acked = false;
    await handler!({
      message,
      ack: async () => {
        acked = true;
        return true;
      },
    });
    return { acked, sent: out.slice(before) };
  };
  return { adapter, deliver };
}

describe.each(DIALECTS)('createTenantRouter (%s)', (dialect) => {
  const stores = testStores(dialect);
  let registry: TenantRegistry;
  let defaultStore: Store;
  let router: TenantRouter;
  afterEach(async () => {
    await router?.stop();
    await registry?.close();
    await defaultStore?.close();
  });

  it('routes each conversation to its tenant’s bot and store, unbound ones to the default tenant, roll-up groups to the roll-up', async () => {
    const base = await stores.deployment();
    registry = await openTenantRegistry(base);
    defaultStore = await registry.openStore('default');
    await registry.put({ id: 'anze', plan: anze });
    await registry.put({ id: 'qinyuan', plan: qinyuan });
    for (const [id, cid] of [['anze', 'g-anze'], ['qinyuan', 'g-qy']] as const) {
      const s = await registry.openStore(id);
      await s.groups.bindUnit({ platform: 'fake', conversationId: cid, unit: '郭道镇' }, ctx);
      await s.close();
      await registry.bind('fake', cid, id);
    }
    await defaultStore.groups.bindUnit({ platform: 'fake', conversationId: 'g-plain', unit: '郭道镇' }, ctx);
    await registry.addRollup({ platform: 'fake', conversationId: 'g-city', scope: ['anze'], title: null, admins: [{ userId: 'boss', name: null }] });
    const fake = fakeAdapter();
    router = createTenantRouter({
      registry,
      adapters: [fake.adapter],
      defaultStore,
      renderer: createRenderer(),
      clock: () => now,
      createBot: (t, adapters) => createBot({ plan: t.tenant?.plan ?? qinyuan, store: t.store, adapters, clock: () => now, digest: { enabled: false } }),
    });
    await router.start();

    const confirmed = await fake.deliver('g-anze', '确认 4');
    expect(confirmed.acked).toBe(true);
    expect(confirmed.sent.map((s) => s.conversationId)).toEqual(['g-anze']);
    expect(confirmed.sent[0]!.text).toContain('确认回执');
    const anzeBot = await router.botOf('anze');
    const qyBot = await router.botOf('qinyuan');
    expect((await anzeBot!.store.confirmations.list({ year: 2022 })).map((c) => c.conversationId)).toEqual(['g-anze']);
    expect(await qyBot!.store.confirmations.list({ year: 2022 })).toEqual([]);
    expect(await defaultStore.confirmations.list({ year: 2022 })).toEqual([]);

    expect((await fake.deliver('g-plain', '确认 5')).acked).toBe(true);
    expect((await defaultStore.confirmations.list({ year: 2022 })).map((c) => c.task)).toEqual([5]);

    const rollup = await fake.deliver('g-city', '进度', 'boss');
    expect(rollup.acked).toBe(true);
    expect(rollup.sent[0]!.text).toMatch(/安泽县（anze）：完成 1\//);
    // Its scope is 安泽县 only.
    expect(rollup.sent[0]!.text).not.toContain('沁源县');
    expect((await fake.deliver('g-city', '进度 沁源县', 'boss')).sent[0]!.text).toContain('本群看不到“沁源县”');

    // A tenant registered while running gets its bot on its first message.
    await registry.put({ id: 'late', plan: { ...qinyuan, county: '晚到县' } });
    const late = await registry.openStore('late');
    await late.groups.bindUnit({ platform: 'fake', conversationId: 'g-late', unit: '郭道镇' }, ctx);
    await late.close();
    await registry.bind('fake', 'g-late', 'late');
    expect((await fake.deliver('g-late', '确认 4')).sent[0]!.text).toContain('确认回执');
    expect((await (await router.botOf('late'))!.store.confirmations.list({ year: 2022 })).length).toBe(1);

    const runs = await router.runDueDigests(now);
    expect([...runs.keys()].sort()).toEqual(['anze', 'default', 'late', 'qinyuan']);

    await router.stop();
    // Stopped: a delivery is left unacknowledged for the platform to redeliver to a running instance.
    expect((await fake.deliver('g-anze', '确认 5')).acked).toBe(false);
  }, 60_000);

  it('lets only the roll-up group’s admins read it, a covered county’s admins their own county, and refuses everyone else', async () => {
    const base = await stores.deployment();
    registry = await openTenantRegistry(base);
    defaultStore = await registry.openStore('default');
    await registry.put({ id: 'anze', plan: anze });
    await registry.put({ id: 'qinyuan', plan: qinyuan });
    const anzeStore = await registry.openStore('anze');
    await anzeStore.admins.add({ platform: 'fake', userId: 'anze-boss', name: '安泽主任' }, ctx);
    await anzeStore.close();
    await registry.addRollup({ platform: 'fake', conversationId: 'g-city', scope: 'all', title: null, admins: [{ userId: 'city-boss', name: null }] });
    const fake = fakeAdapter();
    router = createTenantRouter({
      registry,
      adapters: [fake.adapter],
      defaultStore,
      renderer: createRenderer(),
      clock: () => now,
      createBot: (t, adapters) => createBot({ plan: t.tenant?.plan ?? qinyuan, store: t.store, adapters, clock: () => now, digest: { enabled: false } }),
    });
    await router.start();
    const texts = createRenderer().text;

    const boss = await fake.deliver('g-city', '进度', 'city-boss');
    expect(boss.sent[0]!.text).toMatch(/安泽县（anze）/);
    expect(boss.sent[0]!.text).toMatch(/沁源县（qinyuan）/);
    expect((await fake.deliver('g-city', '进度 沁源县', 'city-boss')).sent[0]!.text).toContain('沁源县2022年政务公开概况');

    // A county's admin: the roll-up and that county, not another one.
    expect((await fake.deliver('g-city', '进度', 'anze-boss')).sent[0]!.text).toMatch(/沁源县（qinyuan）/);
    expect((await fake.deliver('g-city', '进度 安泽县', 'anze-boss')).sent[0]!.text).toContain('安泽县2022年政务公开概况');
    const other = (await fake.deliver('g-city', '进度 沁源县', 'anze-boss')).sent[0]!.text;
    expect(other).toContain(texts('rollup.refused.countyTitle', { county: '沁源县' }));
    expect(other).not.toContain('沁源县2022年政务公开概况');

    // Anyone else: a refusal in the catalogue's words, for the roll-up, a county and help alike.
    for (const text of ['进度', '考核', '进度 安泽县', '帮助']) {
      const refused = await fake.deliver('g-city', text, 'stranger');
      expect(refused.acked).toBe(true);
      expect(refused.sent).toHaveLength(1);
      expect(refused.sent[0]!.text).toContain(texts('rollup.refused.title'));
      expect(refused.sent[0]!.text).toContain(texts('rollup.refused.line', { sender: 'stranger' }));
      expect(refused.sent[0]!.text).not.toMatch(/完成 \d+\/|概况/);
    }
    // Taken off the admins (through another connection): refused from the next message on.
    const other2 = await openTenantRegistry(base);
    await other2.removeRollupAdmin('fake', 'g-city', 'city-boss');
    await other2.close();
    await vi.waitFor(async () => expect((await fake.deliver('g-city', '进度', 'city-boss')).sent[0]!.text).toContain(texts('rollup.refused.title')), { timeout: 5_000 });
  }, 60_000);

  it('starts tenants added by another process, restarts a tenant whose plan changed and stops a removed one, without a restart', async () => {
    const base = await stores.deployment();
    registry = await openTenantRegistry(base);
    defaultStore = await registry.openStore('default');
    await registry.put({ id: 'anze', plan: anze });
    const built: string[] = [];
    const fake = fakeAdapter();
    router = createTenantRouter({
      registry,
      adapters: [fake.adapter],
      defaultStore,
      renderer: createRenderer(),
      clock: () => now,
      refreshMs: 100,
      createBot: (t, adapters) => {
        if (t.id === 'broken') throw new Error('cannot build this county');
        built.push(`${t.id}:${t.tenant?.plan.title ?? 'default'}`);
        return createBot({ plan: t.tenant?.plan ?? qinyuan, store: t.store, adapters, clock: () => now, digest: { enabled: false } });
      },
    });
    await router.start();
    expect(router.status().map((s) => [s.id, s.error])).toEqual([
      ['default', null],
      ['anze', null],
    ]);

    // Another process (the CLI) adds a county and binds a group: served without a message or a restart.
    const cli = await openTenantRegistry(base);
    await cli.put({ id: 'late', plan: { ...qinyuan, county: '晚到县', title: '晚到县计划' } });
    const lateStore = await cli.openStore('late');
    await lateStore.groups.bindUnit({ platform: 'fake', conversationId: 'g-late', unit: '郭道镇' }, ctx);
    await lateStore.close();
    await cli.bind('fake', 'g-late', 'late');
    await vi.waitFor(() => expect(router.status().map((s) => s.id)).toContain('late'), { timeout: 10_000 });
    // PostgreSQL: the binding's notification may trail the tenant's by a moment.
    await vi.waitFor(async () => expect((await registry.snapshot()).tenantOf('fake', 'g-late')).toBe('late'), { timeout: 10_000 });
    expect((await fake.deliver('g-late', '确认 4')).sent[0]!.text).toContain('确认回执');

    // Its plan replaced: the next message is handled by a bot on the new plan.
    const before = await router.botOf('late');
    await cli.put({ id: 'late', plan: { ...qinyuan, county: '晚到县', title: '晚到县新计划' } });
    await vi.waitFor(() => expect(built).toContain('late:晚到县新计划'), { timeout: 10_000 });
    const after = await router.botOf('late');
    expect(after).not.toBe(before);
    expect(after!.plan.title).toBe('晚到县新计划');
    expect((await after!.store.confirmations.list({ year: 2022 })).length).toBe(1);

    // A county that cannot start is reported, the others served.
    await cli.put({ id: 'broken', plan: { ...qinyuan, county: '坏县' } });
    await vi.waitFor(() => expect(router.status().find((s) => s.id === 'broken')).toMatchObject({ store: null, error: 'cannot build this county' }), { timeout: 10_000 });

    // Removed: its bot stops and its group belongs to the default tenant again.
    await cli.remove('late');
    await cli.remove('broken');
    await vi.waitFor(() => expect(router.status().map((s) => s.id)).toEqual(['default', 'anze']), { timeout: 10_000 });
    await defaultStore.groups.bindUnit({ platform: 'fake', conversationId: 'g-late', unit: '郭道镇' }, ctx);
    // (Task 4: on PostgreSQL the default store keeps the first test's 确认 5 of 郭道镇.)
    expect((await fake.deliver('g-late', '确认 4')).sent[0]!.text).toContain('确认回执');
    expect((await defaultStore.confirmations.list({ year: 2022 })).filter((c) => c.conversationId === 'g-late').map((c) => c.task)).toEqual([4]);
    await cli.close();
  }, 60_000);
});
