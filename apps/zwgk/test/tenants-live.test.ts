/*
 * `zwgk start` as a real process on SQLite, started with no tenant at all: a county added and bound with the
 * CLI (another process) while it runs is served without a restart, shows in /metrics with its own label and
 * in /readyz, and once removed its group is the default county's again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTenantRegistry } from '@zwgk/bot';
import { SANDBOX_APP, startEmulator, type ChatMessage, type Emulator } from '@zwgk/dingtalk-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startInstance, type Instance } from './instances.js';
import { runCli } from './run-cli.js';

const bodyOf = (m: ChatMessage) => (m.markdown ?? m.actionCard)?.text ?? m.text ?? '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('zwgk start on SQLite with a county added while it runs', () => {
  let emulator: Emulator;
  let instance: Instance;
  let health = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'zwgk-tenants-live-'));
  const cli = { cwd: dataDir, env: { ZWGK_DATA_DIR: dataDir, ZWGK_LOG_LEVEL: 'silent' } };

  async function say(conversationId: string, staffId: string, text: string): Promise<string> {
    const next = emulator.nextMessage((m) => m.from === 'bot' && m.conversationId === conversationId, 20_000);
    emulator.postMessage(conversationId, { senderStaffId: staffId, text });
    return bodyOf(await next);
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const port = await freePort();
    health = `http://127.0.0.1:${port}`;
    instance = await startInstance('tenants-live', {
      env: {
        ZWGK_DATA_DIR: dataDir,
        ZWGK_HEALTH_PORT: String(port),
        ZWGK_DIGEST_ENABLED: 'false',
        DINGTALK_CLIENT_ID: SANDBOX_APP.clientId,
        DINGTALK_CLIENT_SECRET: SANDBOX_APP.clientSecret,
        DINGTALK_ROBOT_CODE: SANDBOX_APP.robotCode,
        DINGTALK_API_BASE: emulator.url,
      },
      config: { logLevel: 'warn', digest: { tickMs: 300 }, dingtalk: { reconnect: { heartbeatMs: 0 } } },
    });
  }, 90_000);

  afterAll(async () => {
    if (instance) await killAll([instance]);
    await emulator?.close();
  }, 30_000);

  it('serves a county added and bound by the CLI without a restart, in metrics and readiness too, and lets it go when removed', async () => {
    const metrics = async () => (await fetch(`${health}/metrics`)).text();
    expect(await metrics()).toContain('zwgk_tenant_up{tenant="default"} 1\n');
    expect(await metrics()).not.toContain('tenant="anze"');

    writeFileSync(join(dataDir, 'anze.txt'), ['安泽县2022年政务公开工作要点任务分解表', '| 序号 | 任务名称 | 任务内容 | 责任单位 | 完成时限 |', '| 1 | 政策解读 | 做好政策解读。 | 县政府办牵头，各乡镇落实 | 9月底前 |', '| 2 | 数据开放 | 推进数据开放。 | 县财政局 | 11月底前 |'].join('\n'));
    const imported = await runCli(['plan', 'import', 'anze.txt', '--tenant', 'anze', '--county', '安泽县', '--year', '2022'], cli);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const group = emulator.createGroup({ title: '安泽·县财政局群', members: [{ staffId: 'anze-liaison', nick: '联络员' }] }).conversationId;
    expect((await runCli(['bind', '县财政局', '--conversation', group, '--tenant', 'anze'], cli)).code).toBe(0);

    expect(await say(group, 'anze-liaison', '确认 2')).toContain('确认回执');
    const registry = await openTenantRegistry({ filename: join(dataDir, 'zwgk.sqlite') });
    try {
      const store = await registry.openStore('anze');
      expect((await store.confirmations.list({ year: 2022 })).map((c) => [c.unit, c.task])).toEqual([['县财政局', 2]]);
      await store.close();
    } finally {
      await registry.close();
    }
    await until(async () => (await metrics()).includes('zwgk_tenant_up{tenant="anze"} 1\n'), 10_000, 'anze in /metrics');
    const text = await metrics();
    expect(text).toContain('zwgk_messages_processed_total{tenant="anze"} 1\n');
    expect(text).toContain('zwgk_messages_processed_total{tenant="default"} 0\n');
    expect((await fetch(`${health}/readyz`)).status).toBe(200);

    expect((await runCli(['tenant', 'remove', 'anze'], cli)).code).toBe(0);
    await until(async () => !(await metrics()).includes('tenant="anze"'), 10_000, 'anze gone from /metrics');
    // Its group belongs to the default county again, where it is bound to nothing.
    expect(await say(group, 'anze-liaison', '确认 2')).not.toContain('确认回执');
  }, 120_000);
});
