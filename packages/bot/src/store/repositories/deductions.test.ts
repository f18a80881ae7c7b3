import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

describe.each(DIALECTS)('DeductionRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('stores deductions with fractional points, by year', async () => {
    await store.deductions.add({ year: 2022, unit: '郭道镇', points: 1.5, reason: '迟报' }, cli);
    expect(await store.deductions.list({ year: 2022 })).toMatchObject([{ points: 1.5, reason: '迟报' }]);
    expect(await store.deductions.list({ year: 2023 })).toEqual([]);
    expect((await store.audit.list()).map((e) => e.action)).toEqual(['deduction.add']);
  });

  it('withdraws a deduction once: it no longer counts but stays stored and audited', async () => {
    const id = await store.deductions.add({ year: 2022, unit: '郭道镇', points: 2, reason: '网站检查发现错链' }, cli);
    expect(await store.deductions.remove(id, cli)).toBe(true);
    expect(await store.deductions.remove(id, cli)).toBe(false);
    expect(await store.deductions.list({ year: 2022 })).toEqual([]);
    expect((await store.deductions.list({ year: 2022, includeRemoved: true })).map((d) => d.removedAt)).toEqual([at.toISOString()]);
    expect((await store.audit.list()).map((e) => e.action)).toEqual(['deduction.add', 'deduction.remove']);
  });
});
