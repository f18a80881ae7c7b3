import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'zwgk-start-'));

describe('zwgk start', () => {
  it('refuses to start without a chat platform instead of running the sandbox, and says how to try it', async () => {
    const r = await runCli(['start'], { cwd: workdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('zwgk start: no chat platform is configured, so there is nothing to run on:');
    expect(r.stderr).toContain('set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_ROBOT_CODE');
    expect(r.stderr).toContain('To try the bot without them: zwgk start --sandbox (npm start) or zwgk start --terminal');
    expect(r.stdout).toBe('');
  });

  it('fails at start naming the missing DingTalk variable when credentials are partly set', async () => {
    const r = await runCli(['start'], { cwd: workdir(), env: { DINGTALK_CLIENT_ID: 'ding123', DINGTALK_ROBOT_CODE: 'ding123' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dingtalk.clientSecret: missing');
    expect(r.stderr).toContain('set DINGTALK_CLIENT_SECRET');
    expect(r.stderr).not.toContain('dingtalk.robotCode');
  });

  it('fails at start naming the missing Slack token', async () => {
    const r = await runCli(['start'], { cwd: workdir(), env: { SLACK_APP_TOKEN: 'xapp-1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('slack.botToken: missing');
    expect(r.stderr).toContain('set SLACK_BOT_TOKEN');
  });

  it('refuses a sandbox date outside the plan year, from the flag or the configuration', async () => {
    const flag = await runCli(['start', '--sandbox', '--as-of', '2023-03-01'], { cwd: workdir() });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toBe(
      'zwgk start: --as-of 2023-03-01 is not in the plan year 2022, when everything is already due: the sandbox simulates a day of the plan year; use --as-of 2022-MM-DD\n',
    );
    const config = await runCli(['start', '--terminal'], { cwd: workdir(), env: { ZWGK_SANDBOX_AS_OF: '2021-12-01' } });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('sandbox.asOf 2021-12-01 is not in the plan year 2022, when nothing is due yet: the terminal simulates a day of the plan year');
  });

  it('refuses dates that do not exist', async () => {
    const r = await runCli(['start', '--sandbox', '--as-of', '2022-02-30'], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--as-of: 2022-02-30 is not a real calendar date');
  });

  it('refuses --as-of for the live bot', async () => {
    const r = await runCli(['start', '--as-of', '2022-11-21'], { cwd: workdir() });
    expect(r.stderr).toContain('--as-of only applies to the sandbox and the terminal');
  });
});
