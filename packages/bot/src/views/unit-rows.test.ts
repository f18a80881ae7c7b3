import { createCalendar, directoryOf, type StatusRow } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import type { ChangeContext, Store } from '../store/store.js';
import { createRenderer } from '../templates/render.js';
import { takeSnapshot } from './build.js';
import { assignmentsOf, unitTaskRows } from './unit-rows.js';

const plan = getPlan('qinyuan-2022');
const calendar = createCalendar();
const now = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1' }, at: now };

function comparable(rows: readonly StatusRow[]) {
  return rows.map((r) => [r.task, r.unit, r.role, r.due, r.status, r.workingDaysLeft, r.confirmedAt ?? null]);
}

describe('unitTaskRows', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ filename: ':memory:' });
  });
  afterEach(async () => store.close());

  it('equals the unit’s rows of those tasks in a county-wide snapshot, for every unit', async () => {
    const units = directoryOf(plan).units.map((u) => u.name);
    const confirm = (unit: string, task: number, due: string, at: string) =>
      store.confirmations.add({ year: 2022, unit, task, due, at: new Date(at), platform: 'memory', conversationId: 'g', senderId: 'u1', senderName: '张三' }, ctx);
    // Records for a third of the units on every task they have, on time, late and not yet; some exemptions.
    let n = 0;
    for (const [task, assigned] of assignmentsOf(plan)) {
      const milestones = plan.tasks.find((t) => t.no === task)?.milestones ?? [];
      for (const unit of assigned.keys()) {
        n++;
        const first = milestones[0];
        if (n % 3 === 0 && first) await confirm(unit, task, first.due.startsWith('2022') ? first.due : `2022${first.due.slice(4)}`, n % 2 ? '2022-03-01T02:00:00Z' : '2022-11-20T02:00:00Z');
        if (n % 17 === 0) await store.exemptions.add({ year: 2022, task, unit, reason: '不涉及' }, ctx);
      }
    }
    const snap = await takeSnapshot(store, plan, now, calendar, 10, createRenderer().text);
    const statuses = new Set(snap.rows.map((r) => r.status));
    for (const status of ['done', 'done_late', 'exempt', 'overdue'] as const) expect(statuses).toContain(status);
    const tasks = plan.tasks.map((t) => t.no);
    let compared = 0;
    for (const unit of units) {
      const rows = await unitTaskRows(store, { plan, unit, tasks, now, calendar, horizonDays: 10 });
      expect(comparable(rows)).toEqual(comparable(snap.byUnit.get(unit) ?? []));
      compared += rows.length;
    }
    expect(compared).toBe(snap.rows.length);
  });

  it('computes only the named tasks and nothing for a task the unit does not have', async () => {
    const rows = await unitTaskRows(store, { plan, unit: '郭道镇', tasks: [4, 4], now, calendar, horizonDays: 10 });
    expect(new Set(rows.map((r) => r.task))).toEqual(new Set([4]));
    const notAssigned = plan.tasks.find((t) => !assignmentsOf(plan).get(t.no)?.has('郭道镇'));
    if (!notAssigned) throw new Error('every task has 郭道镇');
    expect(await unitTaskRows(store, { plan, unit: '郭道镇', tasks: [notAssigned.no], now, calendar, horizonDays: 10 })).toEqual([]);
    expect(await unitTaskRows(store, { plan, unit: '不存在的单位', tasks: [4], now, calendar, horizonDays: 10 })).toEqual([]);
  });
});
