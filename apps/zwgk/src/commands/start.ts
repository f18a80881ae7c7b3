import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DingTalkAuthError } from '@zwgk/dingtalk';
import { SlackAuthError } from '@zwgk/slack';
import { checkAssignments, shanghaiDate, type Plan } from '@zwgk/sdk';
import { parseCommandArgs, parseDateOption } from '../args.js';
import { AppConfigSchema, type Config } from '../config.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { startSandbox } from '../sandbox/sandbox.js';
import { openBotService } from '../service/bot-service.js';
import { openTenantService } from '../service/tenant-service.js';
import { startHealthServer, type HealthServer } from '../service/health.js';
import { simulatedClock } from '../service/clock.js';
import { writeSimulatedMoment } from '../service/simulated-date.js';
import { createLogger } from '../service/logger.js';
import { platformAdapters } from '../service/platforms.js';
import { createTerminalAdapter, terminalGroup } from '../service/terminal-adapter.js';
import { planFor } from '../service/plan.js';
import { cliContext, configOrExit, unitOrFail } from './shared.js';

const NO_PLATFORM = [
  'no chat platform is configured, so there is nothing to run on:',
  '  DingTalk: set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_ROBOT_CODE (docs/dingtalk.md)',
  '  Slack:    set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (docs/slack.md)',
  'To try the bot without them: zwgk start --sandbox (npm start) or zwgk start --terminal',
].join('\n');

// Defaults are stated once, in the configuration schema.
const defaults = AppConfigSchema.parse({});

const usage = `Usage: zwgk start [--sandbox | --terminal] [--as-of YYYY-MM-DD] [--port N] [--unit NAME] [--as NAME]

Runs the bot with its weekly digest scheduler.
  - With DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_ROBOT_CODE set: on DingTalk;
    with SLACK_BOT_TOKEN and SLACK_APP_TOKEN set: on Slack (both at once works too).
    Without either it refuses to start (exit 2), naming what is missing.
  - With --sandbox (what \`npm start\` runs): the sandbox, a DingTalk emulator on 127.0.0.1 with a group
    per unit, at a simulated date of the plan year; open the printed address in a browser. Its logs go to
    <dataDir>/sandbox/zwgk.log (errors also to the terminal).
  - With --terminal: chat with the bot in this terminal (like the sandbox, a fresh database each time).

  --as-of DATE   simulated date for the sandbox and the terminal, a day of the plan year
                 (default sandbox.asOf, ${defaults.sandbox.asOf})
  --port N       sandbox port (default sandbox.port, ${defaults.sandbox.port}, or ZWGK_SANDBOX_PORT)
  --unit NAME    terminal: the unit whose group you type in (default 郭道镇)
  --as NAME      terminal: your name in the chat (default 联络员)`;

/** Tasks that reach no unit, said once at start-up (the service logs them too): nobody is reminded or scored for them. */
function unassignedWarning(plan: Plan): string[] {
  const tasks = checkAssignments(plan).unassigned;
  if (!tasks.length) return [];
  return [`  注意：${tasks.map((n) => `任务${n}`).join('、')} 没有任何责任单位，无人被提醒、无人计分。运行 zwgk plan check 查看并指定。`];
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM) or `stop` is called. */
function untilStopped(): { done: Promise<void>; stop: () => void } {
  let stop!: () => void;
  const done = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    done: done.finally(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }),
    stop,
  };
}

async function runSandbox(config: Config, io: CliIo, asOf: string, port: number | undefined): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  // The banner is for a person to read: log lines go to a file beside the sandbox's database instead of
  // between its lines (errors still reach the terminal).
  const logFile = join(resolve(cwd, config.dataDir), 'sandbox', 'zwgk.log');
  const logger = createLogger(config, { file: logFile });
  const sandbox = await startSandbox({ config, cwd, logger, asOf, port: port ?? config.sandbox.port }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || /in use/.test(String(error.message))) {
        throw new UsageError(`port ${port ?? config.sandbox.port} is in use: set ZWGK_SANDBOX_PORT or pass --port to use another`);
      }
      throw error;
    },
  );
  const groups = sandbox.emulator.groups().length;
  const past = sandbox.history;
  io.stdout.write(
    [
      '',
      `zwgk 沙盒已启动：${sandbox.url}/`,
      `  钉钉模拟器上有 ${groups} 个群（每个单位一个，外加县政府办管理群），机器人通过 dingtalk-stream 连接。`,
      ...(past ? [`  演示历史：此前已确认 ${past.confirmations} 项（其中逾期完成 ${past.late} 项），${past.briefings} 个单位已听取汇报，${past.highlights} 个亮点已报送。`] : []),
      `  模拟日期 ${shanghaiDate(sandbox.clock())}；本周周报已发到各群。在网页上选一个群，以联络员身份发“确认 4”试试。`,
      `  日志写在 ${logFile}；同一数据库的考核表：ZWGK_DATA_DIR=${join(config.dataDir, 'sandbox')} npx zwgk report --format md`,
      ...unassignedWarning(sandbox.service.plan),
      '  Ctrl-C 退出。',
      '',
    ].join('\n'),
  );
  const { done } = untilStopped();
  await done;
  await sandbox.close();
  return 0;
}

