import { decideReviews, openStore, reviewItems, type ReviewItem, type ReviewSelection, type Store } from '@zwgk/bot';
import type { Plan } from '@zwgk/sdk';
import { parseCommandArgs } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { cliContext, cliStoreOptions, configuredPlan, unitOrFail } from './shared.js';

const usage = `Usage:
  zwgk review list [UNIT] [--task N] [--state pending|accepted|returned|all] [--json]
  zwgk review accept #ID…                 accept confirmations by queue number (复核 通过)
  zwgk review accept TASK… UNIT…          accept the units' confirmations of the tasks (6.2: one milestone)
  zwgk review accept TASK… --all          accept every unit waiting for review on the tasks
  zwgk review return … --reason TEXT      return them (退回), with the reason the unit will see

The office's review (复核) of confirmations, as in the admin group (复核, 通过 4 郭道镇, 退回 4 郭道镇 原因).
"list" shows the queue (待复核) oldest first, with the evidence links, unless --state says otherwise.
A return made here is not announced in the unit's group (the bot is not running in this process): the
unit sees it in 进度, and its next 确认 or 补充 puts it back in the queue.

  --task N       only this task (list)
  --state S      pending (default), accepted, returned or all (list)
  --all          every confirmation waiting for review on the tasks named (or of the units named)
  --reason TEXT  why it is returned (required for return)
  --json         print JSON`;

const STATE_WORDS = { pending: '待复核', accepted: '通过', returned: '退回' } as const;

async function withStore<T>(io: CliIo, fn: (plan: Plan, store: Store) => Promise<T>): Promise<T> {
  const plan = await configuredPlan(io);
  const store = await openStore(await cliStoreOptions(io));
  try {
    return await fn(plan, store);
  } finally {
    await store.close();
  }
}

function shanghai(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function itemLine(i: ReviewItem): string {
  const again = i.submittedAt !== i.firstSubmittedAt ? `（退回后重新提交，原因：${i.lastReturnReason ?? ''}）` : '';
  const returned = i.state === 'returned' ? `（原因：${i.lastReturnReason ?? ''}）` : '';
  const links = i.evidence.length ? i.evidence.join(' ') : '未附佐证链接';
  return `#${i.id}\t${i.unit}\t任务${i.selector} ${i.taskName}\t截止 ${i.due}\t${STATE_WORDS[i.state]}${returned}\t${shanghai(i.submittedAt)} 提交${again}\t${links}`;
}

/** TASK (4, 6.2) → the task and, for 6.2, its milestone's due date. */
function taskOf(plan: Plan, token: string): { task: number; due?: string } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(token)!;
  const task = plan.tasks.find((t) => t.no === Number(m[1]));
  if (!task) throw new UsageError(`the plan has no task ${m[1]} (tasks 1–${Math.max(...plan.tasks.map((t) => t.no))})`);
  if (m[2] === undefined) return { task: task.no };
  const milestone = task.milestones[Number(m[2]) - 1];
  if (!milestone) throw new UsageError(`task ${task.no} has no milestone ${m[2]} (it has ${task.milestones.length})`);
  return { task: task.no, due: `${plan.year}${milestone.due.slice(4)}` };
}

export const reviewCommand: Command = {
  name: 'review',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { task: { type: 'string' }, state: { type: 'string', default: 'pending' }, all: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } },
      usage,
    );
    const [action, ...rest] = positionals;
    if (action === 'list') {
      if (rest.length > 1) throw new UsageError(`name at most one unit\n\n${usage}`);
      const state = values.state!;
      if (!['pending', 'accepted', 'returned', 'all'].includes(state)) throw new UsageError(`--state must be pending, accepted, returned or all, received "${state}"`);
      const task = values.task === undefined ? undefined : Number(values.task);
      if (task !== undefined && !Number.isInteger(task)) throw new UsageError(`--task must be a task number, received "${values.task}"`);
      return withStore(io, async (plan, store) => {
        const unit = rest[0] === undefined ? undefined : unitOrFail(plan, rest[0]);
        const items = await reviewItems(store, plan, {
          ...(unit === undefined ? {} : { unit }),
          ...(task === undefined ? {} : { task }),
          ...(state === 'all' ? {} : { states: [state as keyof typeof STATE_WORDS] }),
        });
        if (values.json) io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        else if (items.length === 0) io.stdout.write(state === 'pending' ? '没有待复核的确认。\n' : '没有符合条件的确认。\n');
        else for (const i of items) io.stdout.write(`${itemLine(i)}\n`);
        return 0;
      });
    }
    if (action !== 'accept' && action !== 'return') throw new UsageError(usage);
    const decision = action === 'accept' ? 'accepted' : 'returned';
    const reason = values.reason?.trim();
    if (decision === 'returned' && !reason) throw new UsageError(`--reason TEXT is required: the unit sees why it is returned\n\n${usage}`);
    if (rest.length === 0 && !values.all) throw new UsageError(`name queue numbers (#12), or tasks and units\n\n${usage}`);
    return withStore(io, async (plan, store) => {
      const ids: number[] = [];
      const tasks: Array<{ task: number; due?: string }> = [];
      const units: string[] = [];
      for (const token of rest) {
        if (/^#\d+$/.test(token)) ids.push(Number(token.slice(1)));
        else if (/^\d+(?:\.\d+)?$/.test(token)) tasks.push(taskOf(plan, token));
        else units.push(unitOrFail(plan, token));
      }
      if (ids.length > 0 && (tasks.length > 0 || units.length > 0)) throw new UsageError('name either queue numbers (#12) or tasks and units, not both');
      if (ids.length === 0 && !values.all && (tasks.length === 0 || units.length === 0)) {
        throw new UsageError(`name the tasks and the units (zwgk review ${action} 4 郭道镇), or --all\n\n${usage}`);
      }
      const selection: ReviewSelection = ids.length > 0 ? { ids } : { tasks, units, all: values.all === true };
      const result = await decideReviews(store, plan, selection, { decision, reason: reason ?? null }, { ...cliContext(), at: new Date() });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        for (const { item, from } of result.changed) io.stdout.write(`#${item.id} ${item.unit} 任务${item.selector} ${item.taskName}：${STATE_WORDS[from]} → ${STATE_WORDS[decision]}\n`);
        for (const item of result.unchanged) io.stdout.write(`#${item.id} ${item.unit} 任务${item.selector}：已是${STATE_WORDS[decision]}，未改变\n`);
        for (const id of result.unknownIds) io.stderr.write(`没有找到 #${id} 这条确认\n`);
        for (const m of result.missing) io.stderr.write(m.unit !== undefined && m.task !== undefined ? `${m.unit} 任务${m.task} 没有本年度的确认\n` : '没有符合条件的待复核确认\n');
        if (decision === 'returned' && result.changed.length > 0) io.stdout.write(`原因：${reason}\n未在单位群通知（机器人不在此进程中运行）；单位在「进度」中可见，也可在管理群用 退回 命令以便通知。\n`);
      }
      return result.changed.length > 0 || result.unchanged.length > 0 ? 0 : 1;
    });
  },
};
