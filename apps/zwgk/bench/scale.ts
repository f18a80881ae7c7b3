/*
 * Scale-out on PostgreSQL, measured with real `zwgk start` processes against the DingTalk emulator
 * (issue 15), each figure a ratio against a baseline of the same run:
 *
 * 1. Weekly digests for 120 synthetic counties (120 × 45 = 5,400 groups) with 3 instances: the time from
 *    the digest falling due until every group has it, against the send-rate floor (groups ÷ the app's
 *    send rate). Goal ≤ 1.1×. Each county is a tenant of its own (its plan in the registry, its groups in
 *    its schema `tenant_<id>`), so every instance runs 120 bots behind one connection, each with its own
 *    digest scheduler and lease, all sharing the app's send rate.
 * 2. Confirmation throughput of 3 instances against 1 on this machine (rate limits lifted, so that the
 *    engine and the database are what is measured).
 *
 * Knobs: ZWGK_BENCH_COUNTIES (120), ZWGK_BENCH_GROUPS_PER_COUNTY (45), ZWGK_BENCH_RATE (the app's sends per
 * second, 20 as DingTalk's), ZWGK_BENCH_CONFIRMATIONS (240). Without a PostgreSQL server it says so and
 * measures nothing (CI=true makes that an error).
 */
import { openStore, openTenantRegistry, type Store } from '@zwgk/bot';
import pg from 'pg';
import { SANDBOX_APP, startEmulator, type Emulator } from '@zwgk/dingtalk-emulator';
import { planStatuses } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { killAll, startInstance, type Instance } from '../test/instances.js';
import { createTestDatabase, POSTGRES } from '../test/postgres.js';

const COUNTIES = Number(process.env.ZWGK_BENCH_COUNTIES ?? 120);
const PER_COUNTY = Number(process.env.ZWGK_BENCH_GROUPS_PER_COUNTY ?? 45);
const RATE = Number(process.env.ZWGK_BENCH_RATE ?? 20);
const CONFIRMATIONS = Number(process.env.ZWGK_BENCH_CONFIRMATIONS ?? 240);
const GOAL = 1.1;

const plan = getPlan('qinyuan-2022');
const units = plan.units.map((u) => u.name);
const ctx = () => ({ actor: { platform: 'cli', id: 'bench', channel: 'cli' }, at: new Date() });

function env(emulator: Emulator, url: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    DINGTALK_CLIENT_ID: SANDBOX_APP.clientId,
    DINGTALK_CLIENT_SECRET: SANDBOX_APP.clientSecret,
    DINGTALK_ROBOT_CODE: SANDBOX_APP.robotCode,
    DINGTALK_API_BASE: emulator.url,
  };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function digests(): Promise<{ ms: number; floorMs: number; groups: number; throttled: number }> {
  const db = await createTestDatabase();
  // The emulator enforces the app's rate over one-second windows with room for a full burst on top.
  const emulator = await startEmulator({ port: 0, limits: { appPerMinute: 2 * RATE, windowMs: 1000 } });
  const registry = await openTenantRegistry({ url: db.url, poolSize: 4 });
  const instances: Instance[] = [];
  try {
    const groups = COUNTIES * PER_COUNTY;
    // The counties: each a tenant with the bundled plan under its own name, its store created and migrated now.
    const ids = Array.from({ length: COUNTIES }, (_, c) => `county${c}`);
    for (const [c, id] of ids.entries()) {
      const put = await registry.put({ id, plan: { ...plan, county: `县${c}`, title: `县${c}${plan.year}年政务公开工作要点` } });
      if (!put.success) throw new Error(put.error);
      await (await registry.openStore(id)).close();
    }
    const config = (name: string) => ({
      logLevel: 'warn',
      // Due at once (Monday 00:00); nothing is bound while the instances start.
      digest: { enabled: true, day: 1, time: '00:00', tickMs: 1000, concurrency: 4, instanceId: name },
      dingtalk: { rate: { perAppPerSecond: RATE, perGroupPerMinute: 20 }, reconnect: { heartbeatMs: 0 } },
    });
    const e = env(emulator, db.url);
    for (const name of ['d1', 'd2', 'd3']) instances.push(await startInstance(name, { env: e, config: config(name), timeoutMs: 120_000 }));
    // Each county's groups are bound in one transaction of its store (and registered with its tenant): its
    // digests fall due when it commits. The clock starts before the first county is bound, so binding
    // counts against the instances.
    const t0 = Date.now();
    for (const [c, id] of ids.entries()) {
      const store = await registry.openStore(id);
      try {
        const cids: string[] = [];
        await store.transaction(async (trx) => {
          for (let u = 0; u < PER_COUNTY; u++) {
            const g = emulator.createGroup({ title: `县${c}-${u}`, members: [{ staffId: `u${c}-${u}`, nick: '联络员' }] });
            cids.push(g.conversationId);
            if (u === 0) await trx.groups.bindAdmin({ platform: 'dingtalk', conversationId: g.conversationId }, ctx());
            else await trx.groups.bindUnit({ platform: 'dingtalk', conversationId: g.conversationId, unit: units[u % units.length]! }, ctx());
          }
        });
        for (const cid of cids) await registry.bind('dingtalk', cid, id);
      } finally {
        await store.close();
      }
    }
    // Counted in the database across the counties' schemas (one query, so that watching costs the machine little).
    const counting = ids.map((id) => `select count(*) as n from "tenant_${id}".digest_outbox where status = 'sent'`).join(' union all ');
    const watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    const sentCount = async () => Number((await watcher.query<{ n: string }>(`select sum(n) as n from (${counting}) t`)).rows[0]?.n ?? 0);
    await until(async () => (await sentCount()) === groups, 3_600_000, 'every digest', 500);
    const ms = Date.now() - t0;
    await watcher.end();
    return { ms, floorMs: (groups / RATE) * 1000, groups, throttled: emulator.state().counters.throttled };
  } finally {
    await killAll(instances);
    await registry.close();
    await emulator.close();
    await db.drop();
  }
}

