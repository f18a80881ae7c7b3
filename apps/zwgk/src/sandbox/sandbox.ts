import { rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Logger } from '@zwgk/bot';
import { createDingTalkAdapter } from '@zwgk/dingtalk';
import { SANDBOX_APP, startEmulator, type Emulator } from '@zwgk/dingtalk-emulator';
import { shanghaiDate } from '@zwgk/sdk';
import type { Config } from '../config.js';
import { DAY_MS, weekdayOf } from '../dates.js';
import { openBotService, type BotService } from '../service/bot-service.js';
import { simulatedClock, type SimulatedClock } from '../service/clock.js';
import { writeSimulatedMoment } from '../service/simulated-date.js';
import { sandboxControlsHtml } from './controls.js';
import { demoCounty } from './demo-county.js';
import { seedDemoHistory, type DemoHistory } from './demo-history.js';

/**
 * The interactive card template the sandbox registers in the emulator and gives the adapter, so digests,
 * receipts, 催办 notices and the 复核 queue arrive as cards with buttons (variables `title`, `markdown`,
 * `buttons`, as the template docs/dingtalk.md describes).
 */
export const SANDBOX_CARD_TEMPLATE = 'zwgk-sandbox-card.schema';

/** A running sandbox: the emulator, the bot on it and the simulated clock. */
export interface Sandbox {
  url: string;
  emulator: Emulator;
  service: BotService;
  clock: SimulatedClock;
  /** What the sandbox recorded before `asOf`, or null when it started with no history. */
  history: DemoHistory | null;
  /** Moves the simulated clock on and sends any digest that then falls due. */
  advance(days: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startSandbox}; the app passes validated configuration. */
export interface SandboxOptions {
  config: Config;
  cwd: string;
  /** Simulated date the sandbox starts on (09:05 Shanghai time that day). */
  asOf: string;
  /** Loopback port (0 for any free one). */
  port: number;
  logger?: Logger;
  /** The wall clock the simulated clock follows (tests pass their own). */
  realNow?: () => number;
  /** Give the county a plausible past (confirmations, briefings, highlights) before `asOf` (default true). */
  history?: boolean;
}

function clockState(clock: SimulatedClock) {
  const now = clock();
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  return {
    now: now.toISOString(),
    date: shanghaiDate(now),
    weekday: weekdayOf(shanghai.toISOString().slice(0, 10)),
    time: shanghai.toISOString().slice(11, 16),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('body too large');
  }
  return body ? JSON.parse(body) : {};
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * Starts DingTalk on loopback, a group per unit with demo liaisons bound to it, and the bot on the
 * real `dingtalk-stream` client against it, at a simulated date of the plan year, with a plausible
 * history before that date. The sandbox's database (`<dataDir>/sandbox/`) starts afresh each time, so
 * each start shows the week's digests; its simulated date is kept beside it (`simulated-clock.json`) for
 * the commands that read it later.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = simulatedClock(options.asOf, options.realNow, '09:05');
  const dataDir = join(resolve(options.cwd, options.config.dataDir), 'sandbox');
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `zwgk.sqlite${suffix}`), { force: true });
  // Never the shared PostgreSQL database: a try-out writes demo data.
  const config: Config = { ...options.config, dataDir, dingtalk: undefined, database: { ...options.config.database, url: undefined } };

  let service: BotService | undefined;
  let history: DemoHistory | null = null;
  const advance = async (days: number) => {
    clock.advance(days * DAY_MS);
    writeSimulatedMoment(dataDir, clock());
    await service?.bot.runDueDigests(clock());
  };

  const emulator = await startEmulator({
    port: options.port,
    now: () => clock().getTime(),
    cardTemplates: [{ cardTemplateId: SANDBOX_CARD_TEMPLATE, name: '政务公开操作卡片（沙盒）' }],
    pageExtras: { title: 'zwgk 沙盒 · 钉钉模拟器', html: sandboxControlsHtml() },
    extraRoutes: async (req, res, url) => {
      if (url.pathname === '/_sandbox/state' && req.method === 'GET') {
        send(res, 200, clockState(clock));
        return true;
      }
      if (url.pathname === '/_sandbox/advance' && req.method === 'POST') {
        let days = 7;
        try {
          const body = (await readJson(req)) as { days?: unknown };
          if (body.days !== undefined) days = Number(body.days);
        } catch {
          send(res, 400, { error: 'expected a JSON body such as {"days":7}' });
          return true;
        }
        if (!Number.isInteger(days) || days < 1 || days > 366) {
          send(res, 400, { error: 'days must be a whole number from 1 to 366' });
          return true;
        }
        await advance(days);
        send(res, 200, clockState(clock));
        return true;
      }
      return false;
    },
  });

  try {
    const adapter = createDingTalkAdapter({
      clientId: SANDBOX_APP.clientId,
      clientSecret: SANDBOX_APP.clientSecret,
      robotCode: SANDBOX_APP.robotCode,
      apiBase: emulator.url,
      cards: { templateId: SANDBOX_CARD_TEMPLATE },
      clock,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    service = await openBotService(config, { cwd: options.cwd, adapters: [adapter], clock, logger: options.logger });
    const county = demoCounty(service.plan);
    const ctx = { actor: { platform: 'cli', id: 'sandbox', channel: 'system' } };
    const admin = emulator.createGroup({ title: county.admin.title, members: county.admin.members });
    await service.store.groups.bindAdmin({ platform: 'dingtalk', conversationId: admin.conversationId, title: admin.title }, ctx);
    for (const m of county.admin.members) await service.store.admins.add({ platform: 'dingtalk', userId: m.staffId, name: m.nick }, ctx);
    const bound = [];
    for (const g of county.units) {
      const group = emulator.createGroup({ title: g.title, members: g.members });
      await service.store.groups.bindUnit({ platform: 'dingtalk', conversationId: group.conversationId, unit: g.unit!, title: g.title }, ctx);
      await service.store.liaisons.add({ unit: g.unit!, platform: 'dingtalk', userId: g.liaison.staffId, name: g.liaison.nick }, ctx);
      bound.push({ ...g, conversationId: group.conversationId });
    }
    history = options.history === false ? null : await seedDemoHistory(service.store, service.plan, bound, options.asOf);
    writeSimulatedMoment(dataDir, clock());
    await service.bot.start();
  } catch (error) {
    await service?.close();
    await emulator.close();
    throw error;
  }

  const running = service;
  return {
    url: emulator.url,
    emulator,
    service: running,
    clock,
    history,
    advance,
    async close() {
      await running.close();
      await emulator.close();
    },
  };
}
