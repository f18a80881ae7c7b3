import { existsSync } from 'node:fs';
import { shanghaiDate, shanghaiInstant } from '@zwgk/sdk';
import { parseCommandArgs, parseDateOption } from '../args.js';
import { UsageError, type Command } from '../io.js';
import { databaseFile, openBotService } from '../service/bot-service.js';
import { platformAdapters } from '../service/platforms.js';
import { configOrExit, unitOrFail } from './shared.js';

const usage = `Usage: zwgk digest [--as-of YYYY-MM-DD] [--unit NAME] [--dry-run]

Sends this week's digests to every bound group (each group once per week, however often this runs),
or with --dry-run prints them without sending or recording anything.

  --as-of DATE   the digest as of 09:00 on DATE (default: now)
  --unit NAME    one unit only
  --dry-run      print instead of sending`;

export const digestCommand: Command = {
  name: 'digest',
  summary: 'send (or preview with --dry-run) the weekly deadline digests',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'as-of': { type: 'string' }, unit: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    const { config } = configOrExit(io);
    const date = parseDateOption(values['as-of'], '--as-of');
    const at = date ? shanghaiInstant(date, '09:00') : new Date();
    const cwd = io.cwd ?? process.cwd();
    const adapters = values['dry-run'] ? [] : platformAdapters(config);
    if (!values['dry-run'] && adapters.length === 0) {
      throw new UsageError(
        'no chat platform is configured (set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_ROBOT_CODE, or SLACK_BOT_TOKEN and SLACK_APP_TOKEN); use --dry-run to preview',
      );
    }
    // A preview reads liaisons from the database when there is one, and never creates one.
    const inMemory = values['dry-run'] === true && !existsSync(databaseFile(config, cwd));
    const service = await openBotService(config, { cwd, adapters, clock: () => at, digestEnabled: false, inMemory });
    try {
      const units = values.unit !== undefined ? [unitOrFail(service.plan, values.unit)] : undefined;
      if (values['dry-run']) {
        const previews = await service.bot.previewDigests({ asOf: at, units, admin: units === undefined, style: 'text' });
        for (const p of previews) {
          io.stdout.write(`══ ${p.kind === 'admin' ? '管理群（县政府办）' : p.unit} ══\n${p.message.text.trimEnd()}\n\n`);
        }
        io.stdout.write(`${previews.length} 份周报（预览，未发送），截至 ${shanghaiDate(at)}\n`);
        return 0;
      }
      // Sending needs no stream connection: starting the bot here would also take a share of live chat
      // messages from the running service, handled with this command's frozen clock.
      const run = await service.bot.runDueDigests(at, { units });
      if (run.week === null) {
        io.stdout.write(`截至 ${shanghaiDate(at)} 本周的周报还没到发送时间（${config.digest.time}）\n`);
        return 0;
      }
      const lines = [`${run.week}: 发送 ${run.sent.length} 份，失败 ${run.failed.length} 份（其余的本周已发过）`];
      for (const f of run.failed) lines.push(`  失败 ${f.unit ?? '管理群'} ${f.platform}:${f.conversationId} ${f.error ?? ''}`);
      for (const s of run.skipped) lines.push(`  未发送 ${s.unit ?? '管理群'}：没有配置 ${s.platform} 平台`);
      io.stdout.write(`${lines.join('\n')}\n`);
      return run.failed.length > 0 ? 1 : 0;
    } finally {
      await service.close();
    }
  },
};
