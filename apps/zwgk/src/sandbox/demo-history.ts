import type { Store } from '@zwgk/bot';
import type { ChangeContext } from '@zwgk/bot/store';
import { addDays, directoryOf, milestoneDue, shanghaiInstant, type Plan } from '@zwgk/sdk';
import type { DemoGroup } from './demo-county.js';

/** A small deterministic generator (mulberry32), so every sandbox start shows the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What {@link seedDemoHistory} wrote, for the start-up banner and tests. */
export interface DemoHistory {
  confirmations: number;
  late: number;
  briefings: number;
  highlights: number;
}

/**
 * Gives the sandbox county a plausible past as of `asOf`: most milestones already due were confirmed by
 * their liaisons (most on time, some late, some never), about half of the units' leaders have heard a
 * briefing, and a few 亮点 entries are submitted. The rest is left for the person trying the sandbox.
 */
export async function seedDemoHistory(store: Store, plan: Plan, groups: readonly (DemoGroup & { conversationId: string })[], asOf: string): Promise<DemoHistory> {
  const next = random(plan.year);
  const directory = directoryOf(plan);
  const ctx: ChangeContext = { actor: { platform: 'cli', id: 'sandbox', channel: 'system' } };
  const history: DemoHistory = { confirmations: 0, late: 0, briefings: 0, highlights: 0 };
  const byUnit = new Map(groups.filter((g) => g.unit).map((g) => [g.unit!, g]));
  const at = (date: string) => shanghaiInstant(date, `${String(9 + Math.floor(next() * 8)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}`);

  for (const task of plan.tasks) {
    for (const { unit } of directory.expand(task.units, task.no)) {
      const group = byUnit.get(unit);
      if (!group) continue;
      for (const milestone of task.milestones) {
        // A milestone the plan's issue date moves past asOf, or rules out this year, has nothing to confirm yet.
        const when = milestoneDue(plan, milestone);
        const due = when.due;
        if (!when.applicable || due >= asOf) continue;
        const roll = next();
        if (roll >= 0.86) continue;
        const late = roll >= 0.72;
        const day = late ? addDays(due, 1 + Math.floor(next() * 12)) : addDays(due, -Math.floor(next() * 20));
        if (day >= asOf) continue;
        await store.confirmations.add(
          {
            year: plan.year,
            unit,
            task: task.no,
            due,
            at: at(day),
            platform: 'dingtalk',
            conversationId: group.conversationId,
            senderId: group.liaison.staffId,
            senderName: group.liaison.nick,
            evidence: next() < 0.5 ? [`https://www.qinyuan.gov.cn/zwgk/${plan.year}/${task.no}-${history.confirmations + 1}.html`] : [],
          },
          ctx,
        );
        history.confirmations++;
        if (late) history.late++;
      }
    }
  }

  const firstHalf = Math.max(0, Math.min(180, (Date.parse(asOf) - Date.parse(`${plan.year}-01-10`)) / 86_400_000));
  for (const group of byUnit.values()) {
    if (firstHalf > 0 && next() < 0.5) {
      const date = addDays(`${plan.year}-01-10`, Math.floor(next() * firstHalf));
      await store.briefings.add({ year: plan.year, unit: group.unit!, date, note: '主要负责人听取政务公开工作汇报', conversationId: group.conversationId }, ctx);
      history.briefings++;
    }
  }
  for (const [unit, title] of [
    ['郭道镇', '“政策明白卡”进村入户'],
    ['县行政审批局', '政务公开专区“一站式”咨询'],
    ['县财政局', '惠民惠农补贴“一卡通”公开'],
  ] as const) {
    const group = byUnit.get(unit);
    if (!group) continue;
    await store.highlights.add({ year: plan.year, unit, title, conversationId: group.conversationId }, ctx);
    history.highlights++;
  }
  return history;
}
