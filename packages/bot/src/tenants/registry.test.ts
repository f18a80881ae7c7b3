import { sql } from 'kysely';
import { getPlan } from '@zwgk/sdk/qinyuan';
import type { Plan } from '@zwgk/sdk';
import { describe, expect, it, vi } from 'vitest';
import { DIALECTS, testStores } from '../store/test-stores.js';
import { DEFAULT_TENANT, isTenantId, openTenantRegistry } from './registry.js';

const ctx = { actor: { platform: 'cli', id: 'ops', channel: 'cli' } };
const qinyuan = getPlan('qinyuan-2022');
const other: Plan = { ...qinyuan, county: '安泽县', title: '安泽县2022年政务公开工作要点' };

describe('isTenantId', () => {
  it('accepts lower-case ids and refuses the default tenant, capitals and punctuation', () => {
    expect(isTenantId('qinyuan')).toBe(true);
    expect(isTenantId('anze_2023')).toBe(true);
    expect(isTenantId(DEFAULT_TENANT)).toBe(false);
    expect(isTenantId('Qinyuan')).toBe(false);
    expect(isTenantId('a-b')).toBe(false);
    expect(isTenantId('1abc')).toBe(false);
  });
});

describe.each(DIALECTS)('TenantRegistry (%s)', (dialect) => {
  const stores = testStores(dialect);

  it('creates a tenant with its plan and settings, updates its plan, lists and removes it', async () => {
    const registry = await openTenantRegistry(await stores.deployment());
    try {
      const created = await registry.put({ id: 'qinyuan', plan: qinyuan, settings: { policy: 'liaisons', rubric: { review: { required: true } } } });
      expect(created).toMatchObject({ success: true, data: { created: true, tenant: { id: 'qinyuan', county: '沁源县', year: 2022, settings: { policy: 'liaisons' } } } });
      if (!created.success) return;
      expect(created.data.tenant.rubric.review.required).toBe(true);
      expect(created.data.tenant.plan.tasks).toHaveLength(qinyuan.tasks.length);
      const updated = await registry.put({ id: 'qinyuan', plan: { ...qinyuan, title: '新标题' } });
      expect(updated).toMatchObject({ success: true, data: { created: false, tenant: { plan: { title: '新标题' }, settings: { policy: 'liaisons' } } } });
      await registry.put({ id: 'anze', plan: other });
      expect((await registry.list()).map((t) => t.id)).toEqual(['anze', 'qinyuan']);
      expect((await registry.find('安泽县'))?.id).toBe('anze');
      expect(await registry.remove('anze')).toBe(true);
      expect(await registry.remove('anze')).toBe(false);
      expect(await registry.get('anze')).toBeNull();
    } finally {
      await registry.close();
    }
  });

  it('refuses a bad id or bad settings and writes nothing', async () => {
    const registry = await openTenantRegistry(await stores.deployment());
    try {
      expect(await registry.put({ id: 'Bad Id', plan: qinyuan })).toMatchObject({ success: false, error: expect.stringMatching(/lower-case/) });
      expect(await registry.put({ id: 'default', plan: qinyuan })).toMatchObject({ success: false });
      expect(await registry.put({ id: 'x', plan: qinyuan, settings: { rubric: { grades: 'no' } } })).toMatchObject({ success: false, error: expect.stringMatching(/grades/) });
      expect(await registry.list()).toEqual([]);
    } finally {
      await registry.close();
    }
  });

  it('routes a bound conversation to its tenant and any other to the default tenant', async () => {
    const registry = await openTenantRegistry(await stores.deployment());
    try {
      await registry.put({ id: 'qinyuan', plan: qinyuan });
      await registry.put({ id: 'anze', plan: other });
      expect(await registry.bind('dingtalk', 'cid-a', 'anze')).toEqual({ success: true, data: undefined });
      expect(await registry.bind('dingtalk', 'cid-q', 'qinyuan')).toMatchObject({ success: true });
      expect(await registry.bind('dingtalk', 'cid-x', 'nowhere')).toMatchObject({ success: false, error: 'no tenant "nowhere"' });
      expect(await registry.tenantOf('dingtalk', 'cid-a')).toBe('anze');
      expect(await registry.tenantOf('slack', 'cid-a')).toBe(DEFAULT_TENANT);
      expect(await registry.tenantOf('dingtalk', 'cid-unknown')).toBe(DEFAULT_TENANT);
      await registry.bind('dingtalk', 'cid-a', 'qinyuan');
      expect(await registry.tenantOf('dingtalk', 'cid-a')).toBe('qinyuan');
      expect((await registry.conversations('qinyuan')).map((c) => c.conversationId)).toEqual(['cid-a', 'cid-q']);
      await registry.bind('dingtalk', 'cid-a', DEFAULT_TENANT);
      expect(await registry.tenantOf('dingtalk', 'cid-a')).toBe(DEFAULT_TENANT);
      await registry.remove('qinyuan');
      expect(await registry.tenantOf('dingtalk', 'cid-q')).toBe(DEFAULT_TENANT);
    } finally {
      await registry.close();
    }
  });

  it('keeps roll-up groups with their scope and refuses unknown tenants in it', async () => {
    const registry = await openTenantRegistry(await stores.deployment());
    try {
      await registry.put({ id: 'qinyuan', plan: qinyuan });
      await registry.put({ id: 'anze', plan: other });
      expect(await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: ['anze', 'nope'], title: null })).toMatchObject({ success: false, error: 'no tenant "nope"' });
      await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: 'all', title: '市政府办' });
      await registry.addRollup({ platform: 'dingtalk', conversationId: 'district', scope: ['anze'], title: null });
      expect(await registry.rollupOf('dingtalk', 'city')).toEqual({ platform: 'dingtalk', conversationId: 'city', scope: 'all', title: '市政府办', admins: [] });
      expect((await registry.inScope('all')).map((t) => t.id)).toEqual(['anze', 'qinyuan']);
      const district = await registry.rollupOf('dingtalk', 'district');
      expect((await registry.inScope(district!.scope)).map((t) => t.id)).toEqual(['anze']);
      expect(await registry.removeRollup('dingtalk', 'district')).toBe(true);
      expect((await registry.rollups()).map((r) => r.conversationId)).toEqual(['city']);
    } finally {
      await registry.close();
    }
  });

  it('keeps a roll-up group’s admins, replaces them when a scope is given with admins, and drops them with the group', async () => {
    const registry = await openTenantRegistry(await stores.deployment());
    try {
      await registry.put({ id: 'anze', plan: other });
      expect(await registry.addRollupAdmin('dingtalk', 'city', { userId: 'boss', name: null })).toMatchObject({ success: false, error: expect.stringMatching(/no roll-up group/) });
      await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: 'all', title: null, admins: [{ userId: 'boss', name: '王主任' }] });
      expect(await registry.addRollupAdmin('dingtalk', 'city', { userId: ' deputy ', name: null })).toEqual({ success: true, data: undefined });
      expect(await registry.addRollupAdmin('dingtalk', 'city', { userId: '  ', name: null })).toMatchObject({ success: false });
      expect((await registry.rollupOf('dingtalk', 'city'))?.admins).toEqual([
        { userId: 'boss', name: '王主任' },
        { userId: 'deputy', name: null },
      ]);
      // A new scope without admins keeps them; with admins, replaces them.
      await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: ['anze'], title: null });
      expect((await registry.rollupOf('dingtalk', 'city'))?.admins?.map((a) => a.userId)).toEqual(['boss', 'deputy']);
      await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: ['anze'], title: null, admins: [{ userId: 'deputy', name: '李' }] });
      expect((await registry.rollupOf('dingtalk', 'city'))?.admins).toEqual([{ userId: 'deputy', name: '李' }]);
      expect(await registry.removeRollupAdmin('dingtalk', 'city', 'deputy')).toBe(true);
      expect(await registry.removeRollupAdmin('dingtalk', 'city', 'deputy')).toBe(false);
      await registry.addRollupAdmin('dingtalk', 'city', { userId: 'boss', name: null });
      expect(await registry.removeRollup('dingtalk', 'city')).toBe(true);
      await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: 'all', title: null });
      expect((await registry.rollupOf('dingtalk', 'city'))?.admins).toEqual([]);
    } finally {
      await registry.close();
    }
  });

  it('serves its snapshot from memory until the registry changes, through itself or another process’s connection', async () => {
    const base = await stores.deployment();
    const reader = await openTenantRegistry(base);
    const writer = await openTenantRegistry(base);
    try {
      await writer.put({ id: 'anze', plan: other });
      const first = await reader.snapshot();
      expect(first.tenants.map((t) => t.id)).toEqual(['anze']);
      expect(first.tenantOf('dingtalk', 'cid-a')).toBe(DEFAULT_TENANT);
      if (dialect === 'postgres') {
        // Once listening, it reads the version once more (a change before LISTEN took effect was not notified).
        await vi.waitFor(() => expect(reader.cacheStats.listening).toBe(true));
        await reader.snapshot();
      }
      const loads = reader.cacheStats.loads;
      for (let i = 0; i < 50; i++) expect(await reader.snapshot()).toBe(await reader.snapshot());
      // Nothing changed: not one reload (SQLite checks PRAGMA data_version; PostgreSQL listens).
      expect(reader.cacheStats.loads).toBe(loads);

      // Another connection's write: seen (PostgreSQL: once its notification arrives), with one reload.
      expect(await writer.bind('dingtalk', 'cid-a', 'anze')).toEqual({ success: true, data: undefined });
      await vi.waitFor(async () => expect((await reader.snapshot()).tenantOf('dingtalk', 'cid-a')).toBe('anze'), { timeout: 5_000 });
      expect(reader.cacheStats.loads).toBeGreaterThan(loads);
      const revision = (await reader.snapshot()).revisionOf('anze');
      expect(revision).toEqual(expect.any(String));

      // A changed plan changes the tenant's revision; a binding does not.
      await writer.put({ id: 'anze', plan: { ...other, title: '安泽县新计划' } });
      await vi.waitFor(async () => expect((await reader.snapshot()).get('anze')?.plan.title).toBe('安泽县新计划'), { timeout: 5_000 });
      const changed = (await reader.snapshot()).revisionOf('anze');
      expect(changed).not.toBe(revision);
      await writer.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: 'all', title: null, admins: [{ userId: 'boss', name: null }] });
      await vi.waitFor(async () => expect((await reader.snapshot()).rollupOf('dingtalk', 'city')?.admins).toEqual([{ userId: 'boss', name: null }]), { timeout: 5_000 });
      expect((await reader.snapshot()).revisionOf('anze')).toBe(changed);

      // Its own write is seen at once, without waiting for anything.
      await reader.remove('anze');
      const after = await reader.snapshot();
      expect(after.get('anze')).toBeNull();
      expect(after.revisionOf('anze')).toBeNull();
      expect(after.tenantOf('dingtalk', 'cid-a')).toBe(DEFAULT_TENANT);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('sees another connection’s write at the very next snapshot when it does not listen (a version check per snapshot)', async () => {
    const base = await stores.deployment();
    const reader = await openTenantRegistry(base, { listen: false });
    const writer = await openTenantRegistry(base);
    try {
      await writer.put({ id: 'anze', plan: other });
      expect((await reader.snapshot()).tenantOf('dingtalk', 'cid-a')).toBe(DEFAULT_TENANT);
      const checks = reader.cacheStats.checks;
      await writer.bind('dingtalk', 'cid-a', 'anze');
      expect((await reader.snapshot()).tenantOf('dingtalk', 'cid-a')).toBe('anze');
      expect(reader.cacheStats.checks).toBeGreaterThan(checks);
      expect(reader.cacheStats.listening).toBe(false);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('tells its watchers of a change made through it', async () => {
    const registry = await openTenantRegistry(await stores.deployment(), { listen: false });
    try {
      let heard = 0;
      const stop = registry.watch(() => heard++);
      await registry.put({ id: 'anze', plan: other });
      expect(heard).toBe(1);
      stop();
      await registry.remove('anze');
      expect(heard).toBe(1);
    } finally {
      await registry.close();
    }
  });

  it('gives each tenant a store of its own, migrated, apart from the default store', async () => {
    const base = await stores.deployment();
    const registry = await openTenantRegistry(base);
    try {
      await registry.put({ id: 'qinyuan', plan: qinyuan });
      await registry.put({ id: 'anze', plan: other });
      const q = await registry.openStore('qinyuan');
      const a = await registry.openStore('anze');
      const d = await registry.openStore(DEFAULT_TENANT);
      try {
        await q.groups.bindUnit({ platform: 'dingtalk', conversationId: 'cid-q', unit: '郭道镇' }, ctx);
        await a.groups.bindUnit({ platform: 'dingtalk', conversationId: 'cid-a', unit: '沁河镇' }, ctx);
        expect((await q.groups.list()).map((g) => g.conversationId)).toEqual(['cid-q']);
        expect((await a.groups.list()).map((g) => g.conversationId)).toEqual(['cid-a']);
        expect(await d.groups.list()).toEqual([]);
        // The same lease name is held once per tenant: each tenant's digest scheduler has its own.
        const now = new Date('2022-11-21T01:00:00Z');
        expect(await q.leases.acquire('digest-scheduler', 'i1', now, 60_000)).toBe(true);
        expect(await a.leases.acquire('digest-scheduler', 'i2', now, 60_000)).toBe(true);
        expect(await q.leases.acquire('digest-scheduler', 'i2', now, 60_000)).toBe(false);
        if (dialect === 'postgres') {
          const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(q.db);
          expect(rows[0]?.schema).toBe('tenant_qinyuan');
        }
      } finally {
        await q.close();
        await a.close();
        await d.close();
      }
      // Opened again (another instance, a restart): the same records, no migration applied twice.
      const again = await registry.openStore('qinyuan');
      expect((await again.groups.list()).map((g) => g.conversationId)).toEqual(['cid-q']);
      await again.close();
      expect(registry.locationOf('qinyuan')).toMatch(dialect === 'postgres' ? /schema tenant_qinyuan$/ : /tenants\/qinyuan\/zwgk\.sqlite$/);
    } finally {
      await registry.close();
    }
    // Three stores migrated from nothing: a few seconds on a busy machine.
  }, 30_000);
});