async function confirmations(count: number): Promise<number> {
  const db = await createTestDatabase();
  const emulator = await startEmulator({ port: 0, ackTimeoutMs: 120_000 });
  const store: Store = await openStore({ url: db.url, poolSize: 2 });
  const instances: Instance[] = [];
  try {
    const statuses = planStatuses(plan, { asOf: '2022-12-31' });
    // Distinct (unit, task) pairs with one milestone each: every message records a confirmation.
    const pairs = units.flatMap((unit) => {
      const rows = statuses.filter((r) => r.unit === unit && r.task !== 31 && r.task !== 32);
      return [...new Set(rows.map((r) => r.task))].filter((t) => rows.filter((r) => r.task === t).length === 1).map((task) => ({ unit, task }));
    });
    const posts = pairs.slice(0, CONFIRMATIONS);
    const groups = new Map<string, string>();
    for (const { unit } of posts) {
      if (groups.has(unit)) continue;
      const g = emulator.createGroup({ title: unit, members: [{ staffId: 'u1', nick: '联络员' }] });
      await store.groups.bindUnit({ platform: 'dingtalk', conversationId: g.conversationId, unit }, ctx());
      groups.set(unit, g.conversationId);
    }
    const config = { logLevel: 'warn', digest: { enabled: false }, dingtalk: { rate: false, reconnect: { heartbeatMs: 0 } } };
    const e = env(emulator, db.url);
    for (let i = 0; i < count; i++) instances.push(await startInstance(`c${i}`, { env: e, config, timeoutMs: 120_000 }));
    await until(() => emulator.connections().length === count, 30_000, 'the connections');
    const t0 = Date.now();
    for (const { unit, task } of posts) emulator.postMessage(groups.get(unit)!, { senderStaffId: 'u1', text: `确认 ${task}` });
    await until(() => emulator.deliveries().every((d) => d.status === 'acked'), 600_000, 'every ack');
    const ms = Date.now() - t0;
    const recorded = (await store.confirmations.list({ year: plan.year })).length;
    if (recorded !== posts.length) throw new Error(`${recorded} confirmations recorded of ${posts.length}`);
    return (posts.length / ms) * 1000;
  } finally {
    await killAll(instances);
    await store.close();
    await emulator.close();
    await db.drop();
  }
}

if (!POSTGRES) {
  console.log('scale bench: no PostgreSQL server, nothing measured');
} else {
  const d = await digests();
  const ratio = d.ms / d.floorMs;
  console.log(
    `digests: ${d.groups} groups (${COUNTIES} counties × ${PER_COUNTY}) over 3 instances in ${(d.ms / 1000).toFixed(1)} s; ` +
      `send-rate floor ${(d.floorMs / 1000).toFixed(1)} s at ${RATE}/s → ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×), throttled ${d.throttled}`,
  );
  const one = await confirmations(1);
  const three = await confirmations(3);
  console.log(`confirmations: 1 instance ${one.toFixed(1)}/s, 3 instances ${three.toFixed(1)}/s → ${(three / one).toFixed(2)}× on this machine`);
  if (ratio > GOAL) process.exitCode = 1;
}
