import { existsSync } from 'node:fs';
import { exportRecords, openStore } from '@zwgk/bot';
import type { Plan, Records } from '@zwgk/sdk';
import { UsageError, type CliIo } from '../io.js';
import { databaseFile } from '../service/bot-service.js';
import { configOrExit } from './shared.js';

/** Everything the bot recorded for the plan year, read once from its database. */
export async function recordsFromDatabase(plan: Plan, io: CliIo): Promise<Records> {
  const file = databaseFile(configOrExit(io).config, io.cwd ?? process.cwd());
  if (!existsSync(file)) {
    throw new UsageError(`no bot database at ${file}: run the bot first (zwgk start), or pass --records FILE`);
  }
  const store = await openStore({ filename: file });
  try {
    return await exportRecords(store, plan, { year: plan.year });
  } finally {
    await store.close();
  }
}
