import { createBot, openStore, type Bot, type BotOptions, type Store } from '@zwgk/bot';
import { directoryOf, planStatuses, type Plan } from '@zwgk/sdk';
import { manualClock, type ManualClock } from './clock.js';
import { createMemoryAdapter, type MemoryAdapter, type MemoryAdapterOptions, type Person } from './memory-adapter.js';
import { samplePlan } from './plan.js';

/** A bot wired to an in-memory chat, a manual clock and a SQLite store. */
export interface TestBot {
  bot: Bot;
  store: Store;
  chat: MemoryAdapter;
  clock: ManualClock;
  plan: Plan;
  /** Stops the bot and closes the store. */
  close(): Promise<void>;
}

/** Options of {@link createTestBot}. */
export interface TestBotOptions extends Partial<Omit<BotOptions, 'store' | 'clock' | 'adapters'>> {
  /** SQLite file (default `:memory:`); reuse one across two test bots to simulate a restart. */
  filename?: string;
  /** A PostgreSQL database instead of SQLite; test bots on one url are instances sharing it. */
  url?: string;
  /** Start time (default `2022-11-21 08:00`, a Monday before the 09:00 digest). */
  now?: Date | string;
  /** The in-memory chat (default: a new one, showing plain text). */
  chat?: MemoryAdapter | MemoryAdapterOptions;
  /** A clock to share (default: a new manual clock at `now`). */
  clock?: ManualClock;
  /** Call `bot.start()` (default true). Turn off to test start-up yourself. */
  start?: boolean;
}

/**
 * A bot over {@link samplePlan} (or `plan`), an in-memory chat and a `:memory:` store, started, with digests
 * driven only by `runDueDigests` (the scheduler's timer is off unless `digest.enabled` is set).
 *
 * @example
 * const t = await createTestBot();
 * await setupCounty(t);
 * await t.chat.say(groupOf('郭道镇'), { id: 'u1', name: '张三' }, '确认 4');
 * await t.close();
 */
export async function createTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const { filename, url, now, chat: chatOption, clock: sharedClock, start, digest, ...rest } = options;
  const plan = rest.plan ?? samplePlan();
  const store = await openStore(url !== undefined ? { url, poolSize: 4 } : { filename: filename ?? ':memory:' });
  const clock = sharedClock ?? manualClock(now ?? '2022-11-21 08:00');
  const chat = chatOption instanceof Object && 'say' in chatOption ? chatOption : createMemoryAdapter(chatOption as MemoryAdapterOptions | undefined);
  const bot = createBot({ ...rest, plan, store, adapters: [chat], clock: clock.now, digest: { enabled: false, ...digest } });
  if (start !== false) await bot.start();
  return {
    bot,
    store,
    chat,
    clock,
    plan,
    async close() {
      await bot.stop();
      await store.close();
    },
  };
}

/** The conversation id {@link setupCounty} gives a unit's group. */
export function groupOf(unit: string): string {
  return `g-${unit}`;
}

/** The admin group's conversation id in {@link setupCounty}. */
export const ADMIN_GROUP = 'g-admin';

/** The county office administrator {@link setupCounty} registers. */
export const ADMIN: Person = { id: 'admin-01', name: '县政府办王主任' };

/** The liaison {@link setupCounty} registers for a unit. */
export function liaisonOf(unit: string): Person {
  return { id: `liaison-${unit}`, name: `${unit}联络员` };
}

/**
 * Sets a county up the way the CLI would: an administrator, the admin group, one group per unit with at
 * least one assignment (conversation id `g-<unit>`), and one liaison per unit (unless `liaisons: false`).
 * Returns the units that got a group.
 */
export async function setupCounty(t: TestBot, options: { liaisons?: boolean; units?: readonly string[] } = {}): Promise<string[]> {
  const actor = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: t.clock.now() };
  const platform = t.chat.platform;
  const assigned = new Set(planStatuses(t.plan, { asOf: `${t.plan.year}-01-01` }).map((r) => r.unit));
  const units = options.units ?? directoryOf(t.plan).units.map((u) => u.name).filter((u) => assigned.has(u));
  await t.store.admins.add({ platform, userId: ADMIN.id, name: ADMIN.name }, actor);
  await t.store.groups.bindAdmin({ platform, conversationId: ADMIN_GROUP, title: '县政府办管理群' }, actor);
  for (const unit of units) {
    await t.store.groups.bindUnit({ platform, conversationId: groupOf(unit), unit, title: `${unit}政务公开群` }, actor);
    if (options.liaisons !== false) {
      const p = liaisonOf(unit);
      await t.store.liaisons.add({ unit, platform, userId: p.id, name: p.name }, actor);
    }
  }
  return [...units];
}
