/*
 * The PostgreSQL server for the app's tests: ZWGK_TEST_POSTGRES_URL, default the one `.ci/run` starts.
 * Each test file creates its own database and drops it afterwards. Without a reachable server the
 * PostgreSQL tests are left out with a warning, except under CI=true, where that fails.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.ZWGK_TEST_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    const message = `PostgreSQL at ${ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.CI === 'true') throw new Error(`${message}: CI must run the PostgreSQL tests.`);
    console.warn(`\n!!! ${message}: the PostgreSQL tests of @zwgk/test-kit are LEFT OUT. !!!\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when the PostgreSQL tests run (always under CI). */
export const POSTGRES = await reachable();

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** Creates a new, empty database and returns its url and a function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `zwgk_kit_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
