import { PlanSchema, createCalendar, type PlanInput } from '@zwgk/sdk';
import { qinyuanUnits } from '@zwgk/sdk/qinyuan';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import { createRenderer } from '../templates/render.js';
import { rowView, shortLink, takeSnapshot } from './build.js';

describe('shortLink', () => {
  it('shows the host and the last path segment, without www and the query', () => {
    expect(shortLink('https://www.qinyuan.gov.cn/xxgk/zfxxgk/xzcf/index.html?id=3')).toBe('qinyuan.gov.cn/…/index.html');
    expect(shortLink('https://gdz.qinyuan.gov.cn/xzcf')).toBe('gdz.qinyuan.gov.cn/xzcf');
    expect(shortLink('https://gdz.qinyuan.gov.cn/')).toBe('gdz.qinyuan.gov.cn');
  });

  it('decodes the segment and keeps to the length limit', () => {
    expect(shortLink('https://x.cn/a/%E5%85%AC%E5%BC%80')).toBe('x.cn/…/公开');
    const long = shortLink(`https://example.gov.cn/a/${'b'.repeat(80)}`);
    expect([...long]).toHaveLength(40);
    expect(long.endsWith('…')).toBe(true);
    expect([...shortLink('https://a.cn/xyz', 8)]).toHaveLength(8);
  });

  it('copes with text that is no URL', () => {
    expect(shortLink('https://')).toBe('https://');
    expect(shortLink('http://bad host/x')).toBe('bad host/x');
  });
});

describe('rowView', () => {
  const task = (no: number, due: string): PlanInput['tasks'][number] => ({
    no,
    name: `任务${no}`,
    content: '',
    responsibility: '郭道镇',
    deadline: due,
    units: [{ unit: '郭道镇', role: 'responsible' }],
    milestones: [{ due, label: due }],
  });
  const plan = PlanSchema.parse({
    county: '沁源县',
    year: 2022,
    title: 'test',
    units: qinyuanUnits.map((u) => ({ name: u.name, kind: u.kind, aliases: [...u.aliases] })),
    // As of Friday 2022-09-30: overdue since 09-20, due today, due on the National Day holiday, due after it.
    tasks: [task(1, '2022-09-20'), task(2, '2022-09-30'), task(3, '2022-10-01'), task(4, '2022-10-14')],
  });
  const calendar = createCalendar();

  it('counts overdue in calendar days and what is left in working days', async () => {
    const store = await openStore({ filename: ':memory:' });
    try {
      const snap = await takeSnapshot(store, plan, new Date('2022-09-30T10:00:00+08:00'), calendar, 10, createRenderer().text);
      const text = new Map(snap.rows.map((r) => [r.task, rowView(r, snap).daysText]));
      expect(text.get(1)).toBe('逾期 10 天');
      expect(text.get(2)).toBe('今天到期');
      // Due on a holiday with no working day before it: not "today".
      expect(text.get(3)).toBe('还剩 0 个工作日');
      expect(text.get(4)).toBe(`还剩 ${calendar.workingDaysBetween('2022-09-30', '2022-10-14')} 个工作日`);
    } finally {
      await store.close();
    }
  });
});
