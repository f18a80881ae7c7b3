/** Where `zwgk deadlines` reads what units confirmed: a records file or the bot's database. Loaded only when it runs. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportRecords, openStore } from '@zwgk/bot';
import { validateRecords, type Plan, type Records } from '@zwgk/sdk';
import { UsageError, type CliIo } from '../io.js';
import { cliTenant } from './shared.js';

/** Where the confirmations come from: a records file, the bot's database, or nowhere yet. */
export async function recordsFor(plan: Plan, file: string | undefined, io: CliIo): Promise<{ records: Records | null; source: string }> {
  const cwd = io.cwd ?? process.cwd();
  if (file !== undefined) {
    let input: unknown;
    try {
      input = JSON.parse((await readFile(resolve(cwd, file), 'utf8')).replace(/^\uFEFF/, ''));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `cannot read ${file}: no such file` : `records ${file} is not valid JSON: ${(error as Error).message}`);
    }
    const checked = validateRecords(plan, input);
    if (!checked.success) throw new UsageError(`records ${file}:\n${checked.error.map((e) => `  - ${e.path}: ${e.message}`).join('\n')}`);
    return { records: checked.data, source: file };
  }
  const tenant = await cliTenant(io);
  if (!tenant.exists) return { records: null, source: 'none' };
  const store = await openStore(tenant.store);
  try {
    return { records: await exportRecords(store, plan, { year: plan.year }), source: tenant.location };
  } finally {
    await store.close();
  }
}

