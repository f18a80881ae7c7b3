import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppConfigSchema as ConfigSchema } from '../src/config.js';
import { startSandbox } from '../src/sandbox/sandbox.js';
import { openTenantService } from '../src/service/tenant-service.js';

describe('starting the bot with a task nobody is assigned to', () => {
  it('logs the task at start-up and the admin digest names it', async () => {
    // 县教育局 retired: task 13 (“双减”信息公开) reaches no unit any more.
    const config = ConfigSchema.parse({ units: [{ name: '县教育局', retired: true }] });
    const warnings: Array<{ obj: object; msg?: string }> = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg }) };
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-unassigned-'));
    const sandbox = await startSandbox({ config, cwd, asOf: '2022-11-21', port: 0, logger, history: false });
    try {
      expect(warnings).toContainEqual({ obj: { tasks: [13] }, msg: expect.stringContaining('without any assignee') });
      const admin = sandbox.emulator.groups().find((g) => g.title.includes('管理群'))!;
      const said = JSON.stringify(sandbox.emulator.messages(admin.conversationId));
      expect(said).toContain('没有责任单位的任务');
      expect(said).toContain('任务13');
    } finally {
      await sandbox.close();
    }
  });
});

describe('openTenantService with a task nobody is assigned to', () => {
  it('logs the task when the default county’s bot starts, as the single-county service did', async () => {
    const config = ConfigSchema.parse({ units: [{ name: '县教育局', retired: true }], digest: { enabled: false } });
    const warnings: Array<{ obj: object; msg?: string }> = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg }) };
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-unassigned-tenants-'));
    const service = await openTenantService(config, { cwd, adapters: () => [], logger });
    try {
      await service.router.start();
      expect(warnings).toContainEqual({ obj: { tasks: [13] }, msg: expect.stringContaining('without any assignee') });
    } finally {
      await service.close();
    }
  });
});
