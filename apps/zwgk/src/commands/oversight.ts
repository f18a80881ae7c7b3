/**
 * The office's oversight from the command line: deductions (扣分), rectification items (整改) and evidence-link
 * checks — the same records as the admin group's commands, with the same audit trail.
 */
import { createEvidenceChecker, openStore, type Store } from '@zwgk/bot';
import { readDeadline } from '@zwgk/bot/grammar';
import { addDays, createCalendar, shanghaiDate, type Plan } from '@zwgk/sdk';
import { parseCommandArgs } from '../args.js';
import type { Config } from '../config.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { cliContext, cliStoreOptions, configOrExit, configuredPlan, unitOrFail } from './shared.js';

async function withStore<T>(io: CliIo, fn: (s: { plan: Plan; store: Store; config: Config }) => Promise<T>): Promise<T> {
  const { config } = await configOrExit(io);
  const plan = await configuredPlan(io);
  const store = await openStore(await cliStoreOptions(io));
  try {
    return await fn({ plan, store, config });
  } finally {
    await store.close();
  }
}

function idOf(text: string | undefined, usage: string): number {
  const n = Number(text?.replace(/^#/u, ''));
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`expected an item number, received ${text === undefined ? 'nothing' : JSON.stringify(text)}\n\n${usage}`);
  return n;
}

const json = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

const deductionUsage = `Usage:
  zwgk deduction add UNIT POINTS REASON…   record a deduction (扣分), e.g. zwgk deduction add 郭道镇 2 网站检查发现错链
  zwgk deduction list [UNIT] [--all]       deductions of the plan year (--all: withdrawn ones too)
  zwgk deduction remove ID                 withdraw a deduction (it stays in the audit log)
  --json                                   print JSON

In the admin group: 扣分 单位 分值 原因 / 撤销扣分 编号.`;

export const deductionCommand: Command = {
  name: 'deduction',
  usage: deductionUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, all: { type: 'boolean' } }, deductionUsage);
    const [action, ...rest] = positionals;
    return withStore(io, async ({ plan, store }) => {
      const year = plan.year;
      if (action === 'add') {
        const [unitName, pointsText, ...reasonWords] = rest;
        if (unitName === undefined || pointsText === undefined || reasonWords.length === 0) throw new UsageError(deductionUsage);
        const unit = unitOrFail(plan, unitName);
        const points = Number(pointsText.replace(/分$/u, ''));
        if (!(points > 0) || points > 100) throw new UsageError(`POINTS must be a number above 0 and at most 100, received ${pointsText}`);
        const reason = reasonWords.join(' ');
        const id = await store.deductions.add({ year, unit, points, reason }, cliContext());
        if (values.json) json(io, { id, year, unit, points, reason });
        else io.stdout.write(`扣分 ${id}：${unit} 扣 ${points} 分（${reason}）\n`);
        return 0;
      }
      if (action === 'list') {
        const unit = rest[0] === undefined ? undefined : unitOrFail(plan, rest[0]);
        const list = await store.deductions.list({ year, ...(unit === undefined ? {} : { unit }), ...(values.all ? { includeRemoved: true } : {}) });
        if (values.json) json(io, list);
        else if (list.length === 0) io.stdout.write('没有扣分记录。\n');
        else for (const d of list) io.stdout.write(`${d.id}\t${d.unit}\t${d.points}\t${d.reason}${d.removedAt ? '\t（已撤销）' : ''}\n`);
        return 0;
      }
      if (action === 'remove') {
        const id = idOf(rest[0], deductionUsage);
        const removed = await store.deductions.remove(id, cliContext());
        if (values.json) json(io, { id, removed });
        else io.stdout.write(removed ? `已撤销扣分 ${id}\n` : `没有编号为 ${id} 的扣分，或已撤销\n`);
        return removed ? 0 : 1;
      }
      throw new UsageError(deductionUsage);
    });
  },
};

const rectificationUsage = `Usage:
  zwgk rectification add UNIT ITEM… --due DEADLINE   set a unit an item (整改); DEADLINE as clerks write it:
                                                     2022-12-15, 12月15日前, 两周内, 10个工作日内
  zwgk rectification list [UNIT] [--open]            items of the plan year and their states
  zwgk rectification close ID [--note TEXT]          the unit's report that it is rectified (已整改)
  zwgk rectification verify ID                       the office's 复查 passed (复查通过): closes it
  --json                                             print JSON

An item not verified by its due date costs the rubric's carry-over points (docs/assessment.md).
In chat: 整改 单位 事项 期限 (admin group), 已整改 编号 (unit group), 复查通过 编号.`;

const STATE_TEXT = { open: '待整改', rectified: '已整改，待复查', verified: '复查通过' } as const;

