import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amendConfirmation } from '../amendments.js';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const chat: ChangeContext = { actor: { platform: 'dingtalk', id: 'u1', conversationId: 'g1' }, at };
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

function confirm(store: Store, task: number, evidence: string[]): Promise<number> {
  return store.confirmations.add({ year: 2022, unit: '郭道镇', task, due: '2022-12-31', at, platform: 'dingtalk', conversationId: 'g1', senderId: 'u1', senderName: '张三', evidence }, chat);
}

describe.each(DIALECTS)('EvidenceCheckRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('requests a check for each link recorded with a confirmation or added to it, in the same transaction', async () => {
    const id = await confirm(store, 4, ['https://a.gov.cn/1', 'https://a.gov.cn/2']);
    await confirm(store, 5, []);
    await amendConfirmation(store, id, { evidence: ['https://a.gov.cn/2', 'https://a.gov.cn/3'] }, chat);
    expect(await store.evidenceChecks.pendingCount()).toBe(3);
    const latest = await store.evidenceChecks.latest([id]);
    expect(latest.get(id)?.map((c) => [c.url, c.state])).toEqual([
      ['https://a.gov.cn/1', 'pending'],
      ['https://a.gov.cn/2', 'pending'],
      ['https://a.gov.cn/3', 'pending'],
    ]);
  });

  it('claims each pending check once, takes over a stale claim, and keeps the first result', async () => {
    await confirm(store, 4, ['https://a.gov.cn/1', 'https://a.gov.cn/2']);
    const first = await store.evidenceChecks.claim(10, at, new Date(at.getTime() - 60_000));
    expect(first.map((c) => c.url)).toEqual(['https://a.gov.cn/1', 'https://a.gov.cn/2']);
    expect(await store.evidenceChecks.claim(10, at, new Date(at.getTime() - 60_000))).toEqual([]);
    const later = new Date(at.getTime() + 120_000);
    const again = await store.evidenceChecks.claim(1, later, new Date(later.getTime() - 60_000));
    expect(again.map((c) => [c.url, c.attempts])).toEqual([['https://a.gov.cn/1', 2]]);
    expect(await store.evidenceChecks.complete(again[0]!.id, { result: 'ok', httpStatus: 200, title: '沁源县人民政府' }, later)).toBe(true);
    expect(await store.evidenceChecks.complete(again[0]!.id, { result: 'timeout' }, later)).toBe(false);
    expect(await store.evidenceChecks.pendingCount()).toBe(1);
  });

  it('lists the latest failing check of each link, not one a later re-check passed, and marks them notified', async () => {
    const id = await confirm(store, 4, ['https://a.gov.cn/1', 'https://b.example.com/2']);
    for (const c of await store.evidenceChecks.claim(10, at, at)) {
      await store.evidenceChecks.complete(c.id, c.url.includes('a.gov.cn') ? { result: 'http_error', httpStatus: 404 } : { result: 'host_not_allowed' }, at);
    }
    const flagged = await store.evidenceChecks.flagged({ year: 2022, unnotified: true });
    expect(flagged.map((f) => [f.unit, f.task, f.url, f.result])).toEqual([
      ['郭道镇', 4, 'https://a.gov.cn/1', 'http_error'],
      ['郭道镇', 4, 'https://b.example.com/2', 'host_not_allowed'],
    ]);
    await store.evidenceChecks.markNotified(flagged.map((f) => f.id), at);
    expect(await store.evidenceChecks.flagged({ unnotified: true })).toEqual([]);

    expect(await store.evidenceChecks.recheck({ year: 2022, unit: '郭道镇' }, cli)).toBe(2);
    for (const c of await store.evidenceChecks.claim(10, at, at)) {
      await store.evidenceChecks.complete(c.id, c.url.includes('a.gov.cn') ? { result: 'ok', httpStatus: 200 } : { result: 'host_not_allowed' }, at);
    }
    expect((await store.evidenceChecks.flagged({ year: 2022 })).map((f) => f.url)).toEqual(['https://b.example.com/2']);
    expect((await store.evidenceChecks.latest([id])).get(id)?.map((c) => c.result)).toEqual(['ok', 'host_not_allowed']);
    expect((await store.audit.list()).map((e) => e.action)).toContain('evidence.recheck');
  });
});
