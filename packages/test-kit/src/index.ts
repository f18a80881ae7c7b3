/**
 * @zwgk/test-kit — private helpers for zwgk's end-to-end tests: an in-memory chat adapter, a manual clock,
 * a small Qinyuan-shaped plan and a ready-made bot.
 *
 * @example
 * import { createTestBot, setupCounty, groupOf, liaisonOf } from '@zwgk/test-kit';
 * const t = await createTestBot();
 * await setupCounty(t);
 * const [receipt] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '确认 4');
 *
 * @packageDocumentation
 */
export { MemoryAdapter, createMemoryAdapter, textOf } from './memory-adapter.js';
export type { MemoryAdapterOptions, Person, SayOptions, SentRecord } from './memory-adapter.js';
export { manualClock } from './clock.js';
export type { ManualClock } from './clock.js';
export { samplePlan } from './plan.js';
export { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty } from './test-bot.js';
export type { TestBot, TestBotOptions } from './test-bot.js';
