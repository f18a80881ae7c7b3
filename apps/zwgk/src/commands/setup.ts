import { DEFAULT_TENANT, openStore, type Store } from '@zwgk/bot';
import { openRegistry, registryExists } from '../service/tenants.js';
import type { Plan } from '@zwgk/sdk';
import { parseCommandArgs } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { cliContext, cliStoreOptions, configOrExit, configuredPlan, unitOrFail } from './shared.js';

/** The plan and the database, without a bot: setup must work even when templates are misconfigured. */
async function withService<T>(io: CliIo, fn: (service: { plan: Plan; store: Store }) => Promise<T>): Promise<T> {
  const plan = await configuredPlan(io);
  const store = await openStore(await cliStoreOptions(io));
  try {
    return await fn({ plan, store });
  } finally {
    await store.close();
  }
}

const bindUsage = `Usage:
  zwgk bind UNIT --conversation ID [--platform dingtalk] [--title TITLE]   bind a group chat to a unit
  zwgk bind --admin --conversation ID [--platform dingtalk] [--title TITLE] bind the county office's admin group
  zwgk bind --remove --conversation ID [--platform dingtalk]
  zwgk bind --list
  --tenant ID    (with any of the above) in a county of a shared deployment: the group then belongs to
                 that tenant (its messages go to its bot and records); without it, the default county

In chat, an admin can do the same with "@机器人 绑定 单位名" (in the tenant the group belongs to).`;

/**
 * Records which tenant a conversation belongs to before it is bound in that tenant's store: takes it out of
 * the store of the tenant it belonged to (a group belongs to one county) and refuses a roll-up group. With
 * no tenant registry and the default tenant, nothing to do: the single-county deployment stays as it was.
 */
async function claimConversation(io: CliIo, platform: string, conversationId: string): Promise<void> {
  const { config } = await configOrExit(io);
  const cwd = io.cwd ?? process.cwd();
  const target = io.tenant ?? DEFAULT_TENANT;
  if (target === DEFAULT_TENANT && !registryExists(config, cwd)) return;
  const registry = await openRegistry(config, cwd);
  try {
    if (await registry.rollupOf(platform, conversationId)) throw new UsageError(`${conversationId} is a roll-up group (zwgk rollup remove ${conversationId} first)`);
    const previous = await registry.tenantOf(platform, conversationId);
    if (previous !== target) {
      const old = await registry.openStore(previous);
      try {
        await old.groups.unbind({ platform, conversationId }, cliContext());
      } finally {
        await old.close();
      }
    }
    const r = await registry.bind(platform, conversationId, target);
    if (!r.success) throw new UsageError(r.error);
  } finally {
    await registry.close();
  }
}

/** Forgets a conversation's tenant (after it was unbound in the tenant's store). */
async function releaseConversation(io: CliIo, platform: string, conversationId: string): Promise<void> {
  const { config } = await configOrExit(io);
  const cwd = io.cwd ?? process.cwd();
  if (!registryExists(config, cwd)) return;
  const registry = await openRegistry(config, cwd);
  try {
    if ((await registry.tenantOf(platform, conversationId)) === (io.tenant ?? DEFAULT_TENANT)) await registry.unbind(platform, conversationId);
  } finally {
    await registry.close();
  }
}

export const bindCommand: Command = {
  name: 'bind',
  usage: bindUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        conversation: { type: 'string' },
        platform: { type: 'string', default: 'dingtalk' },
        title: { type: 'string' },
        admin: { type: 'boolean' },
        remove: { type: 'boolean' },
        list: { type: 'boolean' },
      },
      bindUsage,
    );
    return withService(io, async ({ plan, store }) => {
      if (values.list) {
        const groups = await store.groups.list();
        if (!groups.length) io.stdout.write('还没有绑定任何群。\n');
        for (const g of groups) {
          io.stdout.write(`${g.kind === 'admin' ? '管理群' : g.unit}\t${g.platform}\t${g.conversationId}\t${g.title ?? ''}\n`);
        }
        return 0;
      }
      if (!values.conversation) throw new UsageError(`--conversation ID is required\n\n${bindUsage}`);
      const group = { platform: values.platform!, conversationId: values.conversation, title: values.title ?? null };
      if (values.remove) {
        const removed = await store.groups.unbind(group, cliContext());
        await releaseConversation(io, group.platform, group.conversationId);
        io.stdout.write(removed ? `已解除 ${group.conversationId} 的绑定\n` : `${group.conversationId} 没有绑定\n`);
        return removed ? 0 : 1;
      }
      if (values.admin) {
        if (positionals.length) throw new UsageError('--admin takes no unit');
        await claimConversation(io, group.platform, group.conversationId);
        await store.groups.bindAdmin(group, cliContext());
        io.stdout.write(`已将 ${group.conversationId} 设为管理群\n`);
        return 0;
      }
      if (positionals.length !== 1) throw new UsageError(`name one unit\n\n${bindUsage}`);
      const unit = unitOrFail(plan, positionals[0]!);
      await claimConversation(io, group.platform, group.conversationId);
      const { previous } = await store.groups.bindUnit({ ...group, unit }, cliContext());
      const before = previous === null ? null : previous.kind === 'unit' ? previous.unit : '管理群';
      io.stdout.write(`已将 ${group.conversationId} 绑定到 ${unit}${before !== null && before !== unit ? `（原为 ${before}）` : ''}\n`);
      return 0;
    });
  },
};

