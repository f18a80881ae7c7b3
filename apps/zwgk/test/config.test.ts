import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DingTalkSettingsSchema } from '@zwgk/dingtalk';
import { SlackSettingsSchema } from '@zwgk/slack';
import { describe, expect, it } from 'vitest';
import { AppConfigSchema, configJsonSchema, loadConfig } from '../src/config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'zwgk-config-'));

async function error(env: Record<string, string>, file?: unknown): Promise<string> {
  const cwd = dir();
  if (file !== undefined) writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify(file));
  const r = await loadConfig(env, cwd);
  if (r.success) throw new Error('expected the configuration to be refused');
  return r.error;
}

describe('loadConfig', () => {
  it('gives the defaults when there is no file and no environment', async () => {
    const r = await loadConfig({}, dir());
    expect(r.success).toBe(true);
    if (r.success) {
      expect(r.data.file).toBeNull();
      expect(r.data.config).toEqual(AppConfigSchema.parse({}));
      expect(r.data.config).toMatchObject({ dataDir: './data', policy: 'group', digest: { time: '09:00', horizonDays: 10 }, sandbox: { port: 8790, asOf: '2022-11-21' } });
      expect(r.data.config.dingtalk).toBeUndefined();
    }
  });

  it('lets environment variables override the file', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ policy: 'liaisons', digest: { time: '08:30' } }));
    const r = await loadConfig({ ZWGK_DIGEST_TIME: '10:15', ZWGK_SANDBOX_PORT: '9900' }, cwd);
    expect(r.success && r.data.config).toMatchObject({ policy: 'liaisons', digest: { time: '10:15' }, sandbox: { port: 9900 } });
  });

  it('validates the DingTalk section with the adapter’s own schema, defaults included', async () => {
    const r = await loadConfig({ DINGTALK_CLIENT_ID: 'id', DINGTALK_CLIENT_SECRET: 'secret', DINGTALK_ROBOT_CODE: 'robot' }, dir());
    expect(r.success && r.data.config.dingtalk).toEqual(DingTalkSettingsSchema.parse({ clientId: 'id', clientSecret: 'secret', robotCode: 'robot' }));
    expect(r.success && r.data.config.dingtalk?.apiBase).toBe('https://api.dingtalk.com');
  });

  it('takes the DingTalk card template id from DINGTALK_CARD_TEMPLATE_ID, and has none by default', async () => {
    const base = { DINGTALK_CLIENT_ID: 'id', DINGTALK_CLIENT_SECRET: 'secret', DINGTALK_ROBOT_CODE: 'robot' };
    const withCards = await loadConfig({ ...base, DINGTALK_CARD_TEMPLATE_ID: 'tpl-1.schema' }, dir());
    expect(withCards.success && withCards.data.config.dingtalk?.cards).toEqual({ templateId: 'tpl-1.schema' });
    const without = await loadConfig(base, dir());
    expect(without.success && without.data.config.dingtalk?.cards).toBeUndefined();
  });

  it('takes the adapters’ tuning settings from the file', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ dingtalk: { clientId: 'id', clientSecret: 's', robotCode: 'r', rate: { perGroupPerMinute: 1000 } } }));
    const r = await loadConfig({}, cwd);
    expect(r.success && r.data.config.dingtalk?.rate).toEqual({ perGroupPerMinute: 1000, perAppPerSecond: 20 });
  });

  it('reads Slack tokens from the environment and checks their kind with the adapter’s rules', async () => {
    const ok = await loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, dir());
    expect(ok.success && ok.data.config.slack).toEqual(SlackSettingsSchema.parse({ botToken: 'xoxb-1', appToken: 'xapp-1' }));
    expect(await error({ SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xoxb-1' })).toContain('slack.botToken (from SLACK_BOT_TOKEN): expected the bot token, starting with xoxb-');
  });

  it('names the field, its source and what was expected for a bad value', async () => {
    expect(await error({ ZWGK_SANDBOX_PORT: 'eighty' })).toMatch(/sandbox\.port \(from ZWGK_SANDBOX_PORT\): .*number.*, got "eighty"/);
  });

  it('names the missing variable when only some DingTalk credentials are set', async () => {
    const text = await error({ DINGTALK_CLIENT_ID: 'id' });
    expect(text).toContain('dingtalk.clientSecret: missing — expected a non-empty string (the app’s Client Secret / AppSecret); set DINGTALK_CLIENT_SECRET or "dingtalk.clientSecret" in zwgk.config.json');
    expect(text).toContain('dingtalk.robotCode: missing');
    expect(text).toContain('DINGTALK_ROBOT_CODE');
  });

  it('names the missing Slack token when only one is set', async () => {
    expect(await error({ SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('slack.appToken: missing — expected the app-level token, a string starting with xapp-; set SLACK_APP_TOKEN');
  });

  it('suggests the key meant for an unknown one and lists the allowed keys', async () => {
    expect(await error({}, { polcy: 'group' })).toContain('unknown key "polcy" — did you mean "policy"? (allowed: plan, dataDir, database, health, policy, groups, assignments, units, issued, statutory, digest, evidence, office, templatesDir, logLevel, sandbox, dingtalk, slack)');
    expect(await error({}, { digest: { horizon: 5 } })).toContain('digest: unknown key "horizon" — did you mean "horizonDays"?');
  });

  it('lists the allowed values of a choice', async () => {
    expect(await error({ ZWGK_POLICY: 'everyone' })).toContain('policy (from ZWGK_POLICY): expected one of "group", "liaisons", got "everyone"');
    expect(await error({}, { digest: { day: 'monday' } })).toContain('digest.day: expected "first-working-day" or a weekday 1 (Monday) … 7 (Sunday), got "monday"');
    expect(await error({ ZWGK_LOG_LEVEL: 'verbose' })).toContain('expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent"');
  });

  it('refuses dates that do not exist instead of rolling them over', async () => {
    expect(await error({ ZWGK_SANDBOX_AS_OF: '2022-11-31' })).toContain('sandbox.asOf (from ZWGK_SANDBOX_AS_OF): 2022-11-31 is not a real calendar date');
    expect(await error({}, { sandbox: { asOf: '2022-02-30' } })).toMatch(/^ {2}- sandbox\.asOf: 2022-02-30 is not a real calendar date$/m);
  });

  it('takes the issuing office and refuses one without a name', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ office: { name: '沁源县人民政府办公室', shortName: '县政府办' } }));
    const loaded = await loadConfig({}, cwd);
    expect(loaded.success && loaded.data.config.office).toEqual({ name: '沁源县人民政府办公室', shortName: '县政府办' });
    expect(await error({}, { office: { shortName: '县政府办' } })).toMatch(/office\.name/);
  });

  it('accepts an editor’s $schema reference', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ $schema: './apps/zwgk/zwgk.config.schema.json', policy: 'liaisons' }));
    expect((await loadConfig({}, cwd)).success).toBe(true);
  });

  it('rejects bad JSON and a named file that does not exist, and ignores an empty ZWGK_CONFIG', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), '{ "policy": ');
    const bad = await loadConfig({}, cwd);
    expect(!bad.success && bad.error).toContain('not valid JSON');
    const missing = await loadConfig({ ZWGK_CONFIG: 'elsewhere.json' }, cwd);
    expect(!missing.success && missing.error).toContain('cannot read config file');
    expect((await loadConfig({ ZWGK_CONFIG: '' }, dir())).success).toBe(true);
  });
});

describe('configJsonSchema', () => {
  it('is the checked-in zwgk.config.schema.json (run `npm run schema -w zwgk` after changing a setting)', async () => {
    const file = readFileSync(new URL('../zwgk.config.schema.json', import.meta.url), 'utf8');
    expect(JSON.parse(file)).toEqual(await configJsonSchema());
  });

  it('describes the app’s settings and the adapters’ sections with their defaults', async () => {
    const schema = (await configJsonSchema()) as { properties: Record<string, { properties?: Record<string, { default?: unknown; enum?: unknown[] }>; enum?: unknown[]; default?: unknown }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.policy).toMatchObject({ enum: ['group', 'liaisons'], default: 'group' });
    expect(schema.properties.dingtalk?.properties?.rate?.default).toEqual({ perGroupPerMinute: 20, perAppPerSecond: 20 });
    expect(schema.properties.slack?.properties?.botToken).toBeDefined();
    expect(schema.properties.dingtalk?.properties?.fetch).toBeUndefined();
  });
});
