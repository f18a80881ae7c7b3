import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { openTenantRegistry } from '@zwgk/bot';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, POSTGRES } from './postgres.js';
import { runCli } from './run-cli.js';

const WUXIANG = [
  '武乡县2022年政务公开工作要点任务分解表',
  '| 序号 | 任务名称 | 任务内容 | 责任单位 | 完成时限 |',
  '| 1 | 政策解读 | 做好政策解读。 | 县政府办牵头，各乡镇落实 | 9月底前 |',
  '| 2 | 数据开放 | 推进数据开放。 | 县财政局 | 11月底前 |',
].join('\n');

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zwgk-tenants-cli-'));
  writeFileSync(join(dir, 'wuxiang.txt'), WUXIANG);
  return dir;
}

type Env = Record<string, string>;

/** The tenant commands, run once on SQLite and once on PostgreSQL. */
function tenantSuite(envOf: () => Env, sqlite: boolean) {
  it('imports a county’s table as a tenant, lists and shows it, and refuses an unknown tenant', async () => {
    const cwd = workdir();
    const env = envOf();
    const imported = await runCli(['plan', 'import', 'wuxiang.txt', '--tenant', 'wuxiang'], { cwd, env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/已创建租户 wuxiang：武乡县2022年（2 项任务/);
    const again = await runCli(['plan', 'import', 'wuxiang.txt', '--tenant=wuxiang', '--json'], { cwd, env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ county: '武乡县' });
    expect(again.stderr).toMatch(/已更新租户 wuxiang/);

    const listed = await runCli(['tenant', 'list'], { cwd, env });
    expect(listed.stdout).toMatch(/^wuxiang\t武乡县\t2022\t2 项任务\t0 个群$/m);
    const shown = await runCli(['plan', '--tenant', 'wuxiang', '--json'], { cwd, env });
    expect(JSON.parse(shown.stdout).tasks.map((t: { name: string }) => t.name)).toEqual(['政策解读', '数据开放']);
    // Without --tenant: the configured plan of the default county, unchanged.
    expect(JSON.parse((await runCli(['plan', '--json'], { cwd, env })).stdout).county).toBe('沁源县');

    const unknown = await runCli(['bind', '--list', '--tenant', 'nowhere'], { cwd, env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no tenant "nowhere"; the tenants are wuxiang/);
    const refused = await runCli(['units', 'list', '--tenant', 'wuxiang'], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--tenant does not apply to zwgk units');
    expect((await runCli(['plan', 'issued', '2022-03-01', '--tenant', 'wuxiang'], { cwd, env })).stderr).toContain('plan issued edits the configuration of the default county');
    if (sqlite) expect(existsSync(join(cwd, 'data', 'tenants', 'wuxiang'))).toBe(false);
  });

  it('binds groups in a tenant, moves a group between tenants, and keeps each tenant’s records apart', async () => {
    const cwd = workdir();
    const env = envOf();
    expect((await runCli(['plan', 'import', 'wuxiang.txt', '--tenant', 'wuxiang'], { cwd, env })).code).toBe(0);
    const added = await runCli(['tenant', 'add', 'qinyuan', '--bundled', 'qinyuan-2022', '--policy', 'liaisons', '--review'], { cwd, env });
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/已创建租户 qinyuan：沁源县2022年/);
    if (sqlite) expect(existsSync(join(cwd, 'data', 'tenants', 'qinyuan', 'zwgk.sqlite'))).toBe(true);

    expect((await runCli(['bind', '县财政局', '--conversation', 'cid-w', '--tenant', 'wuxiang'], { cwd, env })).code).toBe(0);
    expect((await runCli(['bind', '郭道镇', '--conversation', 'cid-q', '--tenant', 'qinyuan'], { cwd, env })).code).toBe(0);
    expect((await runCli(['admin', 'add', '--user', 'm1', '--name', '李主任', '--tenant', 'wuxiang'], { cwd, env })).code).toBe(0);
    // 郭道镇 is not in 武乡县's directory: the tenant's own directory is used.
    const wrong = await runCli(['bind', '郭道镇', '--conversation', 'cid-x', '--tenant', 'wuxiang'], { cwd, env });
    expect(wrong.code).toBe(1);

    expect((await runCli(['bind', '--list', '--tenant', 'wuxiang'], { cwd, env })).stdout).toBe('县财政局\tdingtalk\tcid-w\t\n');
    expect((await runCli(['bind', '--list', '--tenant', 'qinyuan'], { cwd, env })).stdout).toBe('郭道镇\tdingtalk\tcid-q\t\n');
    expect((await runCli(['bind', '--list'], { cwd, env })).stdout).toBe('还没有绑定任何群。\n');
    expect((await runCli(['admin', 'list', '--tenant', 'wuxiang'], { cwd, env })).stdout).toContain('李主任');
    expect((await runCli(['admin', 'list', '--tenant', 'qinyuan'], { cwd, env })).stdout).toBe('还没有管理员。\n');

    // A group belongs to one tenant: binding it in another takes it out of the first.
    expect((await runCli(['bind', '沁河镇', '--conversation', 'cid-w', '--tenant', 'qinyuan'], { cwd, env })).code).toBe(0);
    expect((await runCli(['bind', '--list', '--tenant', 'wuxiang'], { cwd, env })).stdout).toBe('还没有绑定任何群。\n');
    const show = await runCli(['tenant', 'show', 'qinyuan'], { cwd, env });
    expect(show.stdout).toContain('dingtalk:cid-q、dingtalk:cid-w');
    expect(show.stdout).toContain('确认：liaisons');
    expect(show.stdout).toContain('复核：需要');

    // Back to the default county, and removal of the tenant: its groups go back to the default.
    expect((await runCli(['bind', '--remove', '--conversation', 'cid-w', '--tenant', 'qinyuan'], { cwd, env })).code).toBe(0);
    expect((await runCli(['tenant', 'list'], { cwd, env })).stdout).toMatch(/^qinyuan\t沁源县\t2022\t34 项任务\t1 个群$/m);
    const removed = await runCli(['tenant', 'remove', 'qinyuan'], { cwd, env });
    expect(removed.stdout).toMatch(/已移除租户 qinyuan.*记录仍在/);
    expect((await runCli(['tenant', 'list'], { cwd, env })).stdout).not.toContain('qinyuan');
    expect((await runCli(['tenant', 'remove', 'qinyuan'], { cwd, env })).code).toBe(1);
  });

  it('writes the roll-up report across tenants in md, html and xlsx, and one tenant’s report from its own records', async () => {
    const cwd = workdir();
    const env = envOf();
    const none = await runCli(['report', '--rollup', '--format', 'md'], { cwd, env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no tenants to roll up');
    expect((await runCli(['plan', 'import', 'wuxiang.txt', '--tenant', 'wuxiang'], { cwd, env })).code).toBe(0);
    expect((await runCli(['tenant', 'add', 'qinyuan', '--bundled', 'qinyuan-2022'], { cwd, env })).code).toBe(0);
    // 武乡县's 县财政局 confirms its one task on time.
    const registry = await openTenantRegistry(env.DATABASE_URL ? { url: env.DATABASE_URL } : { filename: join(cwd, 'data', 'zwgk.sqlite') });
    const store = await registry.openStore('wuxiang');
    await store.confirmations.add(
      { year: 2022, unit: '县财政局', task: 2, due: '2022-11-30', at: new Date('2022-11-10T02:00:00Z'), platform: 'dingtalk', conversationId: 'c', senderId: 'u', senderName: '张三' },
      { actor: { platform: 'cli', id: 'test' } },
    );
    await store.close();
    await registry.close();

    const md = await runCli(['report', '--rollup', '--as-of', '2022-12-31', '--format', 'md'], { cwd, env });
    expect(md.stderr).toBe('');
    expect(md.stdout).toContain('# 各县政务公开工作汇总（预估）');
    expect(md.stdout).toMatch(/\| 武乡县 \| wuxiang \| 2022 \| 1 \| \d+ \|/);
    expect(md.stdout).toMatch(/\| 沁源县 \| qinyuan \| 2022 \| 0 \| \d+ \|/);
    const html = await runCli(['report', '--rollup', '--as-of', '2022-12-31', '--format', 'html', '--out', 'rollup.html'], { cwd, env });
    expect(html.stdout).toBe('wrote rollup.html (html: 2 counties as of 2022-12-31)\n');
    expect(readFileSync(join(cwd, 'rollup.html'), 'utf8')).toContain('<td class="name">武乡县</td>');
    expect((await runCli(['report', '--rollup', '--format', 'xlsx', '--out', 'rollup.xlsx'], { cwd, env })).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(cwd, 'rollup.xlsx'));
    const sheet = wb.getWorksheet('各县汇总')!;
    expect(sheet.getRow(3).values).toContain('完成率');
    expect([sheet.getRow(4).getCell(1).value, sheet.getRow(5).getCell(1).value]).toEqual(['沁源县', '武乡县']);
    expect((await runCli(['report', '--rollup', '--format', 'csv'], { cwd, env })).stderr).toContain('--rollup writes md, html or xlsx');

    // One tenant's report reads its own records.
    const one = await runCli(['report', '--tenant', 'wuxiang', '--as-of', '2022-12-31', '--format', 'json'], { cwd, env });
    expect(one.stderr).toBe('');
    const units = JSON.parse(one.stdout).units as Array<{ unit: string }>;
    expect(units.map((u) => u.unit).sort()).toEqual(['县政府办', '县财政局'].sort());
  });

  it('brings a county’s own SQLite records into its tenant with db copy --tenant', async () => {
    const own = workdir();
    expect((await runCli(['bind', '郭道镇', '--conversation', 'cid-own', '--title', '郭道镇群'], { cwd: own })).code).toBe(0);
    const cwd = workdir();
    const env = envOf();
    expect((await runCli(['tenant', 'add', 'qinyuan', '--bundled', 'qinyuan-2022'], { cwd, env })).code).toBe(0);
    const copied = await runCli(['db', 'copy', '--from', join(own, 'data', 'zwgk.sqlite'), '--tenant', 'qinyuan'], { cwd, env });
    expect(copied.stderr).toBe('');
    expect(copied.stdout).toMatch(sqlite ? /tenants\/qinyuan\/zwgk\.sqlite\n$/ : /schema tenant_qinyuan\n$/);
    expect((await runCli(['bind', '--list', '--tenant', 'qinyuan'], { cwd, env })).stdout).toBe('郭道镇\tdingtalk\tcid-own\t郭道镇群\n');
    expect((await runCli(['bind', '--list'], { cwd, env })).stdout).toBe('还没有绑定任何群。\n');
    // Its groups now belong to the tenant: messages from them are routed there.
    expect((await runCli(['tenant', 'show', 'qinyuan'], { cwd, env })).stdout).toContain('群：dingtalk:cid-own');
  });

  it('keeps roll-up groups and refuses to bind one as a county’s group', async () => {
    const cwd = workdir();
    const env = envOf();
    expect((await runCli(['plan', 'import', 'wuxiang.txt', '--tenant', 'wuxiang'], { cwd, env })).code).toBe(0);
    expect((await runCli(['rollup', 'add', 'city', '--scope', 'wuxiang,nope'], { cwd, env })).stderr).toContain('no tenant "nope"');
    expect((await runCli(['rollup', 'add', 'city', '--scope', 'all', '--title', '市政府办'], { cwd, env })).code).toBe(0);
    expect((await runCli(['rollup', 'list'], { cwd, env })).stdout).toBe('dingtalk\tcity\t全部\t市政府办\t（没有管理员：无人可查看）\n');
    const bound = await runCli(['bind', '县财政局', '--conversation', 'city', '--tenant', 'wuxiang'], { cwd, env });
    expect(bound.code).toBe(1);
    expect(bound.stderr).toContain('roll-up group');
    expect((await runCli(['rollup', 'remove', 'city'], { cwd, env })).code).toBe(0);
    expect((await runCli(['rollup', 'list'], { cwd, env })).stdout).toBe('还没有汇总群。\n');
  });

  it('keeps who may read a roll-up group: --admin on add, rollup admin add and remove', async () => {
    const cwd = workdir();
    const env = envOf();
    expect((await runCli(['plan', 'import', 'wuxiang.txt', '--tenant', 'wuxiang'], { cwd, env })).code).toBe(0);
    const noGroup = await runCli(['rollup', 'admin', 'add', 'city', '--user', 'boss'], { cwd, env });
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr).toContain('city is no roll-up group');
    const added = await runCli(['rollup', 'add', 'city', '--scope', 'all', '--admin', 'boss,deputy'], { cwd, env });
    expect(added.stdout).toBe('city 是汇总群：全部租户；管理员 boss,deputy\n');
    expect((await runCli(['rollup', 'admin', 'add', 'city', '--user', 'clerk', '--name', '王科长'], { cwd, env })).stdout).toBe('clerk 可以查看汇总群 city\n');
    expect((await runCli(['rollup', 'admin', 'remove', 'city', '--user', 'deputy'], { cwd, env })).code).toBe(0);
    expect((await runCli(['rollup', 'admin', 'remove', 'city', '--user', 'deputy'], { cwd, env })).code).toBe(1);
    expect((await runCli(['rollup', 'admin', 'add', 'city'], { cwd, env })).stderr).toContain('--user USER is required');
    // A new scope without --admin keeps them.
    expect((await runCli(['rollup', 'add', 'city', '--scope', 'wuxiang'], { cwd, env })).code).toBe(0);
    expect((await runCli(['rollup', 'list'], { cwd, env })).stdout).toBe('dingtalk\tcity\twuxiang\t\tboss,clerk(王科长)\n');
  });
}

describe('zwgk tenant on SQLite', () => {
  tenantSuite(() => ({}), true);

  it('leaves a single-county deployment without a registry', async () => {
    const cwd = workdir();
    expect((await runCli(['bind', '郭道镇', '--conversation', 'cid-1'], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, 'data', 'zwgk.sqlite'))).toBe(true);
    expect(existsSync(join(cwd, 'data', 'tenants.sqlite'))).toBe(false);
  });
});

describe.runIf(POSTGRES)('zwgk tenant on PostgreSQL', () => {
  const dbs: Array<{ url: string; drop: () => Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  }, 60_000);
  // Each test on a fresh database: the registry's tables live in it.
  let current: Env = {};
  const fresh = async () => {
    const d = await createTestDatabase();
    dbs.push(d);
    current = { DATABASE_URL: d.url };
  };
  beforeEach(fresh);
  tenantSuite(() => current, false);
  it('opens each tenant in its own schema', async () => {
    const cwd = workdir();
    expect((await runCli(['plan', 'import', 'wuxiang.txt', '--tenant', 'wuxiang'], { cwd, env: current })).code).toBe(0);
    const migrated = await runCli(['db', 'migrate'], { cwd, env: current });
    expect(migrated.stdout).toMatch(/schema up to date\n.*schema tenant_wuxiang: schema up to date \(武乡县 2022\)/);
    expect(migrated.stdout).not.toContain('postgres:postgres@');
  });
});
