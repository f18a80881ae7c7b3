// The tenant registry's cost per incoming message, as routing reads it: before, two queries per message
// (the conversation's roll-up group, then its tenant); now a snapshot kept in memory, checked per message
// (SQLite: PRAGMA data_version; PostgreSQL: nothing while LISTEN notifications arrive, else one version
// row read). A deployment of 120 counties with 45 bound groups each. Ratios are measured in this run.
//   npx tsx bench/registry-route.ts        (part of `npm run bench`)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { openTenantRegistry, type OpenStoreOptions, type TenantRegistry } from '../src/index.js';

const TENANTS = 120;
const GROUPS = 45;
const MESSAGES = 5_000;
const plan = getPlan('qinyuan-2022');
const ADMIN_URL = process.env.ZWGK_TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

async function seed(registry: TenantRegistry): Promise<string[]> {
  const conversations: string[] = [];
  for (let t = 0; t < TENANTS; t++) {
    const id = `county_${t}`;
    await registry.put({ id, plan: { ...plan, county: `县${t}` } });
    for (let g = 0; g < GROUPS; g++) {
      const cid = `cid-${t}-${g}`;
      await registry.bind('dingtalk', cid, id);
      conversations.push(cid);
    }
  }
  await registry.addRollup({ platform: 'dingtalk', conversationId: 'city', scope: 'all', title: null });
  return conversations;
}

/** Microseconds per message of `route` over the conversations in turn (after a warm-up of a tenth). */
async function perMessage(conversations: readonly string[], route: (cid: string) => Promise<string>): Promise<number> {
  for (let i = 0; i < MESSAGES / 10; i++) await route(conversations[i % conversations.length]!);
  const start = process.hrtime.bigint();
  for (let i = 0; i < MESSAGES; i++) {
    const tenant = await route(conversations[(i * 7919) % conversations.length]!);
    if (!tenant.startsWith('county_')) throw new Error(`routed ${conversations[i]} to ${tenant}`);
  }
  return Number(process.hrtime.bigint() - start) / 1000 / MESSAGES;
}

/** Before: the router's two registry reads per message. */
const uncached = (registry: TenantRegistry) => async (cid: string) => {
  if (await registry.rollupOf('dingtalk', cid)) return 'rollup';
  return registry.tenantOf('dingtalk', cid);
};

/** Now: the snapshot, checked per message. */
const cached = (registry: TenantRegistry) => async (cid: string) => {
  const snap = await registry.snapshot();
  if (snap.rollupOf('dingtalk', cid)) return 'rollup';
  return snap.tenantOf('dingtalk', cid);
};

async function measure(label: string, base: OpenStoreOptions): Promise<Array<Record<string, string>>> {
  const writer = await openTenantRegistry(base);
  const conversations = await seed(writer);
  await writer.close();
  const rows: Array<Record<string, string>> = [];
  const listening = await openTenantRegistry(base);
  const polling = await openTenantRegistry(base, { listen: false });
  try {
    const before = await perMessage(conversations, uncached(listening));
    await listening.snapshot();
    // PostgreSQL: let the listener connect before measuring (its first notification reloads once).
    for (let i = 0; i < 50 && base.url !== undefined && !listening.cacheStats.listening; i++) await new Promise((r) => setTimeout(r, 100));
    const after = await perMessage(conversations, cached(listening));
    rows.push({ dialect: label, path: 'before: rollupOf + tenantOf', 'µs/message': before.toFixed(1), 'vs before': '1.00×' });
    rows.push({ dialect: label, path: base.url === undefined ? 'now: snapshot (data_version check)' : 'now: snapshot (LISTEN)', 'µs/message': after.toFixed(1), 'vs before': `${(after / before).toFixed(3)}×` });
    if (base.url !== undefined) {
      const poll = await perMessage(conversations, cached(polling));
      rows.push({ dialect: label, path: 'now: snapshot (no LISTEN: version row per message)', 'µs/message': poll.toFixed(1), 'vs before': `${(poll / before).toFixed(3)}×` });
    }
    rows.push({ dialect: label, path: `(reloads during the cached runs: ${listening.cacheStats.loads + polling.cacheStats.loads})`, 'µs/message': '', 'vs before': '' });
  } finally {
    await listening.close();
    await polling.close();
  }
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'zwgk-bench-registry-'));
const rows: Array<Record<string, string>> = [];
try {
  rows.push(...(await measure('sqlite', { filename: join(dir, 'zwgk.sqlite') })));
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  const name = `zwgk_bench_registry_${process.pid}`;
  let reachable = true;
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch {
    reachable = false;
  }
  if (reachable) {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    try {
      rows.push(...(await measure('postgres', { url: url.toString(), poolSize: 4 })));
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } else {
    console.log(`(PostgreSQL at ${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} not reachable: its rows are left out)`);
  }
  await admin.end().catch(() => undefined);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nTenant registry cost per routed message (${TENANTS} counties × ${GROUPS} groups, ${MESSAGES} messages each)\n`);
console.table(rows);
const sqliteRatio = Number((rows.find((r) => r.dialect === 'sqlite' && r.path?.startsWith('now'))?.['vs before'] ?? 'NaN').replace('×', ''));
console.log(`GOAL cached routing / uncached on SQLite: ${sqliteRatio.toFixed(3)}× (goal ≤ 0.5×): ${sqliteRatio <= 0.5 ? 'met' : 'NOT MET'}\n`);
