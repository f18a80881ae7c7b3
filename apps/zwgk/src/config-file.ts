import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './config.js';
import { UsageError, type CliIo } from './io.js';
import { planFor } from './service/plan.js';

/** The config file commands edit: `ZWGK_CONFIG`, or `zwgk.config.json` in the working directory. */
export function configFilePath(io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), io.env.ZWGK_CONFIG ?? 'zwgk.config.json');
}

/**
 * Edits the config file: reads it (an absent default file starts empty), lets `change` modify the JSON,
 * checks the result as `zwgk` would load it (schema and plan setup) and only then replaces the file — a
 * bad edit is refused and the file stays as it was. Returns the file written.
 */
export async function editConfigFile(io: CliIo, change: (raw: Record<string, unknown>) => void): Promise<string> {
  const file = configFilePath(io);
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file}: expected a JSON object`, 2);
    raw = parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || io.env.ZWGK_CONFIG) {
      throw new UsageError(code ? `cannot read config file ${file}: ${code}` : `${file}: not valid JSON (${(error as Error).message})`, 2);
    }
  }
  change(raw);
  const text = `${JSON.stringify(raw, null, 2)}\n`;
  // Validate exactly what will be written, through the same loader `zwgk` uses, before touching the file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  const loaded = await loadConfig({ ...io.env, ZWGK_CONFIG: tmp }, io.cwd ?? process.cwd());
  const planned = loaded.success ? planFor(loaded.data.config) : loaded;
  if (!planned.success) {
    rmSync(tmp, { force: true });
    throw new UsageError(`not changed: ${planned.error.replaceAll(tmp, file)}`, 2);
  }
  renameSync(tmp, file);
  return file;
}
