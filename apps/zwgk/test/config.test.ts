import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'zwgk-config-'));

describe('loadConfig', () => {
  it('gives the defaults when there is no file and no environment', () => {
    const r = loadConfig({}, dir());
    expect(r.success).toBe(true);
    if (r.success) {
      expect(r.data.file).toBeNull();
      expect(r.data.config).toMatchObject({ dataDir: './data', policy: 'group', digest: { time: '09:00', horizonDays: 10 }, sandbox: { port: 8790 } });
      expect(r.data.config.dingtalk).toBeUndefined();
    }
  });

  it('lets environment variables override the file', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ policy: 'liaisons', digest: { time: '08:30' } }));
    const r = loadConfig({ ZWGK_DIGEST_TIME: '10:15', ZWGK_SANDBOX_PORT: '9900' }, cwd);
    expect(r.success && r.data.config).toMatchObject({ policy: 'liaisons', digest: { time: '10:15' }, sandbox: { port: 9900 } });
  });

  it('reads DingTalk credentials from the environment', () => {
    const r = loadConfig({ DINGTALK_CLIENT_ID: 'id', DINGTALK_CLIENT_SECRET: 'secret', DINGTALK_ROBOT_CODE: 'robot' }, dir());
    expect(r.success && r.data.config.dingtalk).toEqual({ clientId: 'id', clientSecret: 'secret', robotCode: 'robot' });
  });

  it('reads Slack tokens from the environment and checks their kind', () => {
    const ok = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, dir());
    expect(ok.success && ok.data.config.slack).toEqual({ botToken: 'xoxb-1', appToken: 'xapp-1' });
    const swapped = loadConfig({ SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xoxb-1' }, dir());
    expect(!swapped.success && swapped.error).toMatch(/slack\.botToken \(from SLACK_BOT_TOKEN\): expected a bot token starting with xoxb-/);
  });

  it('names the field, its source and what was expected for a bad value', () => {
    const r = loadConfig({ ZWGK_SANDBOX_PORT: 'eighty' }, dir());
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toMatch(/sandbox\.port \(from ZWGK_SANDBOX_PORT\): .*number/);
  });

  it('names a missing credential when only some are set', () => {
    const r = loadConfig({ DINGTALK_CLIENT_ID: 'id' }, dir());
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toContain('dingtalk.clientSecret');
  });

  it('rejects unknown keys, bad JSON and a named file that does not exist', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ polcy: 'group' }));
    const unknown = loadConfig({}, cwd);
    expect(!unknown.success && unknown.error).toContain('polcy');

    writeFileSync(join(cwd, 'zwgk.config.json'), '{ "policy": ');
    const bad = loadConfig({}, cwd);
    expect(!bad.success && bad.error).toContain('not valid JSON');

    const missing = loadConfig({ ZWGK_CONFIG: 'elsewhere.json' }, cwd);
    expect(!missing.success && missing.error).toContain('cannot read config file');
  });
});
