// Engine CPU per 确认 on the built-in county and on a synthetic county with 10× the units, with the
// county-wide snapshot a confirmation used to compute as the reference. Ratios are measured in this run.
//   npx tsx bench/confirm-cost.ts        (part of `npm run bench`)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlanSchema, createCalendar, directoryOf, type Plan } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { createBot, openStore, type Store } from '../src/index.js';
import { createRenderer } from '../src/templates/render.js';
import { takeSnapshot } from '../src/views/build.js';
import { assignmentsOf } from '../src/views/unit-rows.js';

const texts = createRenderer().text;

const MESSAGES = 300;
const WARMUP = 100;
const NOW = new Date('2022-11-21T02:00:00Z');
const calendar = createCalendar();

/** The built-in plan with every unit cloned `factor - 1` times (same kind, no aliases): group tasks reach all clones. */
function scaled(plan: Plan, factor: number): Plan {
  const clones = directoryOf(plan).units.flatMap((u) => Array.from({ length: factor - 1 }, (_, i) => ({ name: `${u.name}${i + 2}号`, kind: u.kind, aliases: [] })));
  return PlanSchema.parse({ ...plan, units: [...plan.units, ...clones] });
}

/** (unit, task) pairs of the county: a quarter confirmed beforehand; those of one-milestone tasks among the rest left open for the benchmark. */
function pairs(plan: Plan): { done: Array<[string, number, string]>; open: Array<[string, number]> } {
  const done: Array<[string, number, string]> = [];
  const open: Array<[string, number]> = [];
  let n = 0;
  for (const [task, units] of assignmentsOf(plan)) {
    const milestones = plan.tasks.find((t) => t.no === task)?.milestones ?? [];
    for (const unit of units.keys()) {
      const only = milestones.length === 1 ? milestones[0] : undefined;
      if (n++ % 4 === 0 && milestones[0]) done.push([unit, task, milestones[0].due]);
      else if (only) open.push([unit, task]);
    }
  }
  return { done, open };
}

async function seed(store: Store, plan: Plan, done: Array<[string, number, string]>): Promise<void> {
  const ctx = { actor: { platform: 'cli', id: 'bench', channel: 'cli' }, at: NOW };
  await store.transaction(async (tx) => {
    for (const unit of directoryOf(plan).units) await tx.groups.bindUnit({ platform: 'bench', conversationId: `g-${unit.name}`, unit: unit.name }, ctx);
    let i = 0;
    for (const [unit, task, due] of done) {
      await tx.confirmations.add(
        { year: plan.year, unit, task, due, at: new Date(NOW.getTime() - (i++ % 200) * 86_400_000), platform: 'bench', conversationId: `g-${unit}`, senderId: 'u', senderName: '联络员' },
        ctx,
      );
    }
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** CPU time of `fn` in ms: user + system, and user alone (system time is mostly the commit's fsync). */
async function cpuMs(fn: () => Promise<unknown>): Promise<{ total: number; user: number }> {
  const before = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(before);
  return { total: (d.user + d.system) / 1000, user: d.user / 1000 };
}

async function measure(label: string, plan: Plan) {
  const dir = mkdtempSync(join(tmpdir(), 'zwgk-bench-'));
  const store = await openStore({ filename: join(dir, 'zwgk.sqlite') });
  try {
    const { done, open } = pairs(plan);
    if (open.length < WARMUP + MESSAGES) throw new Error(`only ${open.length} open (unit, task) pairs for ${WARMUP + MESSAGES} messages`);
    await seed(store, plan, done);
    const bot = createBot({ plan, store, clock: () => NOW, calendar, digest: { enabled: false } });
    const samples: number[] = [];
    const userSamples: number[] = [];
    let written = 0;
    for (let i = 0; i < WARMUP + MESSAGES; i++) {
      const [unit, task] = open[(i * 7919) % open.length] ?? ['', 0];
      const msg = { platform: 'bench', conversationId: `g-${unit}`, messageId: `m-${i}`, senderId: 'u', senderName: '联络员', text: `确认 ${task}`, mentions: [], isGroup: true };
      let wrote = false;
      const ms = await cpuMs(async () => {
        wrote = (await bot.handleMessage(msg)).wrote;
      });
      if (i >= WARMUP) {
        samples.push(ms.total);
        userSamples.push(ms.user);
        if (wrote) written++;
      }
    }
    const snapshots: number[] = [];
    for (let i = 0; i < 20; i++) snapshots.push((await cpuMs(() => takeSnapshot(store, plan, NOW, calendar, 10, texts))).total);
    return { label, units: directoryOf(plan).units.length, records: done.length, confirm: median(samples), user: median(userSamples), written, snapshot: median(snapshots.slice(3)) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
const builtIn = getPlan('qinyuan-2022');
const small = await measure('built-in county (qinyuan-2022)', builtIn);
const large = await measure('synthetic county, 10× the units', scaled(builtIn, 10));
const ratio = large.confirm / small.confirm;

const load = loadAtStart;
console.log('\nEngine CPU per 确认 (median of %d messages each, process.cpuUsage around bot.handleMessage; load average %s)\n', MESSAGES, load);
console.table(
  [small, large].map((r) => ({
    county: r.label,
    units: r.units,
    'confirmations on file': r.records,
    '确认 ms (median)': Number(r.confirm.toFixed(3)),
    'of which user ms': Number(r.user.toFixed(3)),
    'recorded': `${r.written}/${MESSAGES}`,
    'county-wide snapshot ms (old path)': Number(r.snapshot.toFixed(2)),
  })),
);
console.log(`GOAL built-in county: ${small.confirm.toFixed(3)} ms per 确认 (goal ≤ 2 ms): ${small.confirm <= 2 ? 'met' : 'NOT MET'}`);
console.log(`GOAL 10× the units / built-in: ${ratio.toFixed(2)}× (goal ≤ 1.3×): ${ratio <= 1.3 ? 'met' : 'NOT MET'}`);
console.log(`(load average ${load} at the start, ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; on a 2-core machine above ~2 the CPU figures run high)`);
console.log(`old path for reference: the snapshot alone was ${(small.snapshot / small.confirm).toFixed(1)}× / ${(large.snapshot / small.confirm).toFixed(1)}× today's whole 确认\n`);
