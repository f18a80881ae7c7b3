import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { DEFAULT_TENANT, isTenantId, type RollupGroup, type TenantRegistry, type TenantSettings } from '@zwgk/bot';
import { PlanSchema, parseRubric, type Plan } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { parseCommandArgs, parseIntOption } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { openRegistry } from '../service/tenants.js';
import { configOrExit } from './shared.js';

async function withRegistry<T>(io: CliIo, fn: (registry: TenantRegistry) => Promise<T>): Promise<T> {
  const { config } = await configOrExit(io);
  const registry = await openRegistry(config, io.cwd ?? process.cwd());
  try {
    return await fn(registry);
  } finally {
    await registry.close();
  }
}

function checkId(id: string | undefined, usage: string): string {
  if (!id) throw new UsageError(`which tenant? Give its id\n\n${usage}`);
  if (!isTenantId(id)) throw new UsageError(`tenant id "${id}" must be lower-case letters, digits and _, starting with a letter (at most 40), and not "${DEFAULT_TENANT}"`);
  return id;
}

/** Creates tenant `id` with `plan`, or replaces its plan (`zwgk plan import FILE --tenant ID`). */
export async function saveTenantPlan(id: string, plan: Plan, io: CliIo, quiet: boolean): Promise<number> {
  if (!isTenantId(id)) throw new UsageError(`tenant id "${id}" must be lower-case letters, digits and _, starting with a letter (at most 40), and not "${DEFAULT_TENANT}"; nothing was saved`);
  return withRegistry(io, async (registry) => {
    const r = await registry.put({ id, plan });
    if (!r.success) throw new UsageError(r.error);
    const line = `${r.data.created ? '已创建租户' : '已更新租户'} ${id}：${plan.county}${plan.year}年（${plan.tasks.length} 项任务，${plan.units.length} 个单位），记录在 ${registry.locationOf(id)}\n`;
    (quiet ? io.stderr : io.stdout).write(`${quiet ? '' : '\n'}${line}`);
    return 0;
  });
}

async function settingsFrom(values: { policy?: string; horizon?: string; rubric?: string; review?: boolean }, io: CliIo): Promise<TenantSettings> {
  const settings: TenantSettings = {};
  if (values.policy !== undefined) {
    if (values.policy !== 'group' && values.policy !== 'liaisons') throw new UsageError(`--policy expects group or liaisons, got "${values.policy}"`);
    settings.policy = values.policy;
  }
  const horizon = parseIntOption(values.horizon, '--horizon', { min: 1, max: 60 });
  if (horizon !== undefined) settings.horizonDays = horizon;
  if (values.rubric !== undefined) {
    const path = resolve(io.cwd ?? process.cwd(), values.rubric);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new UsageError(`cannot read --rubric ${values.rubric}`);
    });
    const format = /\.ya?ml$/i.test(path) ? 'yaml' : 'json';
    const rubric = parseRubric(text, format);
    if (!rubric.success) throw new UsageError(`--rubric ${values.rubric}: ${rubric.error}`);
    settings.rubric = structuredClone(rubric.data) as unknown as Record<string, unknown>;
  }
  if (values.review !== undefined) settings.rubric = { ...settings.rubric, review: { ...((settings.rubric?.review as object) ?? {}), required: values.review } };
  return settings;
}

