/**
 * Confirmations through the real `dingtalk-stream` client (inside the adapter) and the emulator, against a
 * bare `DWClient` echo bot on the same emulator, in the same run:
 *
 * 1. sustained rate: a burst of messages, time until every one is answered and acknowledged; several rounds
 *    (`BENCH_ROUNDS`, default 5), the bot's and the echo bot's bursts interleaved, after one uncounted round
 *    of each; the ratio is the median of the rounds' (one noisy burst cannot sink or carry it);
 * 2. reply latency at a steady 100 msg/s: from the message entering the emulator to the bot's reply.
 *
 * It also prints the process CPU per message of the burst (`CPU ms`: the bot or echo bot, its client and the
 * emulator, all in this process): on a busy machine wall-clock rates swing, this moves less.
 *
 * The adapter's send limits are lifted with `rate: false` (documented in the README); the emulator has no
 * rate limits unless asked. Goals: bot rate ≥ 0.5× the echo bot's; bot p99 < 50 ms at 100 msg/s.
 * Run: `npm run bench -w @zwgk/dingtalk` (or `npx tsx bench/delivery.ts`). `BENCH_PROFILE=file.cpuprofile`
 * writes a CPU profile of the bot's last burst (open it in Chrome's DevTools or speedscope).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, openStore, type Bot, type Store } from '@zwgk/bot';
import { SANDBOX_APP, startEmulator, type ChatMessage, type Emulator, type Group } from '@zwgk/dingtalk-emulator';
import { planStatuses } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { DWClient, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { createDingTalkAdapter } from '../src/index.js';

const BURST = Number(process.env.BENCH_BURST ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PROFILE = process.env.BENCH_PROFILE;
const RATE = 100;
const STEADY_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const now = new Date('2022-11-21T02:00:00Z'); // Monday 10:00 in Shanghai
const plan = getPlan('qinyuan-2022');

/** The official client pointed at the emulator: the gateway URL is hard-coded, so getEndpoint asks the emulator. */
class LoopbackDWClient extends DWClient {
  constructor(private readonly apiBase: string) {
    super({ clientId: SANDBOX_APP.clientId, clientSecret: SANDBOX_APP.clientSecret, ua: 'zwgk-bench/1.0' });
  }
  override async getEndpoint(): Promise<this> {
    const res = await fetch(`${this.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, ua: this.config.ua, subscriptions: this.config.subscriptions }),
    });
    const { endpoint, ticket } = (await res.json()) as { endpoint: string; ticket: string };
    (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }
}

interface Target {
  start(emu: Emulator, groups: Group[]): Promise<void>;
  stop(): Promise<void>;
}

/** The baseline: receives each robot message, answers through its session webhook, acknowledges. */
function echoBot(): Target {
  let client: LoopbackDWClient | undefined;
  return {
    async start(emu) {
      client = new LoopbackDWClient(emu.url);
      client.registerCallbackListener(TOPIC_ROBOT, (frame: DWClientDownStream) => {
        const data = JSON.parse(frame.data) as { sessionWebhook: string; text?: { content?: string } };
        void fetch(data.sessionWebhook, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ msgtype: 'text', text: { content: `收到：${data.text?.content ?? ''}` } }),
        }).then(() => client?.socketCallBackResponse(frame.headers.messageId, null));
      });
      await client.connect();
    },
    async stop() {
      client?.disconnect();
    },
  };
}

/** The zwgk bot: adapter (dingtalk-stream inside) + engine + a SQLite file. */
function zwgkBot(): Target {
  let bot: Bot | undefined;
  let store: Store | undefined;
  let dir: string | undefined;
  return {
    async start(emu, groups) {
      dir = mkdtempSync(join(tmpdir(), 'zwgk-bench-'));
      store = await openStore({ filename: process.env.BENCH_MEMORY ? ':memory:' : join(dir, 'bench.sqlite') });
      const actor = { actor: { platform: 'cli', id: 'bench', channel: 'cli' }, at: now };
      for (const g of groups) {
        await store.groups.bindUnit({ platform: 'dingtalk', conversationId: g.conversationId, unit: unitOf.get(g.conversationId)!, title: g.title }, actor);
      }
      const adapter = createDingTalkAdapter({ clientId: SANDBOX_APP.clientId, clientSecret: SANDBOX_APP.clientSecret, robotCode: SANDBOX_APP.robotCode, apiBase: emu.url, rate: false });
      bot = createBot({ plan, store, adapters: [adapter], clock: () => now, digest: { enabled: false } });
      await bot.start();
    },
    async stop() {
      await bot?.stop();
      await store?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every (unit, task) pair of the plan with one open milestone: each `确认 <task>` in the unit's group is a new record. */
const pairs = (() => {
  const rows = planStatuses(plan, { asOf: '2022-11-21' });
  const count = new Map<string, number>();
  for (const r of rows) count.set(`${r.unit}|${r.task}`, (count.get(`${r.unit}|${r.task}`) ?? 0) + 1);
  return [...count].filter(([, n]) => n === 1).map(([k]) => {
    const [unit, task] = k.split('|') as [string, string];
    return { unit, task: Number(task) };
  });
})();
const units = [...new Set(pairs.map((p) => p.unit))];
const unitOf = new Map<string, string>();

async function withEmulator<T>(target: Target, run: (emu: Emulator, groupOfUnit: Map<string, Group>) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ port: 0, ackTimeoutMs: 60_000, pingIntervalMs: 600_000 });
  const groupOfUnit = new Map<string, Group>();
  for (const unit of units) {
    const g = emu.createGroup({ title: `${unit}政务公开群`, members: [{ staffId: `l-${unit}`, nick: `${unit}联络员` }] });
    groupOfUnit.set(unit, g);
    unitOf.set(g.conversationId, unit);
  }
  await target.start(emu, [...groupOfUnit.values()]);
  try {
    return await run(emu, groupOfUnit);
  } finally {
    await target.stop();
    await emu.close();
  }
}

/** Posts `count` confirmations, `perSecond` a second (Infinity: all at once); resolves with each one's reply latency in ms. */
async function drive(emu: Emulator, groupOfUnit: Map<string, Group>, count: number, perSecond: number): Promise<{ latencies: number[]; seconds: number; cpuMs: number }> {
  const waiting = new Map<string, number[]>();
  const latencies: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const off = emu.on((event) => {
    if (event.type !== 'message' || (event.message as ChatMessage).from !== 'bot') return;
    const queue = waiting.get(event.message.conversationId);
    const sentAt = queue?.shift();
    if (sentAt === undefined) return;
    latencies.push(performance.now() - sentAt);
    if (latencies.length === count) done();
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    if (Number.isFinite(perSecond)) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const pair = pairs[i % pairs.length]!;
    const group = groupOfUnit.get(pair.unit)!;
    const queue = waiting.get(group.conversationId) ?? [];
    waiting.set(group.conversationId, queue);
    queue.push(performance.now());
    emu.postMessage(group.conversationId, { senderStaffId: `l-${pair.unit}`, text: `确认 ${pair.task}` });
  }
  const timeout = setTimeout(() => done(), 120_000);
  await all;
  clearTimeout(timeout);
  off();
  if (latencies.length < count) throw new Error(`only ${latencies.length} of ${count} messages were answered`);
  // Every delivery acknowledged (the bot acks after commit and reply).
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (let i = 0; i < 200 && emu.state().pendingAcks.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  return { latencies, seconds, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** One burst through a fresh emulator and target: messages per second until every one is answered, and CPU ms per message. */
async function burst(make: () => Target, profile?: string): Promise<{ rate: number; cpu: number }> {
  return withEmulator(make(), async (emu, groups) => {
    await drive(emu, groups, 20, Infinity); // warm-up
    const run = await (profile ? profiled(profile, () => drive(emu, groups, BURST, Infinity)) : drive(emu, groups, BURST, Infinity));
    return { rate: BURST / run.seconds, cpu: run.cpuMs / BURST };
  });
}

/** Reply latency at a steady {@link RATE} msg/s through a fresh emulator and target. */
async function steady(make: () => Target): Promise<{ p50: number; p99: number; max: number }> {
  return withEmulator(make(), async (emu, groups) => {
    await drive(emu, groups, 20, Infinity); // warm-up
    const run = await drive(emu, groups, RATE * STEADY_SECONDS, RATE);
    return { p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), max: Math.max(...run.latencies) };
  });
}

/** The CPU profile of `work` (V8's sampling profiler, in this process), written to `file`. */
async function profiled<T>(file: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

const median = (values: number[]) => percentile(values, 50);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadAtStart = load();
const consoleInfo = console.info;
console.info = () => {}; // dingtalk-stream logs every connect
const onlyBot = process.env.BENCH_ONLY === 'bot';
// A round of each, not counted, so that neither side is measured while the JIT is still warming up.
if (!onlyBot) await burst(echoBot);
await burst(zwgkBot);
// Rounds of bursts, the bot's and the echo bot's interleaved (which goes first alternates), so that a
// change in the machine's load hits both sides of a round alike: the ratio is the median of the rounds'.
const rounds: Array<{ echo: { rate: number; cpu: number }; bot: { rate: number; cpu: number } }> = [];
const skipped = { rate: NaN, cpu: NaN };
for (let i = 0; i < ROUNDS; i++) {
  const last = i === ROUNDS - 1;
  const runBot = () => burst(zwgkBot, last ? PROFILE : undefined);
  if (i % 2 === 0) {
    const echo = onlyBot ? skipped : await burst(echoBot);
    rounds.push({ echo, bot: await runBot() });
  } else {
    const bot = await runBot();
    rounds.push({ echo: onlyBot ? skipped : await burst(echoBot), bot });
  }
}
const echoSteady = onlyBot ? { p50: NaN, p99: NaN, max: NaN } : await steady(echoBot);
const botSteady = await steady(zwgkBot);
console.info = consoleInfo;

const fmt = (n: number) => n.toFixed(1).padStart(8);
const ratios = rounds.map((r) => r.bot.rate / r.echo.rate);
const cpuRatios = rounds.map((r) => r.bot.cpu / r.echo.cpu);
console.log(`\nDingTalk delivery bench — ${ROUNDS} rounds of a ${BURST}-message burst each for the rate, the bot's and the echo bot's interleaved; ${RATE} msg/s for ${STEADY_SECONDS} s for the latency (${pairs.length} unit/task pairs, ${units.length} groups)`);
console.log(`${'round'.padEnd(8)}${'echo msg/s'.padStart(12)}${'bot msg/s'.padStart(12)}${'ratio'.padStart(8)}${'echo CPU ms'.padStart(13)}${'bot CPU ms'.padStart(12)}`);
for (const [i, r] of rounds.entries()) {
  console.log(`${String(i + 1).padEnd(8)}${fmt(r.echo.rate).padStart(12)}${fmt(r.bot.rate).padStart(12)}${ratios[i]!.toFixed(2).padStart(8)}${r.echo.cpu.toFixed(2).padStart(13)}${r.bot.cpu.toFixed(2).padStart(12)}`);
}
console.log(`${'median'.padEnd(8)}${fmt(median(rounds.map((r) => r.echo.rate))).padStart(12)}${fmt(median(rounds.map((r) => r.bot.rate))).padStart(12)}${median(ratios).toFixed(2).padStart(8)}${median(rounds.map((r) => r.echo.cpu)).toFixed(2).padStart(13)}${median(rounds.map((r) => r.bot.cpu)).toFixed(2).padStart(12)}`);
console.log(`\n${`latency at ${RATE} msg/s`.padEnd(32)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'max ms'.padStart(8)}`);
for (const [name, r] of [['bare DWClient echo bot', echoSteady], ['zwgk bot (确认, SQLite file)', botSteady]] as const) console.log(`${name.padEnd(32)}${fmt(r.p50)}${fmt(r.p99)}${fmt(r.max)}`);
const ratio = median(ratios);
console.log(`GOAL rate ratio bot/echo (median of ${ROUNDS} rounds): ${ratio.toFixed(2)} (goal ≥ 0.50): ${ratio >= 0.5 ? 'met' : 'NOT MET'}`);
console.log(`GOAL bot p99 at ${RATE} msg/s: ${botSteady.p99.toFixed(1)} ms (goal < 50 ms): ${botSteady.p99 < 50 ? 'met' : 'NOT MET'}`);
console.log(`CPU per message bot/echo (median of the rounds): ${median(cpuRatios).toFixed(2)}× (for reference: steadier than the rates on a busy machine)`);
console.log(`(load average ${loadAtStart} at the start, ${load()} at the end; on a 2-core machine above ~2 the rates and latencies suffer)`);
if (PROFILE) console.log(`CPU profile of the bot's last burst: ${PROFILE}`);
