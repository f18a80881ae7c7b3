import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const office: ChangeContext = { actor: { platform: 'dingtalk', id: 'admin', conversationId: 'a1' }, at };
const unit: ChangeContext = { actor: { platform: 'dingtalk', id: 'u1', conversationId: 'g1' }, at: new Date('2022-11-25T02:00:00Z') };

describe.each(DIALECTS)('RectificationRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('moves an item from 待整改 to 已整改 to 复查通过 and keeps every step in the audit log', async () => {
    const id = await store.rectifications.add({ year: 2022, unit: '郭道镇', item: '网站栏目更新不及时', due: '2022-12-15' }, office);
    expect((await store.rectifications.list({ year: 2022, open: true })).map((r) => [r.id, r.state])).toEqual([[id, 'open']]);
    const done = await store.rectifications.rectify(id, { unit: '郭道镇', note: '已更新' }, unit);
    expect(done).toMatchObject({ success: true, data: { state: 'rectified', rectifiedNote: '已更新' } });
    expect(await store.rectifications.rectify(id, { unit: '郭道镇' }, unit)).toMatchObject({ success: false, error: 'already_rectified' });
    expect(await store.rectifications.verify(id, office)).toMatchObject({ success: true, data: { state: 'verified' } });
    expect(await store.rectifications.list({ year: 2022, open: true })).toEqual([]);
    expect((await store.rectifications.get(id))?.verifiedAt).toBe(at.toISOString());
    expect((await store.audit.list()).map((e) => e.action)).toEqual(['rectification.add', 'rectification.rectify', 'rectification.verify']);
  });

  it('refuses another unit’s item and an unknown one, and sends a reported item back on a failed 复查', async () => {
    const id = await store.rectifications.add({ year: 2022, unit: '郭道镇', item: '政策解读缺失', due: '2022-12-15' }, office);
    expect(await store.rectifications.rectify(id, { unit: '沁河镇' }, unit)).toMatchObject({ success: false, error: 'other_unit' });
    expect(await store.rectifications.rectify(999, {}, unit)).toMatchObject({ success: false, error: 'not_found' });
    expect(await store.rectifications.reopen(id, '未整改到位', office)).toMatchObject({ success: false, error: 'not_rectified' });
    await store.rectifications.rectify(id, { unit: '郭道镇' }, unit);
    expect(await store.rectifications.reopen(id, '未整改到位', office)).toMatchObject({ success: true, data: { state: 'open' } });
    expect((await store.rectifications.list({ year: 2022, unit: '郭道镇' })).map((r) => r.state)).toEqual(['open']);
  });
});
