import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { evidenceOptionsSchema } from '@zwgk/bot/evidence';
import type { DingTalkSettingsSchema } from '@zwgk/dingtalk';
import type { SlackSettingsSchema } from '@zwgk/slack';
import { isCalendarDate } from './args.js';
import { closest } from './suggest.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const POLICIES = ['group', 'liaisons'] as const;
const oneOf = (values: readonly string[]) => `expected one of ${values.map((v) => `"${v}"`).join(', ')}`;

const UNIT_KINDS = ['township', 'zone', 'department', 'enterprise', 'institution'] as const;

/**
 * A unit of the directory as the county office edits it: a new unit (kind required), or changes to one the
 * plan's directory has (found by `name`, or by `formerly` when it was renamed; the old name stays an alias).
 */
export const UnitEditSchema = z
  .object({
    name: z.string().min(1).describe('The unit’s name (its new name when renamed)'),
    formerly: z.string().min(1).optional().describe('The name it had: renames the unit, keeping the old name as an alias'),
    kind: z.enum(UNIT_KINDS, { error: oneOf(UNIT_KINDS) }).optional().describe('township, zone, department, enterprise or institution (required for a new unit)'),
    aliases: z.array(z.string().min(1)).optional().describe('Other names people write for it'),
    rankingGroup: z.string().min(1).optional().describe('Ranking group id of the rubric (default: its kind’s group)'),
    groups: z.array(z.string().min(1)).optional().describe('Group phrases it belongs to, e.g. 归口管理的公共企事业单位'),
    sectors: z.array(z.string().min(1)).optional().describe('Sectors it supervises (教育, 供水 …), for zwgk plan check’s suggestions'),
    assessor: z.boolean().optional().describe('The assessing office: scored, never ranked'),
    vertical: z.boolean().optional().describe('Vertically managed: ranked in its own group or left out, per the rubric'),
    retired: z.boolean().optional().describe('Retired: no task reaches it and it is not scored; its records stay'),
  })
  .strict();
export type UnitEdit = z.infer<typeof UnitEditSchema>;