export const rectificationCommand: Command = {
  name: 'rectification',
  usage: rectificationUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { json: { type: 'boolean' }, open: { type: 'boolean' }, due: { type: 'string' }, note: { type: 'string' } },
      rectificationUsage,
    );
    const [action, ...rest] = positionals;
    return withStore(io, async ({ plan, store }) => {
      const year = plan.year;
      const now = new Date();
      if (action === 'add') {
        const [unitName, ...itemWords] = rest;
        if (unitName === undefined || itemWords.length === 0 || values.due === undefined) throw new UsageError(rectificationUsage);
        const unit = unitOrFail(plan, unitName);
        const read = readDeadline(values.due, now);
        if (read?.before !== '') throw new UsageError(`--due: not a deadline: ${values.due} (write 2022-12-15, 12月15日前, 两周内 or 10个工作日内)`);
        let due: string;
        if ('due' in read.deadline) due = read.deadline.due;
        else {
          const calendar = createCalendar();
          due = shanghaiDate(now);
          for (let left = read.deadline.workingDays; left > 0; ) {
            due = addDays(due, 1);
            if (calendar.isWorkingDay(due)) left--;
          }
        }
        const item = itemWords.join(' ');
        const id = await store.rectifications.add({ year, unit, item, due }, cliContext());
        if (values.json) json(io, { id, year, unit, item, due, state: 'open' });
        else io.stdout.write(`整改 ${id}：${unit} — ${item}，期限 ${due}\n`);
        return 0;
      }
      if (action === 'list') {
        const unit = rest[0] === undefined ? undefined : unitOrFail(plan, rest[0]);
        const list = await store.rectifications.list({ year, ...(unit === undefined ? {} : { unit }), ...(values.open ? { open: true } : {}) });
        if (values.json) json(io, list);
        else if (list.length === 0) io.stdout.write('没有整改事项。\n');
        else for (const r of list) io.stdout.write(`${r.id}\t${r.unit}\t${r.item}\t期限 ${r.due}\t${STATE_TEXT[r.state]}\n`);
        return 0;
      }
      if (action === 'close' || action === 'verify') {
        const id = idOf(rest[0], rectificationUsage);
        const r = action === 'close' ? await store.rectifications.rectify(id, { note: values.note ?? null }, cliContext()) : await store.rectifications.verify(id, cliContext());
        if (values.json) json(io, r);
        else if (r.success) io.stdout.write(`整改 ${id}（${r.data.unit}）：${STATE_TEXT[r.data.state]}\n`);
        else io.stderr.write(`整改 ${id}：${{ not_found: '没有这个编号', other_unit: '不是该单位的事项', already_rectified: '已报整改完成', already_verified: '已复查通过', not_rectified: '还没有报整改完成' }[r.error]}\n`);
        return r.success ? 0 : 1;
      }
      throw new UsageError(rectificationUsage);
    });
  },
};

const evidenceUsage = `Usage: zwgk evidence check [--all] [--unit UNIT] [--task N] [--list] [--json]

Checks the evidence links (佐证链接) waiting for a check — the bot checks them in the background, this runs
them now — and lists the links whose latest check failed. Only hosts in evidence.allowedHosts of the
configuration are ever fetched; with an empty list nothing is.

  --all        check every link again (of UNIT / task N when given), not only the waiting ones
  --list       only list the failing links, check nothing
  --json       print JSON`;

export const evidenceCommand: Command = {
  name: 'evidence',
  usage: evidenceUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { all: { type: 'boolean' }, list: { type: 'boolean' }, json: { type: 'boolean' }, unit: { type: 'string' }, task: { type: 'string' } },
      evidenceUsage,
    );
    if (positionals[0] !== 'check' || positionals.length > 1) throw new UsageError(evidenceUsage);
    return withStore(io, async ({ plan, store, config }) => {
      const unit = values.unit === undefined ? undefined : unitOrFail(plan, values.unit);
      const task = values.task === undefined ? undefined : Number(values.task);
      if (task !== undefined && !plan.tasks.some((t) => t.no === task)) throw new UsageError(`--task: the plan has no task ${values.task}`);
      let run = { checked: 0, flagged: 0 };
      if (!values.list) {
        if (values.all) await store.evidenceChecks.recheck({ year: plan.year, ...(unit === undefined ? {} : { unit }), ...(task === undefined ? {} : { task }) }, cliContext());
        const checker = createEvidenceChecker({ store, settings: config.evidence, clock: () => new Date(), logger: { info() {}, warn() {}, error() {} } });
        run = await checker.runPending();
      }
      const flagged = (await store.evidenceChecks.flagged({ year: plan.year, ...(unit === undefined ? {} : { unit }) })).filter((f) => task === undefined || f.task === task);
      if (values.json) {
        json(io, { checked: run.checked, newlyFlagged: run.flagged, allowedHosts: config.evidence.allowedHosts, flagged: flagged.map((f) => ({ unit: f.unit, task: f.task, due: f.due, url: f.url, result: f.result, httpStatus: f.httpStatus, finalUrl: f.finalUrl, checkedAt: f.checkedAt })) });
        return 0;
      }
      if (!values.list) io.stdout.write(`checked ${run.checked} link(s)${config.evidence.allowedHosts.length === 0 ? ' (no evidence.allowedHosts configured: nothing was fetched)' : ''}\n`);
      if (flagged.length === 0) io.stdout.write('没有核查异常的链接。\n');
      for (const f of flagged) io.stdout.write(`${f.unit}\t任务${f.task}\t${f.due}\t${f.result}${f.httpStatus === null ? '' : ` ${f.httpStatus}`}\t${f.url}\n`);
      return 0;
    });
  },
};
