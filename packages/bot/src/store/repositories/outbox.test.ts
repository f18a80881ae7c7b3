import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');

describe.each(DIALECTS)('OutboxRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('keeps one outbox entry per group and week, claimed by one sender at a time', async () => {
    const entry = { week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit' as const, unit: '郭道镇' };
    expect(await store.outbox.enqueue(entry, at)).toBe(true);
    expect(await store.outbox.enqueue(entry, at)).toBe(false);
    expect(await store.outbox.enqueue({ ...entry, week: '2022-W48' }, at)).toBe(true);
    const [row] = await store.outbox.list({ week: '2022-W47' });
    if (!row) throw new Error('no outbox row');
    const staleBefore = new Date(at.getTime() - 600_000);
    expect(await store.outbox.claim(row.id, at, staleBefore)).toBe(true);
    expect(await store.outbox.claim(row.id, at, staleBefore)).toBe(false);
    // A claim older than the stale limit is taken over (its sender died mid-send).
    const takeover = new Date(at.getTime() + 700_000);
    expect(await store.outbox.claim(row.id, takeover, new Date(at.getTime() + 100_000))).toBe(true);
    expect(await store.outbox.markSent(row.id, takeover, takeover)).toBe(true);
    expect(await store.outbox.claim(row.id, at, new Date(at.getTime() + 10_000_000))).toBe(false);
    expect((await store.outbox.list({ week: '2022-W47' }))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lets only the current claim mark a digest sent or failed', async () => {
    await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at);
    const [row] = await store.outbox.list();
    if (!row) throw new Error('no outbox row');
    const takeover = new Date(at.getTime() + 700_000);
    expect(await store.outbox.claim(row.id, at, new Date(at.getTime() - 1))).toBe(true);
    // The first sender stalls; a later pass takes its claim over as stale and sends the digest.
    expect(await store.outbox.claim(row.id, takeover, new Date(at.getTime() + 1))).toBe(true);
    expect(await store.outbox.markSent(row.id, takeover, takeover)).toBe(true);
    // The stalled sender finally fails (or succeeds): neither may touch the row it no longer holds.
    expect(await store.outbox.markFailed(row.id, 'timeout', false, at)).toBe(false);
    expect(await store.outbox.markSent(row.id, takeover, at)).toBe(false);
    expect((await store.outbox.list())[0]).toMatchObject({ status: 'sent', lastError: null, attempts: 2 });
    // A pending row (nobody holds it) is not marked either.
    await store.outbox.enqueue({ week: '2022-W48', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at);
    const pending = (await store.outbox.list({ week: '2022-W48' }))[0];
    if (!pending) throw new Error('no outbox row');
    expect(await store.outbox.markFailed(pending.id, 'x', true, at)).toBe(false);
    expect((await store.outbox.list({ week: '2022-W48' }))[0]).toMatchObject({ status: 'pending' });
  });
});

describe.each(DIALECTS)('OutboxRepository.claimBatch (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('claims ready digests oldest first, each once, and takes stale claims over', async () => {
    for (const g of ['g1', 'g2', 'g3']) await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: g, kind: 'unit', unit: g }, at);
    await store.outbox.enqueue({ week: '2022-W48', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: 'g1' }, at);
    const staleBefore = new Date(at.getTime() - 600_000);
    const first = await store.claimDigests({ limit: 2, week: '2022-W47' }, at, staleBefore);
    expect(first.map((e) => [e.conversationId, e.status, e.attempts])).toEqual([['g1', 'sending', 1], ['g2', 'sending', 1]]);
    const second = await store.outbox.claimBatch({ limit: 5, week: '2022-W47' }, at, staleBefore);
    expect(second.map((e) => e.conversationId)).toEqual(['g3']);
    expect(await store.outbox.claimBatch({ limit: 5, week: '2022-W47' }, at, staleBefore)).toEqual([]);
    const [g1] = first;
    if (!g1) throw new Error('no claim');
    expect(await store.outbox.markSent(g1.id, at, at)).toBe(true);
    // Ten minutes on, the unsent claims are stale: g2 and g3 are claimed again, g1 is not.
    const takeover = new Date(at.getTime() + 700_000);
    const retaken = await store.outbox.claimBatch({ limit: 5, week: '2022-W47' }, takeover, new Date(at.getTime() + 1));
    expect(retaken.map((e) => [e.conversationId, e.attempts])).toEqual([['g2', 2], ['g3', 2]]);
  });
});

describe.each(DIALECTS)('OutboxRepository for several senders (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('queues every bound group of a week once, without reading the groups out', async () => {
    const by = { actor: { platform: 'cli', id: 't', channel: 'cli' }, at };
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, by);
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g2', unit: '沁河镇' }, by);
    await store.groups.bindAdmin({ platform: 'memory', conversationId: 'boss' }, by);
    expect(await store.outbox.enqueueBound('2022-W47', at)).toBe(3);
    expect(await store.outbox.enqueueBound('2022-W47', at)).toBe(0);
    const rows = await store.outbox.list({ week: '2022-W47' });
    expect(rows.map((r) => [r.conversationId, r.kind, r.unit, r.status, r.attempts]).sort()).toEqual([
      ['boss', 'admin', null, 'pending', 0],
      ['g1', 'unit', '郭道镇', 'pending', 0],
      ['g2', 'unit', '沁河镇', 'pending', 0],
    ]);
    expect(await store.outbox.countClaimable({ week: '2022-W47' }, at)).toBe(3);
    await store.outbox.claimBatch({ limit: 1, week: '2022-W47', holder: 'h:1' }, at, at);
    expect(await store.outbox.countClaimable({ week: '2022-W47' }, at)).toBe(2);
  });

  it('settles only the claims of holders that are not alive', async () => {
    for (const g of ['g1', 'g2', 'g3', 'g4']) await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: g, kind: 'unit', unit: g }, at);
    const [d1, d2] = await store.outbox.claimBatch({ limit: 2, holder: 'dead:1' }, at, at);
    const [live] = await store.outbox.claimBatch({ limit: 1, holder: 'live:1' }, at, at);
    const [single] = await store.outbox.claimBatch({ limit: 1 }, at, at);
    expect(await store.outbox.markStarted(d1!.id, at, at)).toBe(true);
    expect(await store.outbox.markStarted(live!.id, at, at)).toBe(true);
    const recovered = await store.outbox.recoverAbandoned(at, ['live:1']);
    expect(recovered.requeued).toBe(1);
    expect(recovered.uncertain.map((e) => e.id)).toEqual([d1!.id]);
    const rows = new Map((await store.outbox.list({})).map((r) => [r.id, r]));
    expect(rows.get(d1!.id)).toMatchObject({ status: 'failed' });
    expect(rows.get(d2!.id)).toMatchObject({ status: 'pending' });
    expect(rows.get(live!.id)).toMatchObject({ status: 'sending' });
    expect(rows.get(single!.id)).toMatchObject({ status: 'sending' });
  });
});
