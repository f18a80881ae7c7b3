/*
 * Three `zwgk start` processes on one PostgreSQL database and one DingTalk app (the emulator, which hands
 * each callback to one of the open Stream connections at random): the week's digests go out once per
 * group even when the instance sending them is killed with SIGKILL halfway, a burst of confirmations is
 * recorded and answered once each, and together the instances keep the app's send-rate limit.
 */
import { openStore, type Store } from '@zwgk/bot';
import type { OutboxEntry } from '@zwgk/bot/store';
import { SANDBOX_APP, startEmulator, type ChatMessage, type Emulator } from '@zwgk/dingtalk-emulator';
import { planStatuses } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startInstance, type Instance } from './instances.js';
import { createTestDatabase, POSTGRES } from './postgres.js';

const plan = getPlan('qinyuan-2022');
const statuses = planStatuses(plan, { asOf: '2022-12-31' });
const TOWNSHIPS = ['沁河镇', '郭道镇', '灵空山镇', '王和镇', '王陶镇', '景凤镇', '中峪乡', '法中乡', '交口乡', '聪子峪乡', '韩洪乡', '赤石桥乡'];
const UNIT_GROUPS = 40;
// The emulator refuses more than APP_LIMIT sends of the app in any second; each instance is set to
// PER_SECOND a second (bursts of PER_SECOND), so only a limit shared by the three keeps under it.
const APP_LIMIT = 12;
const PER_SECOND = 5;

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Up to five tasks of `unit` with one milestone for it (确认 N then records it without asking which). */
function tasksOf(unit: string): number[] {
  const rows = statuses.filter((r) => r.unit === unit && r.task !== 31 && r.task !== 32);
  return [...new Set(rows.map((r) => r.task))].filter((t) => rows.filter((r) => r.task === t).length === 1).slice(0, 5);
}

