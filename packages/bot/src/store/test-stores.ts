/*
 * Test support (not exported by the package): the store suites run once per dialect. SQLite always;
 * PostgreSQL on the server at ZWGK_TEST_POSTGRES_URL (default postgres://postgres:postgres@127.0.0.1:5432/postgres,
 * the one `.ci/run` starts). Each suite creates its own database and drops it afterwards. Without a
 * reachable server the PostgreSQL runs are left out with a warning, except under CI=true, where that fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type OpenStoreOptions } from './open.js';
import type { SqlDialect } from './migrations/columns.js';
import type { Store } from './store.js';

const ADMIN_URL = process.env.ZWGK_TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function availableDialects(): Promise<SqlDialect[]> {
  const problem = await postgresReachable();
  if (problem === null) return ['sqlite', 'postgres'];
  const message = `PostgreSQL at ${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${problem}): start it (pg_ctlcluster 15 main start) or set ZWGK_TEST_POSTGRES_URL`;
  if (process.env.CI === 'true') throw new Error(`${message}. CI must run the store suites on PostgreSQL.`);
  console.warn(`\n!!! ${message}. The PostgreSQL runs of the store suites are LEFT OUT. !!!\n`);
  return ['sqlite'];
}

/** The dialects to run the store suites on: SQLite, and PostgreSQL when a server is reachable (always under CI). */
export const DIALECTS: readonly SqlDialect[] = await availableDialects();

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Registers the suite's hooks and returns a function that opens an empty, migrated store of `dialect`.
 * On PostgreSQL the suite gets a database of its own (created before, dropped after it); each opened
 * store starts from empty tables. `url()` is that database's connection string (PostgreSQL only).
 */
export function testStores(dialect: SqlDialect): { open: () => Promise<Store>; url: () => string; deployment: () => Promise<OpenStoreOptions> } {
  let url = '';
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  if (dialect === 'postgres') {
    const name = `zwgk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    beforeAll(async () => {
      await admin((c) => c.query(`create database ${name}`));
      const u = new URL(ADMIN_URL);
      u.pathname = `/${name}`;
      url = u.toString();
    });
    afterAll(async () => {
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    });
  }
  return {
    url: () => url,
    /**
     * The options of an empty deployment with room for tenants: a fresh folder's SQLite file, or the suite's
     * PostgreSQL database with every tenant schema and the registry dropped.
     */
    deployment: async () => {
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'zwgk-tenants-'));
        dirs.push(dir);
        return { filename: join(dir, 'zwgk.sqlite') };
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 'tenant\\_%'");
        for (const r of rows) await client.query(`drop schema "${r.nspname}" cascade`);
        await client.query('drop table if exists rollup_admins, registry_version, rollup_groups, tenant_conversations, tenants, zwgk_registry_migrations, zwgk_registry_migrations_lock cascade');
        await client.query('drop function if exists zwgk_registry_changed() cascade');
      } finally {
        await client.end();
      }
      return { url, poolSize: 4 };
    },
    open: async () => {
      if (dialect === 'sqlite') return openStore({ filename: ':memory:' });
      const store = await openStore({ url, poolSize: 4 });
      const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema() and tablename not like 'zwgk_migrations%'`.execute(store.db);
      const names = tables.rows.map((r) => `"${r.tablename}"`).join(', ');
      if (names) await sql.raw(`truncate ${names} restart identity`).execute(store.db);
      return store;
    },
  };
}
