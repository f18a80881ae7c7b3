import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_GROUP, createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

describe('replies in DingTalk markdown', () => {
  let t: TestBot;
  beforeEach(async () => {
    t = await createTestBot({ now: '2022-11-21 10:00', chat: { style: 'markdown' } });
    await setupCounty(t, { units: ['郭道镇', '沁河镇', '县司法局', '县市场监管局'] });
  });
  afterEach(async () => t.close());

  it('show a highlight number without a stray backslash', async () => {
    const [receipt] = await t.chat.say(groupOf('郭道镇'), liaisonOf('郭道镇'), '亮点 政策找人');
    expect(receipt?.text).toContain('亮点 #1「政策找人」已登记为已报送');
    const [selected] = await t.chat.say(ADMIN_GROUP, ADMIN, '入选 1');
    expect(selected?.text).toContain('亮点 #1「政策找人」（郭道镇）已入选');
    const [missing] = await t.chat.say(ADMIN_GROUP, ADMIN, '入选 99');
    expect(missing?.text).toContain('亮点 #编号');
    for (const reply of [receipt, selected, missing]) expect(reply?.text).not.toContain('\\');
  });
});
