// Deterministic synthetic province for the scoring benchmark (seeded; no I/O).
import { PlanSchema, RecordsSchema, type Plan, type Records } from '../src/index.js';

export const COUNTIES = 120;
const TOWNSHIPS = 12;
const DEPARTMENTS = 47;
const TASKS = 34;
export const YEAR = 2022;

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthEnd = (m: number) => new Date(Date.UTC(YEAR, m, 0)).toISOString().slice(0, 10);

/** One county: 12 townships + zone + 47 departments, 34 tasks with 1–2 milestones, ~70% confirmed. */
export function makeCounty(c: number): { plan: Plan; records: Records; raw: unknown } {
  const rand = rng(0x5eed + c);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const units = [
    ...Array.from({ length: TOWNSHIPS }, (_, i) => ({ name: `县${c}第${i + 1}镇`, kind: 'township' as const })),
    { name: `县${c}开发区`, kind: 'zone' as const, aliases: ['开发区'] },
    ...Array.from({ length: DEPARTMENTS }, (_, i) => ({ name: `县${c}第${i + 1}局`, kind: 'department' as const })),
  ];
  const departments = units.filter((u) => u.kind === 'department');
  const tasks = Array.from({ length: TASKS }, (_, t) => {
    const no = t + 1;
    // like the Qinyuan plan: most tasks go to every unit, some to a lead with cooperating departments
    const everyone = rand() < 0.8;
    const lead = pick(departments).name;
    const assignments = everyone
      ? [
          { unit: lead, role: 'lead' as const },
          { unit: '各乡镇', role: 'responsible' as const, group: true },
          { unit: '开发区', role: 'responsible' as const },
          { unit: '县直各有关部门', role: 'responsible' as const, group: true },
        ]
      : [
          { unit: lead, role: 'lead' as const },
          ...Array.from({ length: 3 }, () => ({ unit: pick(departments).name, role: 'cooperating' as const })),
        ];
    const dues = rand() < 0.5 ? [monthEnd(1 + Math.floor(rand() * 11)), `${YEAR}-12-31`] : [`${YEAR}-12-31`];
    return {
      no,
      name: `任务${no}`,
      content: `任务${no}的内容。`,
      responsibility: '',
      deadline: '全年',
      units: assignments,
      milestones: [...new Set(dues)].map((due) => ({ due, label: due })),
    };
  });
  const plan = PlanSchema.parse({ county: `县${c}`, year: YEAR, title: `县${c}${YEAR}年政务公开工作要点`, tasks, units });

  const confirmations: unknown[] = [];
  const briefings: unknown[] = [];
  const highlights: unknown[] = [];
  const carryover: unknown[] = [];
  const deductions: unknown[] = [];
  const assigned = new Map<number, string[]>();
  for (const task of tasks) {
    const names = new Set<string>();
    for (const a of task.units) {
      if (a.unit === '各乡镇') {
        for (const u of units) if (u.kind === 'township') names.add(u.name);
      } else if (a.unit === '县直各有关部门') {
        for (const u of departments) names.add(u.name);
      } else if (a.unit === '开发区') names.add(`县${c}开发区`);
      else names.add(a.unit);
    }
    assigned.set(task.no, [...names]);
  }
  for (const task of tasks) {
    for (const unit of assigned.get(task.no)!) {
      for (const m of task.milestones) {
        if (rand() >= 0.7) continue;
        const [, mm, dd] = m.due.split('-').map(Number) as [number, number, number];
        const late = rand() < 0.2;
        const day = late ? Math.min(dd + 1 + Math.floor(rand() * 20), 28) : Math.max(1, dd - Math.floor(rand() * 25));
        const month = late && mm < 12 ? mm + 1 : mm;
        confirmations.push({
          task: task.no,
          unit,
          due: m.due,
          at: `${YEAR}-${pad(month)}-${pad(day)}T${pad(8 + Math.floor(rand() * 12))}:00:00+08:00`,
          evidence: rand() < 0.5 ? [`https://example.gov/${c}/${task.no}`] : [],
        });
      }
    }
  }
  for (const u of units) {
    if (rand() < 0.8) briefings.push({ unit: u.name, date: `${YEAR}-${pad(1 + Math.floor(rand() * 12))}-15` });
    if (rand() < 0.3) highlights.push({ unit: u.name, title: `${u.name}亮点`, status: rand() < 0.3 ? 'selected' : 'submitted' });
    if (rand() < 0.2) carryover.push({ unit: u.name, item: `${u.name}旧账`, resolved: rand() < 0.5 });
    if (rand() < 0.1) deductions.push({ unit: u.name, points: 1 + Math.floor(rand() * 5), reason: '通报扣分' });
  }
  const raw = { year: YEAR, confirmations, briefings, highlights, carryover, deductions };
  return { plan, records: RecordsSchema.parse(raw), raw };
}