const liaisonUsage = `Usage:
  zwgk liaison add UNIT --user ID [--name NAME] [--platform dingtalk]
  zwgk liaison remove UNIT --user ID [--platform dingtalk]
  zwgk liaison list [UNIT]`;

export const liaisonCommand: Command = {
  name: 'liaison',
  usage: liaisonUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { user: { type: 'string' }, name: { type: 'string' }, platform: { type: 'string', default: 'dingtalk' } },
      liaisonUsage,
    );
    const [action, unitName, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected "${extra.join(' ')}"\n\n${liaisonUsage}`);
    return withService(io, async ({ plan, store }) => {
      if (action === 'list') {
        const list = await store.liaisons.list(unitName ? unitOrFail(plan, unitName) : undefined);
        if (!list.length) io.stdout.write('没有登记的联络员。\n');
        for (const l of list) io.stdout.write(`${l.unit}\t${l.name}\t${l.platform}\t${l.userId}\n`);
        return 0;
      }
      if ((action !== 'add' && action !== 'remove') || !unitName) throw new UsageError(liaisonUsage);
      if (!values.user) throw new UsageError(`--user ID is required\n\n${liaisonUsage}`);
      const unit = unitOrFail(plan, unitName);
      const who = { unit, platform: values.platform!, userId: values.user };
      if (action === 'add') {
        const added = await store.liaisons.add({ ...who, name: values.name ?? values.user }, cliContext());
        io.stdout.write(added ? `已登记 ${values.name ?? values.user} 为 ${unit} 联络员\n` : `${values.user} 已是 ${unit} 联络员\n`);
        return 0;
      }
      const removed = await store.liaisons.remove(who, cliContext());
      io.stdout.write(removed ? `已移除 ${unit} 联络员 ${values.user}\n` : `${values.user} 不是 ${unit} 联络员\n`);
      return removed ? 0 : 1;
    });
  },
};

const adminUsage = `Usage:
  zwgk admin add --user ID [--name NAME] [--platform dingtalk]
  zwgk admin remove --user ID [--platform dingtalk]
  zwgk admin list`;

export const adminCommand: Command = {
  name: 'admin',
  usage: adminUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { user: { type: 'string' }, name: { type: 'string' }, platform: { type: 'string', default: 'dingtalk' } },
      adminUsage,
    );
    const [action, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected "${extra.join(' ')}"\n\n${adminUsage}`);
    return withService(io, async ({ store }) => {
      if (action === 'list') {
        const list = await store.admins.list();
        if (!list.length) io.stdout.write('还没有管理员。\n');
        for (const a of list) io.stdout.write(`${a.name}\t${a.platform}\t${a.userId}\n`);
        return 0;
      }
      if (action !== 'add' && action !== 'remove') throw new UsageError(adminUsage);
      if (!values.user) throw new UsageError(`--user ID is required\n\n${adminUsage}`);
      const who = { platform: values.platform!, userId: values.user };
      if (action === 'add') {
        const added = await store.admins.add({ ...who, name: values.name ?? values.user }, cliContext());
        io.stdout.write(added ? `已添加管理员 ${values.name ?? values.user}\n` : `${values.user} 已是管理员\n`);
        return 0;
      }
      const removed = await store.admins.remove(who, cliContext());
      io.stdout.write(removed ? `已移除管理员 ${values.user}\n` : `${values.user} 不是管理员\n`);
      return removed ? 0 : 1;
    });
  },
};
