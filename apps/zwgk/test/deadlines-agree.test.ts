import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, openStore, renderPlainText } from '@zwgk/bot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigSchema as ConfigSchema } from '../src/config.js';
import { demoCounty } from '../src/sandbox/demo-county.js';
import { seedDemoHistory } from '../src/sandbox/demo-history.js';
import { planFor } from '../src/service/plan.js';
import { runCli } from './run-cli.js';

const AS_OF = '2022-11-21';

interface Progress {
  done: number;
  total: number;
  percent: number;
  overdue: number;
  overdueTasks: number[];
  dueSoonTasks: number[];
}

/** The numbers of a 进度 reply in the text style: the summary line and the tasks under 【已逾期】 and 【即将到期】. */
function readProgress(text: string): Progress {
  const m = /已完成 (\d+)\/(\d+)（(\d+)%），逾期 (\d+) 项/.exec(text);
  if (!m) throw new Error(`no progress line in:\n${text}`);
  const section = (name: string) => {
    const body = text.split(`【${name}】`)[1]?.split('\n\n')[0] ?? '';
    return [...body.matchAll(/· 任务(\d+)/g)].map((x) => Number(x[1]));
  };
  return { done: +m[1]!, total: +m[2]!, percent: +m[3]!, overdue: +m[4]!, overdueTasks: section('已逾期'), dueSoonTasks: section('即将到期') };
}

describe('zwgk deadlines and the bot’s 进度 on the sandbox’s data', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'zwgk-agree-'));
  const config = ConfigSchema.parse({ dataDir: './data' });
  const planned = planFor(config);
  if (!planned.success) throw new Error(planned.error);
  const plan = planned.data;
  const county = demoCounty(plan);
  const file = join(cwd, 'data', 'zwgk.sqlite');
  const groupOf = (unit: string) => `sandbox-${unit}`;
  let cli: { units: Array<{ unit: string; progress: Omit<Progress, 'overdueTasks' | 'dueSoonTasks'>; overdue: Array<{ task: number }>; dueSoon: Array<{ task: number }>; done: unknown[] }> };

  beforeAll(async () => {
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ dataDir: './data' }));
    const store = await openStore({ filename: file });
    const ctx = { actor: { platform: 'cli', id: 'test', channel: 'system' } };
    const bound = [];
    for (const g of county.units) {
      await store.groups.bindUnit({ platform: 'dingtalk', conversationId: groupOf(g.unit!), unit: g.unit!, title: g.title }, ctx);
      bound.push({ ...g, conversationId: groupOf(g.unit!) });
    }
    await seedDemoHistory(store, plan, bound, AS_OF);
    // One exemption too, so both sides must leave it out of the count.
    await store.exemptions.add({ year: 2022, task: 10, unit: '郭道镇', due: null, reason: '辖区内无政务服务窗口' }, ctx);
    await store.close();
    const run = await runCli(['deadlines', '--as-of', AS_OF, '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    cli = JSON.parse(run.stdout);
  }, 120_000);

  afterAll(() => undefined);

  it('reads the confirmations from the bot’s database: done items count as done', () => {
    const done = cli.units.reduce((n, u) => n + u.progress.done, 0);
    expect(done).toBeGreaterThan(20);
    expect(cli.units.find((u) => u.unit === '郭道镇')?.overdue.map((r) => r.task)).not.toContain(10);
  });

  it('agrees with 进度 unit by unit', async () => {
    const store = await openStore({ filename: file });
    const bot = createBot({ plan, store, adapters: [], clock: () => new Date(`${AS_OF}T10:00:00+08:00`), digest: { enabled: false } });
    try {
      let n = 0;
      for (const unit of cli.units) {
        const result = await bot.handleMessage({
          platform: 'dingtalk',
          conversationId: groupOf(unit.unit),
          messageId: `m-${n++}`,
          senderId: 'someone',
          senderName: '联络员',
          text: '进度',
          mentions: [],
          isGroup: true,
        });
        const text = result.reply ? renderPlainText(result.reply) : '';
        const said = readProgress(text);
        expect({ unit: unit.unit, ...unit.progress, overdueTasks: unit.overdue.map((r) => r.task), dueSoonTasks: unit.dueSoon.map((r) => r.task) }).toEqual({
          unit: unit.unit,
          ...said,
        });
      }
      expect(n).toBe(county.units.length);
    } finally {
      await store.close();
    }
  }, 120_000);
});
