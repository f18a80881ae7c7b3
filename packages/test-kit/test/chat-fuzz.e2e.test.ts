import type { Store } from '@zwgk/bot';
import { parseCommand } from '@zwgk/bot/grammar';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_GROUP, createTestBot, groupOf, setupCounty, type TestBot } from '../src/index.js';

/** The size of every table a message could change. */
async function counts(store: Store): Promise<Record<string, number>> {
  const tables = ['confirmations', 'briefings', 'highlights', 'exemptions', 'liaisons', 'admins', 'unitGroups', 'adminGroups', 'processedMessages', 'auditLog', 'digestOutbox'] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    let q = store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    // A message only answered is kept with changed = 0 (so a redelivery is not answered again): not a change.
    if (table === 'processedMessages') q = q.where('changed' as never, '=', 1 as never);
    const row = await q.executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  out.activeConfirmations = (await store.confirmations.list({ year: 2022 })).length;
  return out;
}

const words = ['确认', '撤销', '本周', '进度', '汇报', '亮点', '帮助', '绑定', '解绑', '联络员', '催办', '豁免', '入选', '考核', '导出', 'confirm', 'undo', 'status', '@助手 ', '第', '号', '、', '６．２'];
const chatText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.constantFrom(...words), fc.string({ unit: 'grapheme', maxLength: 30 })).map(([w, tail]) => w + tail),
  fc.array(fc.constantFrom(...words, '4', '99', '0', '-1', ' ', '\n', 'https://x.cn/a', '行政处罚', '郭道镇', '2022-13-45', '3月31日'), { maxLength: 8 }).map((parts) => parts.join('')),
);
const sender = fc.constantFrom({ id: 'm-1', name: '群成员' }, { id: 'm-2', name: '' }, { id: '', name: '无名' });

describe('random chat text', () => {
  let t: TestBot;
  const errors: object[] = [];
  beforeAll(async () => {
    const logger = { info: () => {}, warn: () => {}, error: (obj: object) => void errors.push(obj) };
    t = await createTestBot({ now: '2022-11-21 10:00', logger });
    await setupCounty(t, { units: ['郭道镇'] });
  });
  afterAll(async () => t.close());

  it('never crashes the engine and never writes a record, except a record command from the unit’s group', async () => {
    const tasks = t.plan.tasks.map((x) => ({ no: x.no, name: x.name }));
    let before = await counts(t.store);
    await fc.assert(
      fc.asyncProperty(chatText, sender, fc.constantFrom(groupOf('郭道镇'), 'g-unbound', ADMIN_GROUP), async (text, who, conversation) => {
        const replies = await t.chat.say(conversation, who, text);
        expect(replies).toHaveLength(1);
        expect(errors).toEqual([]);
        const after = await counts(t.store);
        const kind = parseCommand(text, { tasks, now: t.clock.now(), year: 2022 }).kind;
        const mayWrite = conversation === groupOf('郭道镇') && ['confirm', 'undo', 'briefing', 'highlight'].includes(kind);
        if (!mayWrite) expect(after).toEqual(before);
        before = after;
      }),
      { numRuns: 400 },
    );
  });

  it('from outside a unit group, or from a non-admin, changes nothing at all', async () => {
    const before = await counts(t.store);
    await fc.assert(
      fc.asyncProperty(chatText, sender, fc.constantFrom('g-unbound', ADMIN_GROUP, 'dm-1'), async (text, who, conversation) => {
        await t.chat.say(conversation, who, text, { isGroup: conversation !== 'dm-1' });
        expect(errors).toEqual([]);
        expect(await counts(t.store)).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