describe.runIf(POSTGRES)('three zwgk instances on one PostgreSQL database', () => {
  let db: { url: string; drop: () => Promise<void> };
  let emulator: Emulator;
  let store: Store;
  const instances: Instance[] = [];
  const groups: Array<{ conversationId: string; unit: string | null }> = [];
  let env: Record<string, string>;

  const start = async (name: string) => {
    const config = {
      logLevel: 'warn',
      digest: { day: 1, time: '00:00', tickMs: 300, leaseMs: 1500, instanceId: name },
      dingtalk: { rate: { perAppPerSecond: PER_SECOND, perGroupPerMinute: 20 }, reconnect: { heartbeatMs: 0 } },
    };
    const instance = await startInstance(name, { env, config });
    instances.push(instance);
    return instance;
  };
  const bindGroups = async () => {
    const units = plan.units.map((u) => u.name);
    const ctx = { actor: { platform: 'cli', id: 'test', channel: 'cli' }, at: new Date() };
    for (let i = 0; i < UNIT_GROUPS; i++) {
      const unit = i < TOWNSHIPS.length ? TOWNSHIPS[i]! : units[i % units.length]!;
      const g = emulator.createGroup({ title: `${unit}群${i}`, members: [{ staffId: `u${i}`, nick: `联络员${i}` }] });
      await store.groups.bindUnit({ platform: 'dingtalk', conversationId: g.conversationId, unit }, ctx);
      groups.push({ conversationId: g.conversationId, unit });
    }
    const admin = emulator.createGroup({ title: '县政府办管理群', members: [{ staffId: 'boss', nick: '主任' }] });
    await store.groups.bindAdmin({ platform: 'dingtalk', conversationId: admin.conversationId }, ctx);
    groups.push({ conversationId: admin.conversationId, unit: null });
  };
  const botMessages = (cid: string): ChatMessage[] => emulator.messages(cid).filter((m) => m.from === 'bot');
  const describeRows = (rows: OutboxEntry[]) => JSON.stringify(rows.map((r) => ({ unit: r.unit, status: r.status, attempts: r.attempts, error: r.lastError })));

  beforeAll(async () => {
    db = await createTestDatabase();
    emulator = await startEmulator({ port: 0, ackTimeoutMs: 30_000, limits: { appPerMinute: APP_LIMIT, windowMs: 1000 } });
    store = await openStore({ url: db.url, poolSize: 2 });
    env = {
      DATABASE_URL: db.url,
      DINGTALK_CLIENT_ID: SANDBOX_APP.clientId,
      DINGTALK_CLIENT_SECRET: SANDBOX_APP.clientSecret,
      DINGTALK_ROBOT_CODE: SANDBOX_APP.robotCode,
      DINGTALK_API_BASE: emulator.url,
    };
  }, 60_000);

  afterAll(async () => {
    await killAll(instances);
    await store?.close();
    await emulator?.close();
    await db?.drop();
  }, 60_000);

  it('sends every group its digest once although the instance sending them is killed halfway', async () => {
    // Three instances; the week's digest is due at once (Monday 00:00), but no group is bound yet.
    const started = await Promise.all(['i1', 'i2', 'i3'].map(start));
    await until(async () => (await store.leases.get('digest-scheduler')) !== null, 10_000, 'the lease');
    await bindGroups();
    const sent = () => groups.filter((g) => botMessages(g.conversationId).length > 0).length;
    await until(() => sent() >= 10, 30_000, '10 digests');
    const holder0 = (await store.leases.get('digest-scheduler'))!.holder;
    const first = started.find((i) => i.name === holder0)!;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect(sent()).toBeLessThan(groups.length);

    const open = async () => (await store.outbox.list({})).filter((r) => r.status !== 'sent');
    // The others take the lease over and finish the week (groups bound meanwhile are queued within a few
    // ticks); the one digest the killed instance was sending (its request started, not marked) may have
    // arrived, so it is not sent again: left claimed, or marked failed as uncertain once its sender's lease lapsed.
    await until(async () => (await store.outbox.list({})).length === groups.length && (await open()).length <= 1, 60_000, 'the rest of the week');
    // Settled: a second later nothing has moved (no survivor is still sending the last one).
    await new Promise((r) => setTimeout(r, 1000));
    const holder = (await store.leases.get('digest-scheduler'))?.holder;
    expect(holder).toBeDefined();
    expect(holder).not.toBe(holder0);
    const left = await open();
    expect(left.length, describeRows(left)).toBeLessThanOrEqual(1);
    expect(left.every((r) => r.status === 'sending' || (r.status === 'failed' && r.lastError?.startsWith('uncertain: '))), describeRows(left)).toBe(true);
    const all = await store.outbox.list({});
    expect(all).toHaveLength(groups.length);
    for (const g of groups) {
      const texts = botMessages(g.conversationId).map((m) => m.markdown?.text ?? m.text ?? '');
      // Never twice: a digest sent twice would repeat its (first) text.
      expect(new Set(texts).size, `digest of ${g.unit ?? '管理群'} doubled`).toBe(texts.length);
      const row = all.find((r) => r.conversationId === g.conversationId)!;
      if (row.status === 'sent') expect(texts.length, `digest of ${g.unit ?? '管理群'} lost`).toBeGreaterThan(0);
    }
    expect(emulator.state().counters.throttled).toBe(0);
  }, 120_000);

  it('records and answers a burst of confirmations once each, spread over the instances', async () => {
    await start('i4'); // three again
    await until(() => emulator.connections().length === 3, 10_000, 'three connections');
    const before = new Map(groups.map((g) => [g.conversationId, botMessages(g.conversationId).length]));
    const posted: Array<{ conversationId: string; messageId: string }> = [];
    for (const [i, unit] of TOWNSHIPS.entries()) {
      const g = groups[i]!;
      for (const no of tasksOf(unit)) {
        const { messageId } = emulator.postMessage(g.conversationId, { senderStaffId: `u${i}`, text: `确认 ${no}` });
        posted.push({ conversationId: g.conversationId, messageId: messageId! });
      }
    }
    expect(posted.length).toBeGreaterThanOrEqual(40);
    const ours = () => emulator.deliveries().filter((d) => posted.some((p) => p.messageId === d.messageId));
    await until(() => ours().every((d) => d.status === 'acked'), 90_000, 'every ack');

    const connections = new Set(ours().flatMap((d) => d.attempts.map((a) => a.connectionId)));
    expect(connections.size).toBeGreaterThan(1);
    expect(await store.confirmations.list({ year: plan.year })).toHaveLength(posted.length);
    for (const [i] of TOWNSHIPS.entries()) {
      const g = groups[i]!;
      const mine = posted.filter((p) => p.conversationId === g.conversationId).length;
      expect(botMessages(g.conversationId).length - before.get(g.conversationId)!, `receipts in ${g.unit}`).toBe(mine);
    }
    expect(emulator.state().counters.throttled).toBe(0);
  }, 120_000);
});
