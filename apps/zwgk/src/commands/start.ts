import { shanghaiDate } from '@zwgk/sdk';
import { parseCommandArgs, parseDateOption } from '../args.js';
import { UsageError, type Command } from '../io.js';
import { openBotService } from '../service/bot-service.js';
import { simulatedClock } from '../service/clock.js';
import { createTerminalAdapter, terminalGroup } from '../service/terminal-adapter.js';
import { cliContext, configOrExit, unitOrFail } from './shared.js';

const usage = `Usage: zwgk start [--terminal] [--unit NAME] [--as NAME] [--as-of YYYY-MM-DD]

Runs the bot with its weekly digest scheduler.

  --terminal      chat with the bot in this terminal (each line is a message in a group)
  --unit NAME     the unit whose group you type in (default 郭道镇); /group NAME and /admin switch
  --as NAME       your name in the chat (default 联络员)
  --as-of DATE    run at a simulated date of the plan year (09:00 that day, then real speed)`;

export const startCommand: Command = {
  name: 'start',
  summary: 'run the bot (terminal chat for now) with its weekly digest scheduler',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { terminal: { type: 'boolean' }, unit: { type: 'string' }, as: { type: 'string' }, 'as-of': { type: 'string' } },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    const { config, file } = configOrExit(io);
    const asOf = parseDateOption(values['as-of'], '--as-of');
    const clock = asOf ? simulatedClock(asOf) : () => new Date();
    const cwd = io.cwd ?? process.cwd();

    let quit!: () => void;
    const done = new Promise<void>((resolve) => (quit = resolve));
    const session = { userId: 'terminal-user', userName: values.as ?? '联络员', conversationId: '' };
    const titles = new Map<string, string>();
    const adapter = createTerminalAdapter({
      input: io.stdin ?? process.stdin,
      output: io.stdout,
      session,
      titleOf: (id) => titles.get(id) ?? `${id.replace(/^terminal:/, '')}群`,
      onQuit: () => quit(),
    });
    const service = await openBotService(config, { cwd, adapters: [adapter], clock });
    try {
      const unit = unitOrFail(service.plan, values.unit ?? '郭道镇');
      const ctx = cliContext();
      session.conversationId = terminalGroup(unit);
      titles.set(terminalGroup(unit), `${unit}政务公开群`);
      titles.set(terminalGroup('admin'), '县政府办政务公开管理群');
      await service.store.bindUnitGroup({ platform: 'terminal', conversationId: terminalGroup(unit), unit, title: titles.get(terminalGroup(unit)) }, ctx);
      await service.store.bindAdminGroup({ platform: 'terminal', conversationId: terminalGroup('admin'), title: titles.get(terminalGroup('admin')) }, ctx);
      await service.store.addLiaison({ unit, platform: 'terminal', userId: session.userId, name: session.userName }, ctx);
      await service.store.addAdmin({ platform: 'terminal', userId: session.userId, name: session.userName }, ctx);

      io.stdout.write(
        [
          `zwgk · ${service.plan.county}${service.plan.year}年政务公开 · 模拟时间 ${shanghaiDate(clock())}${file ? ` · 配置 ${file}` : ''}`,
          `你是「${unit}」的${session.userName}，在「${titles.get(session.conversationId)}」发言。试试：本周、进度、确认 4、帮助。`,
          '输入 /admin 切到管理群，/group 单位名 切换单位群，/quit 退出。',
          '',
        ].join('\n'),
      );
      await service.bot.start();
      const stop = () => quit();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await done;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    } finally {
      await service.close();
    }
    return 0;
  },
};
