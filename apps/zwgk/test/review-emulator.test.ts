import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRecords } from '@zwgk/bot';
import type { ChatMessage } from '@zwgk/dingtalk-emulator';
import { resolveRubric, score } from '@zwgk/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigSchema } from '../src/config.js';
import { startSandbox, type Sandbox } from '../src/sandbox/sandbox.js';

const config = AppConfigSchema.parse({ logLevel: 'silent' });
const required = (() => {
  const r = resolveRubric({ review: { required: true } });
  if (!r.success) throw new Error(r.error);
  return r.data;
})();
// Messages with buttons arrive as interactive cards (the sandbox configures a card template).
const bodyOf = (m: ChatMessage) => (m.card ? `${m.card.title}\n${m.card.markdown}` : ((m.markdown ?? m.actionCard)?.text ?? m.text ?? ''));

describe('review (复核) end to end through the DingTalk emulator', () => {
  let sandbox: Sandbox;
  let unitGroup: string;
  let adminGroup: string;
  let liaison: string;
  let colleague: string;
  let admin: string;

  /** A member types in a group; resolves with the bot's next message in `replyIn` (default the same group). */
  async function say(conversationId: string, staffId: string, text: string, replyIn = conversationId): Promise<string> {
    const next = sandbox.emulator.nextMessage((m) => m.from === 'bot' && m.conversationId === replyIn, 10_000);
    sandbox.emulator.postMessage(conversationId, { senderStaffId: staffId, text });
    return bodyOf(await next);
  }

  /** 郭道镇's final as of year end: under the default rubric, and when only 通过 counts. */
  async function finals(): Promise<{ lenient: number; strict: number }> {
    const { plan, store } = sandbox.service;
    const records = await exportRecords(store, plan, { asOf: '2022-12-31' });
    const of = (rubric?: typeof required) => score(plan, records, rubric ? { asOf: '2022-12-31', rubric } : { asOf: '2022-12-31' }).units.find((u) => u.unit === '郭道镇')!.final;
    return { lenient: of(), strict: of(required) };
  }

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-review-e2e-'));
    sandbox = await startSandbox({ config, cwd, asOf: '2022-11-21', port: 0, history: false });
    const groups = sandbox.emulator.groups();
    const unit = groups.find((g) => g.title === '郭道镇政务公开工作群')!;
    const office = groups.find((g) => g.title === '县政府办政务公开管理群')!;
    unitGroup = unit.conversationId;
    adminGroup = office.conversationId;
    liaison = unit.members.find((m) => m.staffId.startsWith('liaison-'))!.staffId;
    colleague = unit.members.find((m) => m.staffId.startsWith('staff-'))!.staffId;
    admin = office.members[0]!.staffId;
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  it('confirm → 复核 → 退回 with a reason → the unit sees it → resubmits → 通过; only 通过 changes the score under review.required', async () => {
    const start = await finals();
    const receipt = await say(unitGroup, liaison, '确认 4 https://gdz.qinyuan.gov.cn/xzcf/2022.html');
    expect(receipt).toContain('确认回执');
    const confirmed = await finals();
    expect(confirmed.lenient).toBeGreaterThan(start.lenient);
    expect(confirmed.strict).toBe(start.strict);

    const queue = await say(adminGroup, admin, '复核');
    expect(queue).toContain('待复核（1 项）');
    expect(queue).toContain('郭道镇 · 任务4');
    expect(queue).toContain('https://gdz.qinyuan.gov.cn/xzcf/2022.html');

    const refused = await say(unitGroup, colleague, '通过 4 郭道镇');
    expect(refused).toContain('只有管理员可以复核');

    const told = sandbox.emulator.nextMessage((m) => m.from === 'bot' && m.conversationId === unitGroup, 10_000);
    const returned = await say(adminGroup, admin, '退回 4 郭道镇 链接打开是空白页');
    expect(returned).toContain('已退回 1 项');
    expect(returned).toContain('已在 郭道镇 的群里通知退回原因');
    const notice = await told;
    expect(bodyOf(notice)).toContain('任务4 的确认被退回');
    expect(bodyOf(notice)).toContain('原因：链接打开是空白页');
    expect(notice.via).toBe('openapi');
    expect(await finals()).toEqual(confirmed);

    await sandbox.advance(1);
    const resubmitted = await say(unitGroup, liaison, '补充 4 https://gdz.qinyuan.gov.cn/xzcf/2022-full.html');
    expect(resubmitted).toContain('已重新提交复核（此前退回原因：链接打开是空白页）');
    const again = await say(adminGroup, admin, '复核');
    expect(again).toContain('退回后重新提交');
    expect(again).toContain('https://gdz.qinyuan.gov.cn/xzcf/2022-full.html');
    expect(await finals()).toEqual(confirmed);

    const accepted = await say(adminGroup, admin, '通过 4 郭道镇');
    expect(accepted).toContain('复核通过 1 项');
    expect(accepted).toContain('待复核 → 通过');
    const after = await finals();
    expect(after.lenient).toBe(confirmed.lenient);
    expect(after.strict).toBeGreaterThan(confirmed.strict);

    const progress = await say(unitGroup, liaison, '进度');
    expect(progress).toContain('复核：待复核 0 项，通过 1 项，退回 0 项');
    const actions = (await sandbox.service.store.audit.list()).map((e) => e.action).filter((a) => a.startsWith('review.'));
    expect(actions).toEqual(['review.return', 'review.resubmit', 'review.accept']);
  }, 60_000);
});
