import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPlainText } from '@zwgk/chat-contract';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from './adapter.js';
import { createBot, type Bot } from './engine.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

const now = new Date('2022-12-05T02:00:00Z');
const cli = { actor: { platform: 'cli', id: 'ops', channel: 'cli' as const }, at: now };
let n = 0;

function message(conversationId: string, senderId: string, text: string): IncomingMessage {
  n += 1;
  return { platform: 'test', conversationId, messageId: `m-${n}`, senderId, senderName: senderId, text, mentions: [], isGroup: true };
}

describe('an office’s wording (templatesDir)', () => {
  let dir: string;
  let store: Store;
  let bot: Bot;

  beforeEach(async () => {
    // What docs/bot.md tells an office to do: a folder with only the texts it changes.
    dir = mkdtempSync(join(tmpdir(), 'zwgk-wording-'));
    writeFileSync(
      join(dir, 'texts.json'),
      JSON.stringify({ 'bind.done.title': '本群绑定好了', 'days.overdue': '已超期 {days} 天', 'status.overdue': '超期', 'exempt.done.title': '豁免已登记' }),
    );
    store = await openStore({ filename: ':memory:' });
    await store.admins.add({ platform: 'test', userId: 'office', name: '县政府办' }, cli);
    bot = createBot({ plan: getPlan('qinyuan-2022'), store, clock: () => now, templatesDir: dir, digest: { enabled: false } });
  });

  afterEach(async () => {
    await bot.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const say = async (conversationId: string, senderId: string, text: string) => {
    const result = await bot.handleMessage(message(conversationId, senderId, text));
    if (!result.reply) throw new Error(`no reply to ${text}`);
    return renderPlainText(result.reply);
  };

  it('says the office’s words in admin replies and status rows, and the built-in ones elsewhere', async () => {
    const bound = await say('g-1', 'office', '绑定 县司法局');
    expect(bound).toContain('本群绑定好了');
    expect(bound).not.toContain('绑定成功');
    expect(bound).toContain('本群已绑定：县司法局');

    // Task 4 of 县司法局 (due 11-30) is overdue on 12-05: its row words come from the office's catalogue.
    const progress = await say('g-1', 'someone', '进度 4');
    expect(progress).toContain('超期');
    expect(progress).toContain('已超期 5 天');
    expect(progress).not.toContain('逾期 5 天');

    const exempted = await say('g-1', 'office', '豁免 4 县司法局 另有安排');
    expect(exempted).toContain('豁免已登记');
    expect(exempted).toContain('原因：另有安排');
  });
});