// The app's own settings; each default is stated here and nowhere else.
const appFields = {
  $schema: z.string().optional().describe('JSON schema reference for editors (ignored by zwgk)'),
  plan: z.literal('qinyuan-2022', { error: oneOf(['qinyuan-2022']) }).default('qinyuan-2022').describe('Bundled plan id'),
  dataDir: z.string().min(1).default('./data').describe('Folder of the SQLite database (ZWGK_DATA_DIR); the sandbox uses its sandbox/ subfolder'),
  database: z
    .object({
      url: z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/i, 'expected a PostgreSQL connection string, postgres://user:password@host:5432/database')
        .optional()
        .describe('A shared PostgreSQL database instead of the SQLite file under dataDir (DATABASE_URL); several zwgk start processes may run on it'),
      poolSize: z.number().int().min(1).max(100).default(10).describe('Most PostgreSQL connections per process (ZWGK_DATABASE_POOL_SIZE)'),
    })
    .strict()
    .prefault({})
    .describe('Where the bot keeps its records when not in the SQLite file'),
  health: z
    .object({
      port: z.number().int().min(1).max(65535).optional().describe('Serve /healthz, /readyz and /metrics of zwgk start on 127.0.0.1:port (ZWGK_HEALTH_PORT); off when unset'),
    })
    .strict()
    .prefault({})
    .describe('Health and readiness endpoints and Prometheus metrics for a supervisor'),
  policy: z.enum(POLICIES, { error: oneOf(POLICIES) }).default('group').describe('Who may confirm for a unit: any member of its bound group, or registered liaisons only (ZWGK_POLICY)'),
  groups: z
    .record(z.string(), z.array(z.string().min(1)))
    .default({})
    .describe('Unspecified groups of the plan (相关部门 …) mapped to directory units by the county office'),
  assignments: z
    .record(z.string().regex(/^[1-9]\d*$/, 'expected a task number as the key'), z.record(z.string(), z.array(z.string().min(1))))
    .default({})
    .describe('Per task: what a group phrase stands for in that task (units or class phrases such as 县直各部门); zwgk plan assign'),
  units: z.array(UnitEditSchema).default([]).describe('Directory edits in order: units added, renamed, retired or flagged; zwgk units'),
  issued: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD')
    .refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a real calendar date` })
    .optional()
    .describe('The plan’s issue date (印发日期): earlier milestones are never overdue; zwgk plan issued'),
  statutory: z
    .object({
      annualReport: z.boolean().default(false).describe('Add the previous year’s 政府信息公开工作年度报告, due 1月31日 (条例 §49)'),
      task: z.number().int().positive().default(30).describe('The task that carries it'),
    })
    .strict()
    .prefault({})
    .describe('Law-derived milestones the office switches on'),
  digest: z
    .object({
      enabled: z.boolean().default(true).describe('Send the weekly digests (ZWGK_DIGEST_ENABLED)'),
      day: z
        .union([z.literal('first-working-day'), z.number().int().min(1).max(7)], { error: 'expected "first-working-day" or a weekday 1 (Monday) … 7 (Sunday)' })
        .default('first-working-day')
        .describe('"first-working-day" of the ISO week, or a weekday 1 (Monday) … 7 (Sunday)'),
      time: z.string().regex(HHMM, 'expected a time of day written HH:MM, e.g. 09:00').default('09:00').describe('Send time, Asia/Shanghai (ZWGK_DIGEST_TIME)'),
      horizonDays: z.number().int().min(1).max(60).default(10).describe('"Due soon" means within this many working days (ZWGK_DIGEST_HORIZON)'),
      tickMs: z.number().int().min(100).max(3_600_000).default(60_000).describe('How often the scheduler looks for due digests and renews its lease, in ms'),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(64)
        .default(1)
        .describe('Digests this instance sends at once (across every county when it serves tenants); raise it (e.g. 4) when thousands of groups must go out at the app’s send rate'),
      leaseMs: z
        .number()
        .int()
        .min(100)
        .optional()
        .describe('Several instances on one database: another instance takes the digest scheduling over this long after its holder stopped renewing, in ms (default 3 × tickMs)'),
      instanceId: z
        .string()
        .min(1)
        .optional()
        .describe('This instance’s name as holder of the digest scheduler’s lease, e.g. the host name (ZWGK_INSTANCE_ID; default a random id)'),
    })
    .strict()
    .prefault({})
    .describe('The weekly digest to every bound group'),
  evidence: evidenceOptionsSchema
    .prefault({})
    .describe('Checks of evidence links (佐证链接) in the background: only pages of the county’s own sites (allowedHosts) are ever fetched; failing links are reported to the admin group'),
  office: z
    .object({
      name: z.string().min(1).describe('Full name of the issuing office, e.g. 沁源县人民政府办公室: signs the 通报 and the reports’ footers'),
      shortName: z.string().min(1).optional().describe('Short name used in running text, e.g. 县政府办 (default: the full name)'),
      tongbaoTemplate: z
        .string()
        .min(1)
        .optional()
        .describe('A Handlebars file with the county’s own 通报 text for zwgk report --format docx (relative to the working directory; see docs/assessment.md)'),
    })
    .strict()
    .optional()
    .describe('The county office that issues the reports (县政府办 / 政务公开办)'),
  templatesDir: z.string().min(1).optional().describe('A folder of the county’s own templates, over the built-in ones (ZWGK_TEMPLATES_DIR)'),
  logLevel: z.enum(LOG_LEVELS, { error: oneOf(LOG_LEVELS) }).default('info').describe('JSON log level on stderr (ZWGK_LOG_LEVEL)'),
  sandbox: z
    .object({
      port: z.number().int().min(0).max(65535).default(8790).describe('Loopback port of the sandbox (ZWGK_SANDBOX_PORT)'),
      asOf: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD')
        .refine(isCalendarDate, { error: (issue) => `${String(issue.input)} is not a real calendar date` })
        .default('2022-11-21')
        .describe('Simulated date the sandbox starts on, a day of the plan year (ZWGK_SANDBOX_AS_OF)'),
    })
    .strict()
    .prefault({})
    .describe('The local try-out: zwgk start --sandbox (npm start)'),
};

/**
 * The app's own settings, without the chat platforms' sections (those are the adapters' schemas, composed
 * in by {@link composeConfigSchema}). Parsing `{}` gives every default.
 */
export const AppConfigSchema = z.object(appFields).strict();

type DingTalkSchema = typeof DingTalkSettingsSchema;
type SlackSchema = typeof SlackSettingsSchema;

/** Everything `zwgk` can be configured with, once validated; `zwgk.config.json` and environment variables fill it. */
export type Config = z.output<typeof AppConfigSchema> & {
  dingtalk?: z.output<DingTalkSchema>;
  slack?: z.output<SlackSchema>;
};

/** The whole configuration schema: the app's settings plus the adapters' own schemas for `dingtalk` and `slack`. */
export function composeConfigSchema(platforms: { dingtalk?: DingTalkSchema; slack?: SlackSchema }) {
  return z
    .object({
      ...appFields,
      // A section whose adapter was not loaded (because the input has no such section) accepts nothing.
      dingtalk: (platforms.dingtalk ?? z.never())
        .optional()
        .describe('The DingTalk app (DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET, DINGTALK_ROBOT_CODE): @zwgk/dingtalk’s settings'),
      slack: (platforms.slack ?? z.never()).optional().describe('The Slack app (SLACK_BOT_TOKEN, SLACK_APP_TOKEN): @zwgk/slack’s settings'),
    })
    .strict();
}

/** The complete schema, both adapters loaded (for editors and documentation). */
export async function fullConfigSchema() {
  const [{ DingTalkSettingsSchema: dingtalk }, { SlackSettingsSchema: slack }] = await Promise.all([import('@zwgk/dingtalk'), import('@zwgk/slack')]);
  return composeConfigSchema({ dingtalk, slack });
}

/** The JSON schema of `zwgk.config.json` (draft 2020-12), for editors' completion and checking. */
export async function configJsonSchema(): Promise<Record<string, unknown>> {
  const schema = z.toJSONSchema(await fullConfigSchema(), { io: 'input', unrepresentable: 'any' });
  return { ...schema, title: 'zwgk.config.json', description: 'Configuration of the zwgk service and CLI (docs/operations.md).' };
}

/** Environment variables and the config path each one sets. */
export const ENV: ReadonlyArray<[name: string, path: string[], kind: 'string' | 'int' | 'bool']> = [
  ['ZWGK_DATA_DIR', ['dataDir'], 'string'],
  ['DATABASE_URL', ['database', 'url'], 'string'],
  ['ZWGK_DATABASE_POOL_SIZE', ['database', 'poolSize'], 'int'],
  ['ZWGK_HEALTH_PORT', ['health', 'port'], 'int'],
  ['ZWGK_POLICY', ['policy'], 'string'],
  ['ZWGK_DIGEST_TIME', ['digest', 'time'], 'string'],
  ['ZWGK_DIGEST_HORIZON', ['digest', 'horizonDays'], 'int'],
  ['ZWGK_DIGEST_ENABLED', ['digest', 'enabled'], 'bool'],
  ['ZWGK_INSTANCE_ID', ['digest', 'instanceId'], 'string'],
  ['ZWGK_TEMPLATES_DIR', ['templatesDir'], 'string'],
  ['ZWGK_LOG_LEVEL', ['logLevel'], 'string'],
  ['ZWGK_SANDBOX_PORT', ['sandbox', 'port'], 'int'],
  ['ZWGK_SANDBOX_AS_OF', ['sandbox', 'asOf'], 'string'],
  ['DINGTALK_CLIENT_ID', ['dingtalk', 'clientId'], 'string'],
  ['DINGTALK_CLIENT_SECRET', ['dingtalk', 'clientSecret'], 'string'],
  ['DINGTALK_ROBOT_CODE', ['dingtalk', 'robotCode'], 'string'],
  ['DINGTALK_API_BASE', ['dingtalk', 'apiBase'], 'string'],
  ['DINGTALK_CARD_TEMPLATE_ID', ['dingtalk', 'cards', 'templateId'], 'string'],
  ['SLACK_BOT_TOKEN', ['slack', 'botToken'], 'string'],
  ['SLACK_APP_TOKEN', ['slack', 'appToken'], 'string'],
  ['SLACK_API_URL', ['slack', 'apiUrl'], 'string'],
];

function envValue(raw: string, kind: 'string' | 'int' | 'bool'): unknown {
  if (kind === 'int') return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
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

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

/** The keys an object schema at `path` accepts (through defaults and optionals), for suggestions. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  const unwrap = (s: z.core.$ZodType | undefined) => {
    let t = s;
    while (t && 'innerType' in t._zod.def) t = (t._zod.def as { innerType: z.core.$ZodType }).innerType;
    return t;
  };
  for (const key of path) {
    const obj = unwrap(node);
    node = obj && 'shape' in obj._zod.def ? (obj._zod.def as { shape: Record<string, z.core.$ZodType> }).shape[String(key)] : undefined;
  }
  const obj = unwrap(node);
  return obj && 'shape' in obj._zod.def ? Object.keys((obj._zod.def as { shape: Record<string, unknown> }).shape) : [];
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType, sources: Map<string, string>): string[] {
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(config)';
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(schema, issue.path);
    return issue.keys.map((key) => {
      const near = closest(key, known);
      const where = issue.path.length ? `${at(issue.path)}: ` : '';
      return `${where}unknown key "${key}"${near ? ` — did you mean "${near}"?` : ''} (allowed: ${known.filter((k) => k !== '$schema').join(', ')})`;
    });
  }
  const path = at(issue.path);
  const source = sources.get(path);
  const env = ENV.find(([, p]) => p.join('.') === path)?.[0];
  const value = valueAt(input, issue.path);
  if (value === undefined && issue.code === 'invalid_type') {
    // A required setting that is missing: say where it can come from.
    return [`${path}: missing — ${issue.message.replace(/^Invalid input: /, '')}${env ? `; set ${env} or "${path}" in zwgk.config.json` : ''}`];
  }
  // A connection string's password is a secret: never echo it.
  const shown = typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@') : value;
  const got = value === undefined || typeof value === 'object' ? '' : `, got ${JSON.stringify(shown)}`;
  const said = issue.message.includes('got ') || (typeof value === 'string' && issue.message.includes(value));
  return [`${path}${source ? ` (from ${source})` : ''}: ${issue.message}${said ? '' : got}`];
}

/** Where the configuration came from, for error messages and `zwgk start`'s banner. */
export interface LoadedConfig {
  config: Config;
  file: string | null;
}

/** Result of {@link loadConfig}: expected failures are values, not exceptions. */
export type LoadConfigResult = { success: true; data: LoadedConfig } | { success: false; error: string };

/**
 * Reads `zwgk.config.json` (or the file named by `ZWGK_CONFIG`) and the environment, and validates the
 * result once against the app's schema composed with the adapters' (each adapter is loaded only when its
 * section is present). A missing default file is fine; a named file that is missing, bad JSON or a bad
 * value is an error naming the field, where it came from and what was expected.
 */
export async function loadConfig(env: Record<string, string | undefined>, cwd: string): Promise<LoadConfigResult> {
  const named = env.ZWGK_CONFIG || undefined;
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
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || named) return { success: false, error: `cannot read config file ${file}: ${code ?? String(error)}` };
  }

  const sources = new Map<string, string>();
  const merged: Record<string, unknown> = structuredClone(fromFile);
  for (const [name, path, kind] of ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(merged, path, envValue(raw, kind));
    sources.set(path.join('.'), name);
  }
  const [dingtalk, slack] = await Promise.all([
    merged.dingtalk === undefined ? undefined : import('@zwgk/dingtalk').then((m) => m.DingTalkSettingsSchema),
    merged.slack === undefined ? undefined : import('@zwgk/slack').then((m) => m.SlackSettingsSchema),
  ]);
  const schema = composeConfigSchema({ ...(dingtalk ? { dingtalk } : {}), ...(slack ? { slack } : {}) });
  const result = schema.safeParse(merged);
  if (!result.success) {
    const where = used ? ` (config file ${used})` : '';
    const lines = result.error.issues.flatMap((i) => describeIssue(i, merged, schema, sources));
    return { success: false, error: `invalid configuration${where}:\n${lines.map((l) => `  - ${l}`).join('\n')}` };
  }
  return { success: true, data: { config: result.data as Config, file: used } };
}
