import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');

describe.each(DIALECTS)('InboxRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('counts a platform message id once', async () => {
    const msg = { platform: 'memory', messageId: 'm1', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: { text: 'ok' } };
    expect(await store.inbox.record(msg, at)).toBe(true);
    expect(await store.inbox.record(msg, at)).toBe(false);
    expect(await store.inbox.record({ ...msg, platform: 'other' }, at)).toBe(true);
    expect(await store.inbox.find('memory', 'm1')).toMatchObject({ reply: { text: 'ok' }, repliedAt: null });
    await store.inbox.markReplied('memory', 'm1', at);
    expect((await store.inbox.find('memory', 'm1'))?.repliedAt).toBe(at.toISOString());
  });
});