async function planFrom(values: { plan?: string; bundled?: string }, io: CliIo): Promise<Plan> {
  if (values.plan !== undefined && values.bundled !== undefined) throw new UsageError('choose one of --plan FILE and --bundled ID');
  if (values.bundled !== undefined) {
    if (values.bundled !== 'qinyuan-2022') throw new UsageError(`--bundled: the bundled plan is qinyuan-2022, got "${values.bundled}"`);
    return getPlan('qinyuan-2022');
  }
  if (values.plan === undefined) throw new UsageError('a tenant needs a plan: --plan FILE.json (zwgk plan import … --json) or --bundled qinyuan-2022; or use zwgk plan import FILE --tenant ID');
  if (extname(values.plan).toLowerCase() !== '.json') throw new UsageError(`--plan expects a plan as JSON (${values.plan}); import a task table with zwgk plan import ${values.plan} --tenant ID`);
  let input: unknown;
  try {
    input = JSON.parse((await readFile(resolve(io.cwd ?? process.cwd(), values.plan), 'utf8')).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`cannot read --plan ${values.plan}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const parsed = PlanSchema.safeParse(input);
  if (!parsed.success) throw new UsageError(`--plan ${values.plan} is not a plan: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(plan)'}: ${i.message}`).join('; ')}`);
  return parsed.data as Plan;
}

const usage = `Usage:
  zwgk tenant list [--json]                 the counties (tenants) of this deployment
  zwgk tenant show ID                       one tenant: plan, settings, bound groups, where its records are
  zwgk tenant add ID (--plan FILE.json | --bundled qinyuan-2022) [--policy group|liaisons]
                  [--horizon N] [--rubric FILE] [--review | --no-review]
                                            a county's plan for a year as a new tenant (or replace its plan)
  zwgk tenant set ID [--policy …] [--horizon N] [--rubric FILE] [--review | --no-review]
                                            change a tenant's settings
  zwgk tenant remove ID                     take a tenant out of the registry with its group bindings; its
                                            records (schema tenant_ID or data/tenants/ID/) are kept

A tenant is one county's plan for one year, with its own directory, groups, liaisons, admins, rubric and
review settings, in a store of its own (PostgreSQL schema tenant_ID, or <dataDir>/tenants/ID/zwgk.sqlite).
A group chat bound to no tenant belongs to the default tenant: the configured plan and database.
Import a county's task table as a tenant with zwgk plan import FILE --tenant ID; bind its groups with
zwgk bind UNIT --conversation CID --tenant ID; every command that reads records takes --tenant ID.
A running zwgk start picks up a tenant added, changed (plan, settings) or removed here without a restart.

  --policy P     who may confirm: group (any member of the unit's group) or liaisons (default: config policy)
  --horizon N    "due soon" within N working days (default: config digest.horizonDays)
  --rubric FILE  the county's rubric (.json/.yaml), merged over the default one
  --review       the office's review (复核) is required (rubric review.required); --no-review switches it off`;

export const tenantCommand: Command = {
  name: 'tenant',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        plan: { type: 'string' },
        bundled: { type: 'string' },
        policy: { type: 'string' },
        horizon: { type: 'string' },
        rubric: { type: 'string' },
        review: { type: 'boolean' },
        'no-review': { type: 'boolean' },
      },
      usage,
    );
    const [action, id, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected "${rest.join(' ')}"\n\n${usage}`);
    const review = values.review ? true : values['no-review'] ? false : undefined;
    if (action === 'list') {
      return withRegistry(io, async (registry) => {
        const tenants = await registry.list();
        const conversations = await registry.conversations();
        if (values.json) {
          const out = tenants.map((t) => ({ id: t.id, county: t.county, year: t.year, tasks: t.plan.tasks.length, groups: conversations.filter((c) => c.tenantId === t.id).length, settings: t.settings }));
          io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return 0;
        }
        if (!tenants.length) io.stdout.write('还没有租户：所有群都属于默认县（配置的计划和数据库）。用 zwgk plan import FILE --tenant ID 添加一个县。\n');
        for (const t of tenants) {
          const groups = conversations.filter((c) => c.tenantId === t.id).length;
          io.stdout.write(`${t.id}\t${t.county}\t${t.year}\t${t.plan.tasks.length} 项任务\t${groups} 个群\n`);
        }
        return 0;
      });
    }
    if (action === 'show') {
      const tenantId = checkId(id, usage);
      return withRegistry(io, async (registry) => {
        const t = await registry.get(tenantId);
        if (!t) throw new UsageError(`no tenant "${tenantId}" (zwgk tenant list)`);
        const groups = await registry.conversations(tenantId);
        io.stdout.write(
          [
            `${t.id}：${t.county}${t.year}年，${t.plan.tasks.length} 项任务，${t.plan.units.length} 个单位`,
            `  记录：${registry.locationOf(t.id)}`,
            `  确认：${t.settings.policy ?? '（按配置）'}；临近到期：${t.settings.horizonDays ?? '（按配置）'} 个工作日；复核：${t.rubric.review.required ? '需要' : '不需要'}`,
            `  群：${groups.length ? groups.map((g) => `${g.platform}:${g.conversationId}`).join('、') : '（还没有）'}`,
            `  创建 ${t.createdAt}，更新 ${t.updatedAt}`,
            '',
          ].join('\n'),
        );
        return 0;
      });
    }
    if (action === 'add') {
      const tenantId = checkId(id, usage);
      const plan = await planFrom(values, io);
      const settings = await settingsFrom({ ...values, review }, io);
      return withRegistry(io, async (registry) => {
        const existing = await registry.get(tenantId);
        const r = await registry.put({ id: tenantId, plan, settings: { ...existing?.settings, ...settings } });
        if (!r.success) throw new UsageError(r.error);
        // Creating the store now makes a bad server or a full disk show here, not at the first message.
        await (await registry.openStore(tenantId)).close();
        io.stdout.write(`${r.data.created ? '已创建租户' : '已更新租户'} ${tenantId}：${plan.county}${plan.year}年，记录在 ${registry.locationOf(tenantId)}\n`);
        return 0;
      });
    }
    if (action === 'set') {
      const tenantId = checkId(id, usage);
      if (values.plan !== undefined || values.bundled !== undefined) throw new UsageError('a tenant’s plan is replaced with zwgk tenant add ID --plan FILE or zwgk plan import FILE --tenant ID');
      const settings = await settingsFrom({ ...values, review }, io);
      if (!Object.keys(settings).length) throw new UsageError(`nothing to change: give --policy, --horizon, --rubric or --review\n\n${usage}`);
      return withRegistry(io, async (registry) => {
        const r = await registry.configure(tenantId, settings);
        if (!r.success) throw new UsageError(r.error);
        io.stdout.write(`已更新租户 ${tenantId} 的设置\n`);
        return 0;
      });
    }
    if (action === 'remove') {
      const tenantId = checkId(id, usage);
      return withRegistry(io, async (registry) => {
        const where = registry.locationOf(tenantId);
        if (!(await registry.remove(tenantId))) {
          io.stderr.write(`zwgk tenant: no tenant "${tenantId}"\n`);
          return 1;
        }
        io.stdout.write(`已移除租户 ${tenantId}（其群归回默认县）；记录仍在 ${where}\n`);
        return 0;
      });
    }
    throw new UsageError(usage);
  },
};

const rollupUsage = `Usage:
  zwgk rollup add CONVERSATION --scope all|ID,ID… [--admin USER,USER…] [--platform dingtalk] [--title TITLE]
                                      make a group chat a city's or province's admin group that sees
                                      the roll-up of the tenants in scope (进度, 考核, 进度 沁源县);
                                      --admin replaces its admins (kept when omitted)
  zwgk rollup admin add CONVERSATION --user USER [--name NAME] [--platform dingtalk]
  zwgk rollup admin remove CONVERSATION --user USER [--platform dingtalk]
                                      who may read the roll-up group (platform user ids: DingTalk staffId)
  zwgk rollup remove CONVERSATION [--platform dingtalk]
  zwgk rollup list

Only the roll-up group's admins read its answers and drill into any county in scope; an admin of a county
in scope (zwgk admin add --tenant ID) reads the roll-up and that county's overview; anyone else is refused.`;

const adminsOf = (g: RollupGroup) => (g.admins ?? []).map((a) => (a.name ? `${a.userId}(${a.name})` : a.userId)).join(',');

export const rollupCommand: Command = {
  name: 'rollup',
  usage: rollupUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { scope: { type: 'string' }, platform: { type: 'string', default: 'dingtalk' }, title: { type: 'string' }, admin: { type: 'string' }, user: { type: 'string' }, name: { type: 'string' } },
      rollupUsage,
    );
    if (positionals[0] === 'admin') {
      const [, sub, cid, ...more] = positionals;
      if (more.length) throw new UsageError(`unexpected "${more.join(' ')}"\n\n${rollupUsage}`);
      if (sub !== 'add' && sub !== 'remove') throw new UsageError(`zwgk rollup admin add|remove CONVERSATION --user USER\n\n${rollupUsage}`);
      if (!cid) throw new UsageError(`which roll-up group?\n\n${rollupUsage}`);
      const user = values.user?.trim();
      if (!user) throw new UsageError(`--user USER is required (the platform user id, e.g. a DingTalk staffId)\n\n${rollupUsage}`);
      const platform = values.platform!;
      return withRegistry(io, async (registry) => {
        if (sub === 'add') {
          const r = await registry.addRollupAdmin(platform, cid, { userId: user, name: values.name ?? null });
          if (!r.success) throw new UsageError(r.error);
          io.stdout.write(`${user} 可以查看汇总群 ${cid}\n`);
          return 0;
        }
        const removed = await registry.removeRollupAdmin(platform, cid, user);
        io.stdout.write(removed ? `${user} 不再是汇总群 ${cid} 的管理员\n` : `${user} 不是汇总群 ${cid} 的管理员\n`);
        return removed ? 0 : 1;
      });
    }
    const [action, conversation, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected "${rest.join(' ')}"\n\n${rollupUsage}`);
    if (action === 'list') {
      return withRegistry(io, async (registry) => {
        const groups = await registry.rollups();
        if (!groups.length) io.stdout.write('还没有汇总群。\n');
        for (const g of groups) io.stdout.write(`${g.platform}\t${g.conversationId}\t${g.scope === 'all' ? '全部' : g.scope.join(',')}\t${g.title ?? ''}\t${adminsOf(g) || '（没有管理员：无人可查看）'}\n`);
        return 0;
      });
    }
    if (!conversation) throw new UsageError(`which conversation?\n\n${rollupUsage}`);
    const platform = values.platform!;
    if (action === 'add') {
      if (!values.scope) throw new UsageError(`--scope all or --scope ID,ID… is required\n\n${rollupUsage}`);
      const scope = values.scope === 'all' ? 'all' : values.scope.split(/[,，、\s]+/).filter(Boolean);
      return withRegistry(io, async (registry) => {
        if ((await registry.tenantOf(platform, conversation)) !== DEFAULT_TENANT) {
          throw new UsageError(`${conversation} is bound to tenant ${await registry.tenantOf(platform, conversation)}; a roll-up group belongs to no county (zwgk bind --remove first)`);
        }
        const admins = values.admin === undefined ? undefined : values.admin.split(/[,，、\s]+/).filter(Boolean).map((userId) => ({ userId, name: null }));
        const r = await registry.addRollup({ platform, conversationId: conversation, scope, title: values.title ?? null, ...(admins ? { admins } : {}) });
        if (!r.success) throw new UsageError(r.error);
        const group = await registry.rollupOf(platform, conversation);
        const who = group ? adminsOf(group) : '';
        io.stdout.write(`${conversation} 是汇总群：${scope === 'all' ? '全部租户' : scope.join('、')}；${who ? `管理员 ${who}` : '还没有管理员（zwgk rollup admin add），群里无人可查看'}\n`);
        return 0;
      });
    }
    if (action === 'remove') {
      return withRegistry(io, async (registry) => {
        const removed = await registry.removeRollup(platform, conversation);
        io.stdout.write(removed ? `${conversation} 不再是汇总群\n` : `${conversation} 不是汇总群\n`);
        return removed ? 0 : 1;
      });
    }
    throw new UsageError(rollupUsage);
  },
};