async function runLive(config: Config, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const logger = createLogger(config);
  // Always behind the tenant router: with no tenant registered every group is the default county's, as in a
  // single-county deployment, and a county added while it runs (zwgk tenant add, plan import --tenant) is
  // served without a restart. On SQLite this creates an empty <dataDir>/tenants.sqlite.
  const service = await openTenantService(config, { cwd, adapters: (store) => platformAdapters(config, { logger, store }), logger });
  try {
    await service.router.start();
  } catch (error) {
    await service.close();
    if (error instanceof DingTalkAuthError) throw new UsageError(`DingTalk refused the credentials: ${error.message}`, 2);
    if (error instanceof SlackAuthError) throw new UsageError(`Slack refused the token: ${error.message}`, 2);
    throw error;
  }
  let running = true;
  let health: HealthServer | undefined;
  try {
    if (config.health.port !== undefined) {
      const { router, registry } = service;
      health = await startHealthServer({ tenants: () => router.status(), registry: () => registry.cacheStats, ready: () => running }, { port: config.health.port });
    }
  } catch (error) {
    await service.close();
    throw new UsageError(`the health port ${config.health.port} cannot be opened: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const platforms = [config.dingtalk ? `钉钉（${config.dingtalk.clientId}）` : '', config.slack ? 'Slack' : ''].filter(Boolean).join('、');
  const counties = service.tenants > 0 ? `，另有 ${service.tenants} 个县（zwgk tenant list）` : '';
  io.stdout.write(`zwgk 已连接${platforms}，${service.plan.county}${service.plan.year}年政务公开${counties}。Ctrl-C 退出。\n`);
  if (health) io.stdout.write(`健康检查：${health.url}/healthz、/readyz、/metrics\n`);
  for (const line of unassignedWarning(service.plan)) io.stdout.write(`${line}\n`);
  const { done } = untilStopped();
  await done;
  running = false;
  await health?.close();
  await service.close();
  return 0;
}

async function runTerminal(base: Config, io: CliIo, values: { unit?: string; as?: string }, asOf: string): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  // A try-out, like the sandbox: its own fresh database, at the sandbox's simulated date by default.
  const dataDir = join(resolve(cwd, base.dataDir), 'terminal');
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `zwgk.sqlite${suffix}`), { force: true });
  // Never the shared PostgreSQL database: a try-out writes demo data.
  const config: Config = { ...base, dataDir, dingtalk: undefined, database: { ...base.database, url: undefined } };
  const clock = simulatedClock(asOf);
  const { done, stop } = untilStopped();
  const session = { userId: 'terminal-user', userName: values.as ?? '联络员', conversationId: '' };
  const titles = new Map<string, string>();
  const adapter = createTerminalAdapter({
    input: io.stdin ?? process.stdin,
    output: io.stdout,
    session,
    titleOf: (id) => titles.get(id) ?? `${id.replace(/^terminal:/, '')}群`,
    onQuit: stop,
  });
  const service = await openBotService(config, { cwd, adapters: [adapter], clock });
  writeSimulatedMoment(dataDir, clock());
  try {
    const unit = unitOrFail(service.plan, values.unit ?? '郭道镇');
    const ctx = cliContext();
    session.conversationId = terminalGroup(unit);
    titles.set(terminalGroup(unit), `${unit}政务公开群`);
    titles.set(terminalGroup('admin'), '县政府办政务公开管理群');
    await service.store.groups.bindUnit({ platform: 'terminal', conversationId: terminalGroup(unit), unit, title: titles.get(terminalGroup(unit)) }, ctx);
    await service.store.groups.bindAdmin({ platform: 'terminal', conversationId: terminalGroup('admin'), title: titles.get(terminalGroup('admin')) }, ctx);
    await service.store.liaisons.add({ unit, platform: 'terminal', userId: session.userId, name: session.userName }, ctx);
    await service.store.admins.add({ platform: 'terminal', userId: session.userId, name: session.userName }, ctx);
    io.stdout.write(
      [
        `zwgk · ${service.plan.county}${service.plan.year}年政务公开 · 时间 ${shanghaiDate(clock())}`,
        `你是「${unit}」的${session.userName}，在「${titles.get(session.conversationId)}」发言。试试：本周、进度、确认 4、帮助。`,
        '输入 /admin 切到管理群，/group 单位名 切换单位群，/quit 退出。',
        '',
      ].join('\n'),
    );
    await service.bot.start();
    await done;
  } finally {
    stop();
    await service.close();
  }
  return 0;
}

export const startCommand: Command = {
  name: 'start',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        sandbox: { type: 'boolean' },
        terminal: { type: 'boolean' },
        port: { type: 'string' },
        unit: { type: 'string' },
        as: { type: 'string' },
        'as-of': { type: 'string' },
      },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    if (values.sandbox && values.terminal) throw new UsageError('choose one of --sandbox and --terminal');
    const { config } = await configOrExit(io);
    const flagged = parseDateOption(values['as-of'], '--as-of');
    if (!values.sandbox && !values.terminal) {
      if (flagged) throw new UsageError('--as-of only applies to the sandbox and the terminal (--sandbox, --terminal); the live bot runs on today’s date');
      if (!config.dingtalk && !config.slack) throw new UsageError(NO_PLATFORM, 2);
      return runLive(config, io);
    }
    const planned = planFor(config);
    if (!planned.success) throw new UsageError(planned.error, 2);
    const asOf = flagged ?? config.sandbox.asOf;
    const year = planned.data.year;
    if (!asOf.startsWith(`${year}-`)) {
      const from = flagged ? '--as-of' : 'sandbox.asOf';
      throw new UsageError(
        `${from} ${asOf} is not in the plan year ${year}${asOf < `${year}` ? ', when nothing is due yet' : ', when everything is already due'}: the ${values.terminal ? 'terminal' : 'sandbox'} simulates a day of the plan year; use --as-of ${year}-MM-DD`,
      );
    }
    if (values.terminal) return runTerminal(config, io, values, asOf);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      throw new UsageError(`--port expects a port number 0–65535, got "${values.port}"`);
    }
    return runSandbox(config, io, asOf, port);
  },
};
