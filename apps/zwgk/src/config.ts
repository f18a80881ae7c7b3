import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const DingTalkConfigSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  robotCode: z.string().min(1),
  apiBase: z.url().optional(),
});

const SlackConfigSchema = z.object({
  botToken: z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-'),
  appToken: z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-'),
  apiUrl: z.url().optional(),
});

/** Everything `zwgk` can be configured with; `zwgk.config.json` and environment variables both fill it. */
export const ConfigSchema = z
  .object({
    /** Bundled plan id. */
    plan: z.literal('qinyuan-2022').default('qinyuan-2022'),
    /** Where the SQLite database lives. */
    dataDir: z.string().min(1).default('./data'),
    /** Who may confirm for a unit: any member of its bound group, or registered liaisons only. */
    policy: z.enum(['group', 'liaisons']).default('group'),
    /** Unspecified groups of the plan (相关部门 …) mapped to directory units by the county office. */
    groups: z.record(z.string(), z.array(z.string().min(1))).default({}),
    digest: z
      .object({
        enabled: z.boolean().default(true),
        /** 'first-working-day' of the ISO week, or a weekday 1 (Monday) … 7 (Sunday). */
        day: z.union([z.literal('first-working-day'), z.number().int().min(1).max(7)]).default('first-working-day'),
        time: z.string().regex(HHMM, 'expected a time of day written HH:MM, e.g. 09:00').default('09:00'),
        horizonDays: z.number().int().min(1).max(60).default(10),
      })
      .strict()
      .default({ enabled: true, day: 'first-working-day', time: '09:00', horizonDays: 10 }),
    templatesDir: z.string().min(1).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    dingtalk: DingTalkConfigSchema.strict().optional(),
    slack: SlackConfigSchema.strict().optional(),
    sandbox: z
      .object({
        port: z.number().int().min(0).max(65535).default(8790),
        asOf: z.string().regex(DATE, 'expected a date written YYYY-MM-DD').default('2022-11-21'),
      })
      .strict()
      .default({ port: 8790, asOf: '2022-11-21' }),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and the config path each one sets. */
const ENV: Array<[name: string, path: string[], kind: 'string' | 'int' | 'bool']> = [
  ['ZWGK_DATA_DIR', ['dataDir'], 'string'],
  ['ZWGK_POLICY', ['policy'], 'string'],
  ['ZWGK_DIGEST_TIME', ['digest', 'time'], 'string'],
  ['ZWGK_DIGEST_HORIZON', ['digest', 'horizonDays'], 'int'],
  ['ZWGK_DIGEST_ENABLED', ['digest', 'enabled'], 'bool'],
  ['ZWGK_TEMPLATES_DIR', ['templatesDir'], 'string'],
  ['ZWGK_LOG_LEVEL', ['logLevel'], 'string'],
  ['ZWGK_SANDBOX_PORT', ['sandbox', 'port'], 'int'],
  ['ZWGK_SANDBOX_AS_OF', ['sandbox', 'asOf'], 'string'],
  ['DINGTALK_CLIENT_ID', ['dingtalk', 'clientId'], 'string'],
  ['DINGTALK_CLIENT_SECRET', ['dingtalk', 'clientSecret'], 'string'],
  ['DINGTALK_ROBOT_CODE', ['dingtalk', 'robotCode'], 'string'],
  ['DINGTALK_API_BASE', ['dingtalk', 'apiBase'], 'string'],
  ['SLACK_BOT_TOKEN', ['slack', 'botToken'], 'string'],
  ['SLACK_APP_TOKEN', ['slack', 'appToken'], 'string'],
  ['SLACK_API_URL', ['slack', 'apiUrl'], 'string'],
];

function envValue(raw: string, kind: 'string' | 'int' | 'bool'): unknown {
  if (kind === 'int') return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (kind === 'bool') return /^(1|true|yes|on)$/i.test(raw) ? true : /^(0|false|no|off)$/i.test(raw) ? false : raw;
  return raw;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = next && typeof next === 'object' ? { ...(next as object) } : {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function describeIssue(issue: z.core.$ZodIssue, sources: Map<string, string>): string {
  const path = issue.path.join('.') || '(config)';
  const source = sources.get(path);
  return `${path}${source ? ` (from ${source})` : ''}: ${issue.message}`;
}

/** Where the configuration came from, for error messages and `zwgk start`'s banner. */
export interface LoadedConfig {
  config: Config;
  file: string | null;
}

/**
 * Reads `zwgk.config.json` (or the file named by `ZWGK_CONFIG`) and the environment, and validates the
 * result once. A missing default file is fine; a named file that is missing, bad JSON or a bad value is
 * an error naming the field and what was expected.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd: string): { success: true; data: LoadedConfig } | { success: false; error: string } {
  const named = env.ZWGK_CONFIG;
  const file = resolve(cwd, named ?? 'zwgk.config.json');
  let fromFile: Record<string, unknown> = {};
  let used: string | null = null;
  try {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    used = file;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { success: false, error: `${file}: expected a JSON object` };
      fromFile = parsed as Record<string, unknown>;
    } catch (error) {
      return { success: false, error: `${file}: not valid JSON (${(error as Error).message})` };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || named) {
      return { success: false, error: `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }

  const sources = new Map<string, string>();
  const merged: Record<string, unknown> = structuredClone(fromFile);
  for (const [name, path, kind] of ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(merged, path, envValue(raw, kind));
    sources.set(path.join('.'), name);
  }
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const where = used ? ` (config file ${used})` : '';
    return { success: false, error: `invalid configuration${where}:\n${result.error.issues.map((i) => `  - ${describeIssue(i, sources)}`).join('\n')}` };
  }
  return { success: true, data: { config: result.data, file: used } };
}
