import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, SANDBOX_APP, type Emulator } from '@zwgk/dingtalk-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('zwgk digest (sending)', () => {
  let emulator: Emulator;
  let env: Record<string, string>;
  const cwd = mkdtempSync(join(tmpdir(), 'zwgk-digest-send-'));

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    env = {
      DINGTALK_CLIENT_ID: SANDBOX_APP.clientId,
      DINGTALK_CLIENT_SECRET: SANDBOX_APP.clientSecret,
      DINGTALK_ROBOT_CODE: SANDBOX_APP.robotCode,
      DINGTALK_API_BASE: emulator.url,
      ZWGK_LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('sends each bound group its digest once a week and exits 0, without joining the chat stream', async () => {
    const group = emulator.createGroup({ title: '郭道镇政务公开工作群', members: [{ staffId: 'u1', nick: '王芳' }] });
    expect((await runCli(['bind', '郭道镇', '--conversation', group.conversationId], { cwd, env })).code).toBe(0);

    const first = await runCli(['digest', '--as-of', '2022-11-21'], { cwd, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2022-W47: 发送 1 份，失败 0 份');
    const again = await runCli(['digest', '--as-of', '2022-11-21'], { cwd, env });
    expect(again.stdout).toContain('发送 0 份');

    const bot = emulator.messages(group.conversationId).filter((m) => m.from === 'bot');
    expect(bot).toHaveLength(1);
    expect(emulator.connections()).toHaveLength(0);
  });
});
