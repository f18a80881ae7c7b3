import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'zwgk-refuse-'));

async function reportWith(content: unknown) {
  const cwd = workdir();
  writeFileSync(join(cwd, 'in.json'), JSON.stringify(content));
  return runCli(['report', '--records', 'in.json', '--format', 'md'], { cwd });
}

describe('zwgk report --records', () => {
  it('refuses a plan JSON, saying what it looks like', async () => {
    const plan = await runCli(['plan', '--json'], { cwd: workdir() });
    const r = await reportWith(JSON.parse(plan.stdout));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('zwgk report: in.json looks like a plan (county, year, tasks — what `zwgk plan --json` prints), not assessment records');
    expect(r.stderr).toContain('nothing written.');
  });

  it('refuses a file with a year and no records', async () => {
    const r = await reportWith({ year: 2022 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('zwgk report: in.json holds no records (only "year"): records name at least one of confirmations, briefings, highlights, carryover, deductions, rectifications, exemptions, even if empty');
  });

  it('refuses a report, a rubric, a configuration and a bare list of confirmations', async () => {
    expect((await reportWith({ year: 2022, asOf: '2022-12-31', units: [{ unit: '郭道镇', grade: '优秀' }], overdue: [] })).stderr).toContain(
      'looks like an assessment report (what `zwgk report --format json` writes)',
    );
    expect((await reportWith({ weights: { default: 1 } })).stderr).toContain('looks like a rubric, not assessment records: pass it with --rubric FILE');
    expect((await reportWith({ policy: 'group' })).stderr).toContain('looks like a zwgk configuration file');
    expect((await reportWith([{ task: 4, unit: '郭道镇', due: '2022-11-30', at: '2022-11-20T10:00:00+08:00' }])).stderr).toContain(
      'looks like a bare list of confirmations, not assessment records: put it in {"year": 2022, "confirmations": [...]}',
    );
  });

  it('still accepts records whose lists are all empty', async () => {
    const r = await reportWith({ year: 2022, confirmations: [] });
    expect(r.code).toBe(0);
  });
});

describe('zwgk report without a database', () => {
  it('points at the sandbox’s database when that is the one that exists', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'data/sandbox'), { recursive: true });
    writeFileSync(join(cwd, 'data/sandbox/zwgk.sqlite'), '');
    const r = await runCli(['report', '--format', 'md'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no bot database at data/zwgk.sqlite.');
    expect(r.stderr).toContain('The sandbox (npm start, zwgk start --sandbox) wrote its own at data/sandbox/zwgk.sqlite: read it with ZWGK_DATA_DIR=data/sandbox.');
    expect(r.stderr).not.toContain('run the bot first (zwgk start)');
  });

  it('says where the live bot and the sandbox write when neither exists', async () => {
    const r = await runCli(['report', '--format', 'md'], { cwd: workdir() });
    expect(r.stderr).toContain('The live bot (zwgk start with DingTalk or Slack configured) writes it there; the sandbox writes <dataDir>/sandbox/ instead');
    expect(r.stderr).toContain('Or pass --records FILE.');
  });
});

describe('command-line mistakes', () => {
  it('suggests --as-of for --asof', async () => {
    const r = await runCli(['deadlines', '--asof', '2022-11-21'], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('zwgk deadlines: unknown option --asof — did you mean --as-of?');
  });

  it('says what is wrong with a negative or out-of-range horizon', async () => {
    const negative = await runCli(['deadlines', '--horizon', '-3', '--as-of', '2022-11-21'], { cwd: workdir() });
    expect(negative.code).toBe(1);
    expect(negative.stderr).toBe('zwgk deadlines: --horizon expects a whole number 1–60, got -3\n');
    expect((await runCli(['deadlines', '--horizon', 'soon'], { cwd: workdir() })).stderr).toBe('zwgk deadlines: --horizon expects a whole number (1–60), got "soon"\n');
  });

  it('refuses dates that do not exist in every --as-of', async () => {
    for (const command of ['deadlines', 'report', 'digest']) {
      const r = await runCli([command, '--as-of', '2022-11-31', ...(command === 'report' ? ['--format', 'md'] : []), ...(command === 'digest' ? ['--dry-run'] : [])], { cwd: workdir() });
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain('--as-of: 2022-11-31 is not a real calendar date');
    }
  });

  it('suggests the command meant for a misspelt one', async () => {
    const r = await runCli(['deadlnes'], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('zwgk: unknown command "deadlnes" — did you mean "deadlines"?');
  });

  it('takes the digest horizon from the configuration as the deadlines default', async () => {
    const r = await runCli(['deadlines', '--as-of', '2022-11-21', '--json'], { cwd: workdir(), env: { ZWGK_DIGEST_HORIZON: '3' } });
    expect(JSON.parse(r.stdout).horizonDays).toBe(3);
  });
});
