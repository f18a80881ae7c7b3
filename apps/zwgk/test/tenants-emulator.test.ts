/*
 * Two counties (tenants) in one deployment behind one DingTalk app (the emulator): a message in a county's
 * group is routed to that county's bot and recorded in its store only; a city's roll-up group sees both;
 * the digests of every tenant go out, each once. Runs on SQLite and, when reachable, on PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT, type Store } from '@zwgk/bot';
import { SANDBOX_APP, startEmulator, type ChatMessage, type Emulator } from '@zwgk/dingtalk-emulator';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { platformAdapters } from '../src/service/platforms.js';
import { openTenantService, type TenantService } from '../src/service/tenant-service.js';
import { createTestDatabase, POSTGRES } from './postgres.js';

const qinyuan = getPlan('qinyuan-2022');
const anze = { ...qinyuan, county: '安泽县', title: '安泽县2022年政务公开工作要点' };
const ctx = { actor: { platform: 'cli', id: 'test', channel: 'cli' } };
const now = new Date('2022-11-21T02:00:00Z'); // Monday 10:00 in Shanghai: the week's digest is due
const bodyOf = (m: ChatMessage) => (m.markdown ?? m.actionCard)?.text ?? m.text ?? '';

const dialects: Array<'sqlite' | 'postgres'> = POSTGRES ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(dialects)('two tenants through the DingTalk emulator (%s)', (dialect) => {
  let emulator: Emulator;
  let service: TenantService;
  let drop: (() => Promise<void>) | undefined;
  const g: Record<'anze' | 'qinyuan' | 'plain' | 'city' | 'anzeAdmin', string> = { anze: '', qinyuan: '', plain: '', city: '', anzeAdmin: '' };
  const stores: Store[] = [];

  async function say(conversationId: string, staffId: string, text: string): Promise<string> {
    const next = emulator.nextMessage((m) => m.from === 'bot' && m.conversationId === conversationId, 15_000);
    emulator.postMessage(conversationId, { senderStaffId: staffId, text });
    return bodyOf(await next);
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-tenants-e2e-'));
    const env: Record<string, string> = {
      ZWGK_LOG_LEVEL: 'silent',
      ZWGK_DIGEST_ENABLED: 'false',
      DINGTALK_CLIENT_ID: SANDBOX_APP.clientId,
      DINGTALK_CLIENT_SECRET: SANDBOX_APP.clientSecret,
      DINGTALK_ROBOT_CODE: SANDBOX_APP.robotCode,
      DINGTALK_API_BASE: emulator.url,
    };
    if (dialect === 'postgres') {
      const db = await createTestDatabase();
      drop = db.drop;
      env.DATABASE_URL = db.url;
    }
    const loaded = await loadConfig(env, cwd);
    if (!loaded.success) throw new Error(loaded.error);
    const config = { ...loaded.data.config, dingtalk: { ...loaded.data.config.dingtalk!, reconnect: { ...loaded.data.config.dingtalk!.reconnect, heartbeatMs: 0 } } };
    service = await openTenantService(config, { cwd, adapters: (store) => platformAdapters(config, { store }), clock: () => now, refreshMs: 60_000 });
    const { registry } = service;
    expect(await registry.put({ id: 'qinyuan', plan: qinyuan })).toMatchObject({ success: true });
    expect(await registry.put({ id: 'anze', plan: anze })).toMatchObject({ success: true });
    const member = (id: string) => [{ staffId: id, nick: id }];
    g.anze = emulator.createGroup({ title: '安泽·郭道镇群', members: member('anze-liaison') }).conversationId;
    g.anzeAdmin = emulator.createGroup({ title: '安泽县政府办群', members: member('anze-boss') }).conversationId;
    g.qinyuan = emulator.createGroup({ title: '沁源·郭道镇群', members: member('qy-liaison') }).conversationId;
    g.plain = emulator.createGroup({ title: '默认县·郭道镇群', members: member('plain-liaison') }).conversationId;
    g.city = emulator.createGroup({ title: '市政府办汇总群', members: [...member('city-boss'), ...member('city-clerk')] }).conversationId;
    for (const [tenant, cid] of [['anze', g.anze], ['qinyuan', g.qinyuan]] as const) {
      const store = await registry.openStore(tenant);
      stores.push(store);
      await store.groups.bindUnit({ platform: 'dingtalk', conversationId: cid, unit: '郭道镇' }, ctx);
      expect(await registry.bind('dingtalk', cid, tenant)).toMatchObject({ success: true });
    }
    await stores[0]!.groups.bindAdmin({ platform: 'dingtalk', conversationId: g.anzeAdmin }, ctx);
    await stores[0]!.admins.add({ platform: 'dingtalk', userId: 'anze-boss', name: '安泽主任' }, ctx);
    expect(await registry.bind('dingtalk', g.anzeAdmin, 'anze')).toMatchObject({ success: true });
    await service.store.groups.bindUnit({ platform: 'dingtalk', conversationId: g.plain, unit: '郭道镇' }, ctx);
    expect(await registry.addRollup({ platform: 'dingtalk', conversationId: g.city, scope: 'all', title: null, admins: [{ userId: 'city-boss', name: '市政府办主任' }] })).toMatchObject({ success: true });
    await service.router.start();
  }, 90_000);

  afterAll(async () => {
    for (const s of stores) await s.close();
    await service?.close();
    await emulator?.close();
    await drop?.();
  }, 60_000);

  it('records a message in tenant B’s group in B’s store only', async () => {
    const receipt = await say(g.anze, 'anze-liaison', '确认 4');
    expect(receipt).toContain('确认回执');
    const [anzeStore, qinyuanStore] = stores;
    expect((await anzeStore!.confirmations.list({ year: 2022 })).map((c) => [c.unit, c.task, c.conversationId])).toEqual([['郭道镇', 4, g.anze]]);
    expect(await qinyuanStore!.confirmations.list({ year: 2022 })).toEqual([]);
    expect(await service.store.confirmations.list({ year: 2022 })).toEqual([]);
    // The default county's group still goes to the default store, exactly as without tenants.
    expect(await say(g.plain, 'plain-liaison', '确认 5')).toContain('确认回执');
    expect((await service.store.confirmations.list({ year: 2022 })).map((c) => c.task)).toEqual([5]);
    expect((await anzeStore!.confirmations.list({ year: 2022 })).map((c) => c.task)).toEqual([4]);
  });

  it('answers each tenant’s admins in their own group only, with their own records', async () => {
    const overview = await say(g.anzeAdmin, 'anze-boss', '进度');
    expect(overview).toContain('1/');
    // An admin of 安泽县 is nobody in 沁源县: an admin command in 沁源县's group is refused.
    const refused = await say(g.qinyuan, 'qy-liaison', '催办 4');
    expect(refused).toMatch(/管理员/);
  });

  it('shows the roll-up group every county, and one county on 进度 县名', async () => {
    const all = await say(g.city, 'city-boss', '进度');
    expect(all).toContain('各县政务公开汇总');
    expect(all).toMatch(/安泽县（anze）：完成 1\/\d+/);
    expect(all).toMatch(/沁源县（qinyuan）：完成 0\/\d+/);
    expect(all).not.toContain(DEFAULT_TENANT);
    const one = await say(g.city, 'city-boss', '进度 安泽县');
    expect(one).toContain('安泽县2022年政务公开概况');
    const byId = await say(g.city, 'city-boss', '考核 qinyuan');
    expect(byId).toContain('沁源县2022年政务公开概况');
    expect(await say(g.city, 'city-boss', '进度 平遥县')).toContain('本群看不到“平遥县”');
    // Someone else in the group is refused, in the catalogue's words.
    const refused = await say(g.city, 'city-clerk', '进度 安泽县');
    expect(refused).toContain('只有汇总群的管理员可以查看各县汇总');
    expect(refused).not.toContain('概况');
    // Nothing of the roll-up group was recorded in any county's store.
    for (const s of [...stores, service.store]) expect((await s.groups.list()).some((x) => x.conversationId === g.city)).toBe(false);
  });

  it('moves a new group into a county on 「绑定 县名 单位」 from that county’s admin, and from nobody else', async () => {
    const fresh = emulator.createGroup({ title: '安泽·沁河镇群', members: [{ staffId: 'anze-boss', nick: '安泽主任' }, { staffId: 'stranger', nick: '路人' }] }).conversationId;
    const refused = await say(fresh, 'stranger', '绑定 安泽县 沁河镇');
    expect(refused).not.toContain('已将');
    expect(await service.registry.tenantOf('dingtalk', fresh)).toBe(DEFAULT_TENANT);
    const bound = await say(fresh, 'anze-boss', '绑定 安泽县 沁河镇');
    expect(bound).toContain('沁河镇');
    expect(await service.registry.tenantOf('dingtalk', fresh)).toBe('anze');
    expect((await stores[0]!.groups.list()).find((x) => x.conversationId === fresh)).toMatchObject({ kind: 'unit', unit: '沁河镇' });
    expect((await service.store.groups.list()).some((x) => x.conversationId === fresh)).toBe(false);
    // From now on the group's messages are 安泽县's.
    expect(await say(fresh, 'stranger', '确认 4')).toContain('确认回执');
    expect((await stores[0]!.confirmations.list({ year: 2022, unit: '沁河镇' })).map((c) => c.task)).toEqual([4]);
    await service.registry.unbind('dingtalk', fresh);
    await stores[0]!.groups.unbind({ platform: 'dingtalk', conversationId: fresh }, ctx);
  });

  it('sends the week’s digests of every tenant, each once', async () => {
    const first = await service.router.runDueDigests(now);
    expect([...first.keys()].sort()).toEqual(['anze', 'default', 'qinyuan']);
    expect(first.get('anze')!.sent.map((s) => s.conversationId).sort()).toEqual([g.anze, g.anzeAdmin].sort());
    expect(first.get('qinyuan')!.sent.map((s) => s.conversationId)).toEqual([g.qinyuan]);
    expect(first.get('default')!.sent.map((s) => s.conversationId)).toEqual([g.plain]);
    const again = await service.router.runDueDigests(now);
    for (const run of again.values()) expect(run.sent).toEqual([]);
  });
});
