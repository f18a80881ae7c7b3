import { dirname } from 'node:path';
import { DEFAULT_TENANT, dueDigestWeek, openStore, renderPlainText, type DigestPreview, type Store } from '@zwgk/bot';
import { createCalendar, shanghaiDate, shanghaiInstant } from '@zwgk/sdk';
import { parseCommandArgs, parseDateOption } from '../args.js';
import type { Config } from '../config.js';
import { UsageError, type Command } from '../io.js';
import { databaseFile, openBotService, storeOptions } from '../service/bot-service.js';
import { platformAdapters } from '../service/platforms.js';
import { readSimulatedMoment } from '../service/simulated-date.js';
import { cliTenant, configOrExit, unitOrFail } from './shared.js';

/**
 * Whether `zwgk digest` (without --dry-run) at `at` would send each previewed digest, and if not why:
 * no group bound, not yet the week's send time, already sent this week, or no platform configured.
 */
export async function sendMarks(previews: DigestPreview[], store: Store, config: Config, at: Date): Promise<Array<{ send: boolean; why: string }>> {
  const due = dueDigestWeek(at, { day: config.digest.day, time: config.digest.time }, createCalendar());
  const groups = await store.groups.list();
  const outbox = due ? await store.outbox.list({ week: due.week }) : [];
  const platforms = new Set([...(config.dingtalk ? ['dingtalk'] : []), ...(config.slack ? ['slack'] : [])]);
  return previews.map((p) => {
    const targets = groups.filter((g) => (g.kind === 'admin' ? p.kind === 'admin' : p.kind === 'unit' && g.unit === p.unit));
    if (!targets.length) return { send: false, why: '不会发送：没有绑定的群' };
    if (!due) return { send: false, why: `不会发送：本周的发送时间（${config.digest.time}）还没到` };
    const reasons = targets.map((g) => {
      const entry = outbox.find((e) => e.platform === g.platform && e.conversationId === g.conversationId);
      if (entry?.status === 'sent') return { send: false, why: '本周已发送过' };
      if (!platforms.has(g.platform)) return { send: false, why: `没有配置 ${g.platform} 平台` };
      return { send: true, why: `会发送到「${g.title ?? g.conversationId}」` };
    });
    const sending = reasons.filter((r) => r.send);
    if (sending.length) return { send: true, why: sending.map((r) => r.why).join('、') };
    return { send: false, why: `不会发送：${[...new Set(reasons.map((r) => r.why))].join('、')}` };
  });
}

const usage = `Usage: zwgk digest [--as-of YYYY-MM-DD] [--unit NAME] [--dry-run]

Sends this week's digests to every bound group (each group once per week, however often this runs),
or with --dry-run prints them without sending or recording anything.

  --as-of DATE   the digest as of 09:00 on DATE (default: now; for the sandbox's database, its
                 simulated moment)
  --unit NAME    one unit only
  --dry-run      print instead of sending, each digest marked → (would be sent now, and where) or
                 ✗ (would not, and why: no group bound, not yet time, sent already, no platform)`;

export const digestCommand: Command = {
  name: 'digest',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'as-of': { type: 'string' }, unit: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${usage}`);
    const { config } = await configOrExit(io);
    const date = parseDateOption(values['as-of'], '--as-of');
    const cwd = io.cwd ?? process.cwd();
    // A database on a simulated clock (the sandbox's) is looked at from its simulated moment, as its bot does.
    const tenant = await cliTenant(io);
    const simulated = tenant.store.url === undefined ? readSimulatedMoment(dirname(tenant.store.filename ?? databaseFile(config, cwd))) : undefined;
    const at = date ? shanghaiInstant(date, '09:00') : (simulated?.at ?? new Date());
    const adapters = values['dry-run'] ? [] : platformAdapters(config);
    if (!values['dry-run'] && adapters.length === 0) {
      throw new UsageError(
        'no chat platform is configured (set DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and DINGTALK_ROBOT_CODE, or SLACK_BOT_TOKEN and SLACK_APP_TOKEN); use --dry-run to preview',
      );
    }
    // A preview reads liaisons from the database when there is one, and never creates one.
    const inMemory = values['dry-run'] === true && !tenant.exists;
    // Sends count against the app's limits shared with the running instances (PostgreSQL): those are kept in
    // the deployment's own store, whichever tenant sends.
    const rates = !values['dry-run'] && tenant.id !== DEFAULT_TENANT && tenant.store.url !== undefined ? await openStore(storeOptions(config, cwd)) : undefined;
    const service = await openBotService(config, {
      cwd,
      adapters: values['dry-run'] ? [] : (store) => platformAdapters(config, { store: rates ?? store }),
      clock: () => at,
      digestEnabled: false,
      inMemory,
      tenant,
    }).catch(async (error: unknown) => {
      await rates?.close();
      throw error;
    });
    try {
      const units = values.unit !== undefined ? [unitOrFail(service.plan, values.unit)] : undefined;
      if (values['dry-run']) {
        const previews = await service.bot.previewDigests({ asOf: at, units, admin: units === undefined });
        const marks = await sendMarks(previews, service.store, config, at);
        previews.forEach((p, i) => {
          const mark = marks[i]!;
          io.stdout.write(`══ ${mark.send ? '→' : '✗'} ${p.kind === 'admin' ? '管理群（县政府办）' : p.unit} · ${mark.why} ══\n${renderPlainText(p.message)}\n\n`);
        });
        const sending = marks.filter((m) => m.send).length;
        const when = simulated && !date ? `，截至 ${shanghaiDate(at)}（数据库的模拟日期）` : `，截至 ${shanghaiDate(at)}`;
        io.stdout.write(`${previews.length} 份周报（预览，未发送），其中 ${sending} 份会发送（→），${previews.length - sending} 份不会（✗）${when}\n`);
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
      await rates?.close();
    }
  },
};
