import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@zwgk/bot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'zwgk-oversight-cli-'));

describe('zwgk deduction', () => {
  it('adds, lists (as JSON too) and withdraws deductions, and refuses bad points and unknown units', async () => {
    const cwd = workdir();
    const added = await runCli(['deduction', 'add', '郭道镇', '2', '网站检查发现错链'], { cwd });
    expect(added).toMatchObject({ code: 0, stdout: '扣分 1：郭道镇 扣 2 分（网站检查发现错链）\n' });
    expect((await runCli(['deduction', 'add', '郭道镇', 'two', '错链'], { cwd })).code).toBe(1);
    expect((await runCli(['deduction', 'add', '郭到镇', '2', '错链'], { cwd })).stderr).toContain('郭道镇');
    const listed = await runCli(['deduction', 'list', '--json'], { cwd });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 1, unit: '郭道镇', points: 2, reason: '网站检查发现错链', removedAt: null }]);
    expect((await runCli(['deduction', 'remove', '1'], { cwd })).stdout).toContain('已撤销扣分 1');
    expect((await runCli(['deduction', 'remove', '1'], { cwd })).code).toBe(1);
    expect((await runCli(['deduction', 'list'], { cwd })).stdout).toBe('没有扣分记录。\n');
    expect((await runCli(['deduction', 'list', '--all'], { cwd })).stdout).toContain('（已撤销）');
  });
});

describe('zwgk rectification', () => {
  it('sets an item with a deadline as clerks write it, closes and verifies it, and the export scores it', async () => {
    const cwd = workdir();
    const added = await runCli(['rectification', 'add', '沁河镇', '政策解读缺失', '--due', '2022-12-15', '--json'], { cwd });
    expect(JSON.parse(added.stdout)).toMatchObject({ id: 1, unit: '沁河镇', item: '政策解读缺失', due: '2022-12-15', state: 'open' });
    expect((await runCli(['rectification', 'add', '沁河镇', '栏目', '--due', '尽快'], { cwd })).stderr).toContain('not a deadline');
    expect((await runCli(['rectification', 'verify', '9'], { cwd })).code).toBe(1);
    expect((await runCli(['rectification', 'close', '1', '--note', '已补'], { cwd })).stdout).toContain('已整改，待复查');
    expect((await runCli(['rectification', 'list', '--open'], { cwd })).stdout).toContain('1\t沁河镇\t政策解读缺失\t期限 2022-12-15\t已整改，待复查');
    expect((await runCli(['rectification', 'verify', '1'], { cwd })).stdout).toContain('复查通过');
    expect((await runCli(['rectification', 'list', '--open'], { cwd })).stdout).toBe('没有整改事项。\n');
    const records = JSON.parse((await runCli(['export'], { cwd })).stdout);
    expect(records.rectifications).toMatchObject([{ unit: '沁河镇', item: '政策解读缺失', due: '2022-12-15', state: 'verified' }]);
  });
});

describe('zwgk evidence check', () => {
  let server: Server;
  let base = '';
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      res.writeHead(req.url === '/ok' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<title>沁源县人民政府</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise((resolve) => server.close(resolve)));

  async function withLinks(cwd: string, links: string[]): Promise<void> {
    const store = await openStore({ filename: join(cwd, 'data', 'zwgk.sqlite') });
    const at = new Date('2022-11-21T02:00:00Z');
    await store.confirmations.add({ year: 2022, unit: '郭道镇', task: 22, due: '2022-11-30', at, platform: 'dingtalk', conversationId: 'g1', senderId: 'u1', senderName: '张三', evidence: links }, { actor: { platform: 'dingtalk', id: 'u1' }, at });
    await store.close();
  }

  it('checks the waiting links of the allow-list, lists the failing ones, and with --all checks again', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ evidence: { allowedHosts: ['127.0.0.1'], timeoutMs: 1000 } }));
    await withLinks(cwd, [`${base}/ok`, `${base}/gone`, 'https://outside.example.com/a']);
    const before = hits;
    const run = await runCli(['evidence', 'check', '--json'], { cwd });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ checked: 3, newlyFlagged: 2 });
    expect(out.flagged.map((f: { url: string; result: string }) => [f.url, f.result])).toEqual([
      [`${base}/gone`, 'http_error'],
      ['https://outside.example.com/a', 'host_not_allowed'],
    ]);
    expect(hits - before).toBe(2);
    expect((await runCli(['evidence', 'check', '--list'], { cwd })).stdout).toContain(`郭道镇\t任务22\t2022-11-30\thttp_error 404\t${base}/gone`);
    expect(JSON.parse((await runCli(['evidence', 'check', '--json'], { cwd })).stdout).checked).toBe(0);
    expect(JSON.parse((await runCli(['evidence', 'check', '--all', '--unit', '郭道镇', '--json'], { cwd })).stdout).checked).toBe(3);
  });

  it('fetches nothing without an allow-list', async () => {
    const cwd = workdir();
    await withLinks(cwd, [`${base}/ok`]);
    const before = hits;
    const run = await runCli(['evidence', 'check'], { cwd });
    expect(run.stdout).toContain('nothing was fetched');
    expect(hits).toBe(before);
  });
});
