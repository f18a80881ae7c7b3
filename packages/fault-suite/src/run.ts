/**
 * `npm run test:faults [-- --quick]`: drives the DingTalk emulator and the real bot (`zwgk start`, and
 * `zwgk digest` for digest runs) as separate processes through the real `dingtalk-stream` client, injects
 * faults, and counts from what the store and the emulator recorded: lost, doubled, crashed, uncertain.
 * Exits 1 when lost, doubled or crashed is not 0.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR, ROOT, ZWGK, kill9, looksCrashed, run, sleep, start, until, type Child } from './procs.js';

const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const LOAD_AT_START = loadavg();
const SIZES = quick
  ? { killTrials: 6, killBurst: 12, digestTrials: 4, cliRuns: 6, cliBurst: 60, slow: 12, storms: 20, cardTrials: 4, taps: 8, fuzz: 1_000, malformed: 2 }
  : { killTrials: 30, killBurst: 20, digestTrials: 30, cliRuns: 40, cliBurst: 400, slow: 40, storms: 120, cardTrials: 20, taps: 12, fuzz: 10_000, malformed: 4 };
// A lane runs its share of the fuzzed messages (the lanes' shares add up to SIZES.fuzz).
if (process.argv.includes('--fuzz')) SIZES.fuzz = Number(process.argv[process.argv.indexOf('--fuzz') + 1]);
/** Fuzzed messages awaiting their acknowledgement at once: parallel streams that keep the bot busy without a backlog it could never answer in time. */
const FUZZ_WINDOW = 24;
const CARD_TEMPLATE = 'zwgk-faults.schema';
const UNITS = ['郭道镇', '沁河镇', '灵空山镇', '王和镇', '王陶镇', '景凤镇'];
const REQUEST_TIMEOUT_MS = 5_000;

interface Row {
  name: string;
  trials: number;
  messages: number;
  lost: number;
  doubled: number;
  crashed: number;
  uncertain: number;
  seconds: number;
  notes: string[];
}
const rows: Row[] = [];
const work = mkdtempSync(join(tmpdir(), 'zwgk-faults-'));
let emu: Child | undefined;
let base = '';
let bot: Child | undefined;
let healthPort = 0;
const botCrashes: string[] = [];
/** Window measurements: ms from the send marker to the answer, for replies that were marked sent (the bot runs on the real clock). */
const windows: number[] = [];
/** Where the run's time goes (ms per activity, summed over cases): printed under the table. */
const profile = new Map<string, { ms: number; n: number }>();
async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    const p = profile.get(what) ?? { ms: 0, n: 0 };
    p.ms += performance.now() - t0;
    p.n++;
    profile.set(what, p);
  }
}

// ── emulator ─────────────────────────────────────────────────────────────────────────────────────

async function control(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<any> {
  const r = await fetch(`${base}/_emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`emulator ${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function startEmulator(): Promise<void> {
  emu = start(EMULATOR, ['--port', '0', '--ack-timeout', '1500', '--max-redeliveries', '1000', '--card-template', CARD_TEMPLATE, '--quiet'], { cwd: work });
  const ok = await until(async () => /http:\/\/127\.0\.0\.1:\d+/.test(emu!.out.join('')), 20_000);
  if (!ok) throw new Error(`the emulator did not start: ${emu.err.join('')}`);
  base = /http:\/\/127\.0\.0\.1:\d+/.exec(emu.out.join(''))![0];
}

const groups = new Map<string, string>(); // unit (or '管理群') → conversationId
const member = (unit: string, i = 0) => `m-${UNITS.indexOf(unit)}-${i}`;

async function setupGroups(): Promise<void> {
  for (const unit of UNITS) {
    const g = await control('/groups', { title: `${unit}政务公开群`, members: [0, 1, 2].map((i) => ({ staffId: member(unit, i), nick: `${unit}成员${i}` })) });
    groups.set(unit, g.conversationId);
  }
  const admin = await control('/groups', { title: '县政府办管理群', members: [{ staffId: 'office-1', nick: '县政府办' }] });
  groups.set('管理群', admin.conversationId);
}

// ── the bot ──────────────────────────────────────────────────────────────────────────────────────

const env = (): Record<string, string> => ({ ZWGK_LOG_LEVEL: 'warn', ZWGK_HEALTH_PORT: String(healthPort) });

function writeConfig(options: { cards?: boolean } = {}): void {
  writeFileSync(
    join(work, 'zwgk.config.json'),
    JSON.stringify(
      {
        dataDir: './data',
        digest: { enabled: false },
        dingtalk: {
          clientId: 'sandbox-client',
          clientSecret: 'sandbox-secret',
          robotCode: 'sandbox-robot',
          apiBase: base,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
          rate: false,
          ...(options.cards ? { cards: { templateId: CARD_TEMPLATE } } : {}),
        },
      },
      null,
      2,
    ),
  );
}

async function startBot(): Promise<void> {
  return timed('zwgk start until ready', startBotNow);
}

async function startBotNow(): Promise<void> {
  bot = start(ZWGK, ['start'], { cwd: work, env: env() });
  const me = bot;
  void me.exited.then(({ code, signal }) => {
    if (!me.killedByUs) botCrashes.push(`zwgk start exited by itself (code ${code}, signal ${signal}): ${me.err.join('').slice(-800)}`);
  });
  const ready = await until(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200;
    } catch {
      return false;
    }
  }, 180_000, 100);
  if (!ready) {
    await kill9(bot);
    throw new Error(`zwgk start did not get ready: ${bot.err.join('').slice(-2000)}`);
  }
}

async function stopBot(): Promise<void> {
  if (!bot) return;
  bot.killedByUs = true;
  bot.proc.kill('SIGTERM');
  await bot.exited;
  bot = undefined;
}

function db(): Database.Database {
  return new Database(join(work, 'data', 'zwgk.sqlite'), { readonly: true, fileMustExist: true });
}

// ── messages and what became of them ─────────────────────────────────────────────────────────────

interface Posted {
  /** The platform message id the bot records (`processed_messages.message_id`). */
  msgId: string;
  /** The emulator delivery that must be acknowledged: by the robot message's msgId, or a tap's stream messageId. */
  delivery: { msgId: string } | { messageId: string };
  unit: string;
  text: string;
}

async function say(unit: string, text: string, sender = member(unit)): Promise<Posted> {
  const r = await control(`/groups/${encodeURIComponent(groups.get(unit)!)}/messages`, { senderStaffId: sender, text });
  return { msgId: r.msgId, delivery: { msgId: r.msgId }, unit, text };
}

const isDelivery = (p: Posted) => (d: any) => ('msgId' in p.delivery ? d.msgId === p.delivery.msgId && d.topic !== '/v1.0/card/instances/callback' : d.messageId === p.delivery.messageId);

/** Deliveries not yet acknowledged (the emulator lists only those: the poll stays small after 10 000 messages). */
async function openDeliveries(): Promise<any[]> {
  return (await control('/state?deliveries=open')).deliveries;
}

const COMMANDS = ['进度', '本周', '帮助', '第5项已办结', ...Array.from({ length: 34 }, (_, i) => `确认 ${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `撤销 ${i + 1}`)];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

async function burst(n: number, concurrency = 8): Promise<Posted[]> {
  const out: Posted[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const chunk = await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => say(pick(UNITS), pick(COMMANDS))));
    out.push(...chunk);
  }
  return out;
}

/** Per group: messages read so far from the emulator's log, and the bot's among them (all, digests). */
const seen = new Map<string, { read: number; all: number; digests: number }>();

/**
 * Bot messages per conversation, as the emulator recorded them (each part of a split message counts once;
 * a card counts once however often it is updated). Reads only what is new since the last call.
 */
async function botCounts(only: 'all' | 'digests' = 'all'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // A digest goes out as markdown, as an ActionCard (up to five buttons) or as an interactive card.
  const digest = (m: any) => /政务公开本周提醒|政务公开周报/u.test(m.markdown?.title ?? m.actionCard?.title ?? m.card?.title ?? m.text ?? '');
  const firstPart = (m: any) => !/（([2-9]|\d{2,})\/\d+）\s*$/u.test(m.markdown?.text ?? m.text ?? '');
  for (const cid of groups.values()) {
    const c = seen.get(cid) ?? { read: 0, all: 0, digests: 0 };
    const list: any[] = await control(`/groups/${encodeURIComponent(cid)}/messages?since=${c.read}`);
    for (const m of list) {
      if (m.from !== 'bot' || !firstPart(m)) continue;
      c.all++;
      if (digest(m)) c.digests++;
    }
    c.read += list.length;
    seen.set(cid, c);
    out.set(cid, only === 'all' ? c.all : c.digests);
  }
  return out;
}

async function allAcked(posted: Posted[], timeoutMs: number): Promise<boolean> {
  return until(async () => {
    const open = await openDeliveries();
    return !posted.some((p) => open.some(isDelivery(p)));
  }, timeoutMs, 50);
}

interface Audit {
  lost: number;
  doubled: number;
  uncertain: number;
  notes: string[];
}

/**
 * What became of posted messages: each must be acknowledged, have its processed row (one per message id)
 * with its answer marked sent or uncertain, and each group must show as many bot answers as sent ones
 * (plus at most the uncertain ones). Confirmations must be one per unit, task and milestone.
 */
async function audit(posted: Posted[], before: Map<string, number>, settleMs = 60_000): Promise<Audit> {
  const notes: string[] = [];
  if (!(await timed('waiting for acks', () => allAcked(posted, settleMs)))) notes.push('some deliveries never acknowledged');
  // An answer is in the emulator's log before its HTTP answer, so before the ack; a card update of a tap
  // follows the reply and the ack may precede it: a moment for those.
  await sleep(100);
  const open = await openDeliveries();
  const unacked = posted.filter((p) => open.some(isDelivery(p))).length;
  const d = db();
  let lost = unacked;
  let doubled = 0;
  let uncertain = 0;
  try {
    const rowOf = d.prepare('select message_id, conversation_id, replied_at, reply_started_at from processed_messages where platform = ? and message_id = ?');
    const perGroup = new Map<string, { sent: number; uncertain: number }>();
    for (const p of posted) {
      const r = rowOf.get('dingtalk', p.msgId) as any;
      const cid = groups.get(p.unit)!;
      const g = perGroup.get(cid) ?? { sent: 0, uncertain: 0 };
      perGroup.set(cid, g);
      if (!r) {
        lost++;
        notes.push(`no processed row for ${p.msgId} (${p.text.slice(0, 20)})`);
        continue;
      }
      if (r.replied_at) g.sent++;
      else if (r.reply_started_at) {
        g.uncertain++;
        uncertain++;
      } else {
        lost++;
        notes.push(`answer of ${p.msgId} never sent`);
      }
    }
    const after = await botCounts();
    for (const [cid, g] of perGroup) {
      const shown = (after.get(cid) ?? 0) - (before.get(cid) ?? 0);
      if (shown > g.sent + g.uncertain) doubled += shown - g.sent - g.uncertain;
      if (shown < g.sent) {
        lost += g.sent - shown;
        notes.push(`${cid}: ${g.sent} answers marked sent, ${shown} shown`);
      }
    }
    const twice = d.prepare('select count(*) as n from (select unit, task, due from confirmations where undone_at is null group by unit, task, due having count(*) > 1)').get() as any;
    doubled += Number(twice.n);
  } finally {
    d.close();
  }
  return { lost, doubled, uncertain, notes };
}

async function caseRun(name: string, body: (row: Row) => Promise<void>): Promise<void> {
  const row: Row = { name, trials: 0, messages: 0, lost: 0, doubled: 0, crashed: 0, uncertain: 0, seconds: 0, notes: [] };
  const t0 = Date.now();
  const crashesBefore = botCrashes.length;
  try {
    await body(row);
  } catch (error) {
    row.crashed++;
    row.notes.push(`case failed: ${(error as Error).stack ?? error}`);
  }
  if (!bot || bot.proc.exitCode !== null || bot.proc.signalCode !== null) {
    if (bot && !bot.killedByUs) row.notes.push('the bot is not running');
    await startBot().catch((e) => row.notes.push(String(e)));
  }
  row.crashed += botCrashes.length - crashesBefore;
  row.notes.push(...botCrashes.slice(crashesBefore));
  row.seconds = (Date.now() - t0) / 1000;
  rows.push(row);
  const mark = row.lost || row.doubled || row.crashed ? '✗' : '✓';
  process.stderr.write(`${mark} ${name}: ${row.trials} trials, ${row.messages} messages, lost ${row.lost}, doubled ${row.doubled}, crashed ${row.crashed}, uncertain ${row.uncertain} (${row.seconds.toFixed(1)} s)\n`);
  for (const n of row.notes.slice(0, 8)) process.stderr.write(`    ${n}\n`);
  await control('/faults', undefined, 'DELETE');
}

const addAudit = (row: Row, a: Audit) => {
  row.lost += a.lost;
  row.doubled += a.doubled;
  row.uncertain += a.uncertain;
  row.notes.push(...a.notes);
};

// ── the cases ────────────────────────────────────────────────────────────────────────────────────

/** One kill -9 trial: `send` starts a stream, the bot is killed inside it, restarted, and the stream audited. */
async function killWhile(row: Row, send: () => Promise<Posted[]>): Promise<void> {
  const before = await botCounts();
  const sending = send();
  // Kill somewhere inside the stream: after a random share of it was posted and partly handled.
  await sleep(50 + Math.random() * 400);
  await kill9(bot!);
  const posted = await sending;
  await startBot();
  row.trials++;
  row.messages += posted.length;
  addAudit(row, await audit(posted, before));
}

async function killDuringConfirmations(row: Row): Promise<void> {
  for (let t = 0; t < SIZES.killTrials; t++) await killWhile(row, () => burst(SIZES.killBurst, 4));
}

/** Friday 09:00 of successive 2022 weeks from March (no holiday week keeps Friday from being due). */
function digestDates(n: number): string[] {
  const out: string[] = [];
  for (let d = new Date(Date.UTC(2022, 2, 11)); out.length < n; d = new Date(d.getTime() + 7 * 86_400_000)) {
    const iso = d.toISOString().slice(0, 10);
    if (iso >= '2022-09-30' && iso <= '2022-10-07') continue;
    out.push(iso);
  }
  return out;
}
let digestDay = 0;
const DAYS = digestDates(80);

async function digestTrial(row: Row, opts: { kill: boolean; faults?: unknown; recoveryFaults?: unknown }): Promise<void> {
  const day = DAYS[digestDay++]!;
  // Digests only: answers to earlier messages may still be landing in the same groups.
  const before = await botCounts('digests');
  const baseline = (await control('/state?deliveries=open')).counters.openapiSends;
  // Each send is held 30 ms, so a run lasts about as long as its sends and the kill lands inside it. (Not with
  // other faults: armed counts add up, and a delay fault's ms would apply to all of them.)
  if (opts.kill) await control('/faults', { delayAnswers: { count: 100, ms: 30, target: 'openapi' } });
  if (opts.faults) await control('/faults', opts.faults);
  const cli = start(ZWGK, ['digest', '--as-of', day], { cwd: work, env: { ZWGK_LOG_LEVEL: 'warn' } });
  if (opts.kill) {
    await until(async () => (await control('/state?deliveries=open')).counters.openapiSends > baseline || cli.proc.exitCode !== null, 30_000, 5);
    await sleep(Math.random() * 180);
    if (cli.proc.exitCode === null) await kill9(cli);
  }
  const first = await timed('zwgk digest (first run)', () => cli.exited);
  if (!cli.killedByUs && (first.code === null || first.code > 1 || looksCrashed(cli.err.join('')))) {
    row.crashed++;
    row.notes.push(`zwgk digest crashed: ${first.code} ${cli.err.join('').slice(-500)}`);
  }
  await control('/faults', undefined, 'DELETE');
  if (opts.recoveryFaults) await control('/faults', opts.recoveryFaults);
  // Re-runs recover what the first left: never-started sends go out, started ones are uncertain.
  for (let i = 0; i < 6; i++) {
    const again = await timed('zwgk digest (re-runs)', () => run(['digest', '--as-of', day], work, { ZWGK_LOG_LEVEL: 'warn' }));
    if (again.code === null || again.code > 1 || looksCrashed(again.err)) {
      row.crashed++;
      row.notes.push(`zwgk digest re-run crashed: ${again.code} ${again.err.slice(-500)}`);
    }
    const d = db();
    const open = (d.prepare("select count(*) as n from digest_outbox where status in ('pending', 'sending')").get() as any).n;
    d.close();
    if (open === 0) break;
  }
  const after = await botCounts('digests');
  const d = db();
  try {
    const week = (d.prepare('select week from digest_outbox order by id desc limit 1').get() as any).week;
    const entries = d.prepare('select conversation_id as cid, status, last_error, send_started_at, sent_at from digest_outbox where week = ?').all(week) as any[];
    row.trials++;
    row.messages += entries.length;
    for (const e of entries) {
      const shown = (after.get(e.cid) ?? 0) - (before.get(e.cid) ?? 0);
      const isUncertain = e.status === 'failed' && String(e.last_error).startsWith('uncertain: ');
      if (isUncertain) row.uncertain++;
      if (shown > 1) {
        row.doubled += shown - 1;
        row.notes.push(`${day} ${e.cid}: ${shown} digests`);
      }
      if (shown === 0 && !isUncertain) {
        row.lost++;
        row.notes.push(`${day} ${e.cid}: no digest shown, outbox ${e.status} ${e.last_error ?? ''}`);
      }
      if (shown === 1 && e.status !== 'sent' && !isUncertain) {
        row.lost++;
        row.notes.push(`${day} ${e.cid}: digest shown but outbox says ${e.status}`);
      }
    }
  } finally {
    d.close();
  }
}

async function cliWritesDuringBursts(row: Row): Promise<void> {
  const before = await botCounts();
  const sending = burst(SIZES.cliBurst, 8);
  let n = 0;
  const cliDone = (async () => {
    for (let i = 0; i < SIZES.cliRuns; i++) {
      const unit = pick(UNITS);
      const r = i % 2 === 0 ? await run(['liaison', 'add', unit, '--user', `cli-${i}`, '--name', `联络员${i}`], work) : await run(['admin', 'add', '--user', `cli-admin-${i}`, '--name', `管理员${i}`], work);
      n++;
      if (r.code !== 0 || looksCrashed(r.err)) {
        row.crashed++;
        row.notes.push(`CLI run ${i} exited ${r.code}: ${r.err.slice(-300)}`);
      }
    }
  })();
  const posted = await sending;
  await cliDone;
  row.trials += n;
  row.messages += posted.length;
  addAudit(row, await audit(posted, before));
  const d = db();
  const written = (d.prepare("select (select count(*) from liaisons where user_id like 'cli-%') + (select count(*) from admins where user_id like 'cli-admin-%') as n").get() as any).n;
  d.close();
  if (written !== SIZES.cliRuns) {
    row.lost += SIZES.cliRuns - written;
    row.notes.push(`${written} of ${SIZES.cliRuns} CLI writes in the store`);
  }
}

async function withFaults(row: Row, faults: unknown, n: number): Promise<void> {
  const before = await botCounts();
  await control('/faults', faults);
  const posted = await burst(n, 4);
  row.trials++;
  row.messages += posted.length;
  addAudit(row, await audit(posted, before, 120_000));
}

/**
 * A member taps a button of one of the bot's cards in their group (a random card with buttons, a random
 * button): DingTalk calls the bot back over the stream. Without such a card, the member asks 本周 (its answer
 * is a digest card with buttons).
 */
const tapped = { taps: 0, typed: 0 };
async function tap(unit: string): Promise<Posted> {
  const cid = groups.get(unit)!;
  const cards: any[] = (await control('/cards')).filter((c: any) => c.deliveries.some((d: any) => d.conversationId === cid) && c.view.buttons.length > 0);
  if (cards.length === 0) {
    tapped.typed++;
    return say(unit, '本周');
  }
  tapped.taps++;
  const card = pick(cards);
  const button = Math.floor(Math.random() * card.view.buttons.length);
  const r = await control(`/cards/${encodeURIComponent(card.outTrackId)}/actions`, { userId: member(unit, Math.floor(Math.random() * 3)), button });
  return { msgId: `card:${r.messageId}`, delivery: { messageId: r.messageId }, unit, text: `tap ${card.view.buttons[button].text}` };
}

async function taps(n: number, concurrency = 4): Promise<Posted[]> {
  const out: Posted[] = [];
  for (let i = 0; i < n; i += concurrency) out.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, n - i) }, () => tap(pick(UNITS))))));
  return out;
}

/** Interactive cards: digests as cards (answers delayed past the timeout), kill -9 while taps arrive, taps whose card sends and updates are answered late or never. */
async function cardsCase(row: Row): Promise<void> {
  writeConfig({ cards: true });
  await stopBot();
  await startBot();
  try {
    await digestTrial(row, { kill: false, faults: { delayAnswers: { count: 2, ms: REQUEST_TIMEOUT_MS + 800, target: 'card' } } });
    for (let t = 0; t < SIZES.cardTrials; t++) await killWhile(row, () => taps(SIZES.taps));
    for (const faults of [{ delayAnswers: { count: SIZES.taps / 2, ms: REQUEST_TIMEOUT_MS + 800, target: 'card' } }, { dropAnswers: { count: SIZES.taps / 2, target: 'card' } }]) {
      const before = await botCounts();
      await control('/faults', faults);
      const posted = await taps(SIZES.taps);
      row.trials++;
      row.messages += posted.length;
      addAudit(row, await audit(posted, before, 120_000));
      await control('/faults', undefined, 'DELETE');
    }
  } finally {
    row.notes.push(`${tapped.taps} taps on card buttons, ${tapped.typed} typed 本周 (no card with buttons in the group then)`);
    writeConfig();
    await stopBot();
    await startBot();
  }
}

async function gatewayOutage(row: Row): Promise<void> {
  for (let t = 0; t < 3; t++) {
    const before = await botCounts();
    await control('/faults', { gatewayDown: { count: 3, status: t === 2 ? 0 : 503 }, disconnect: { graceMs: 50 } });
    const posted = await burst(10, 2);
    row.trials++;
    row.messages += posted.length;
    addAudit(row, await audit(posted, before, 120_000));
  }
}

async function fuzz(row: Row): Promise<void> {
  const before = await botCounts();
  const words = ['确认', '撤销', '本周', '进度', '汇报', '亮点', '帮助', '补充', '绑定', '联络员', '催办', '第', '项已办结', '４', '6.2', 'https://x.cn/a', '[链接](dtmd://dingtalkclient/sendMessage?content=x)', '\u202e', '\u200b', '\ud800'];
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    fc.array(fc.constantFrom(...words, ' ', '1', '34', '99', '\n'), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
    fc.string({ minLength: 1, maxLength: 3000 }),
  );
  const samples = fc.sample(text, SIZES.fuzz).map((s) => (s.trim() === '' ? `${s}x` : s));
  const posted: Posted[] = [];
  // FUZZ_WINDOW messages in flight from all six groups at once: each new one is posted as soon as an earlier
  // one is acknowledged (a window, not a round trip per message).
  let next = 0;
  while (next < samples.length) {
    const open = (await openDeliveries()).length;
    const room = FUZZ_WINDOW - open;
    if (room <= 0) {
      await sleep(10);
      continue;
    }
    const chunk = samples.slice(next, next + room);
    next += chunk.length;
    posted.push(...(await Promise.all(chunk.map((s) => say(pick(UNITS), s)))));
  }
  row.trials++;
  row.messages += posted.length;
  // Oversize messages (over 2 000 characters) are answered with a notice and deliberately not stored.
  const stored = posted.filter((p) => p.text.trim().length <= 2_000 && p.text.length <= 2_000);
  const oversize = posted.length - stored.length;
  const a = await audit(stored, before, 300_000);
  // The oversize notices are bot answers the store does not know: allowed once each.
  a.doubled = Math.max(0, a.doubled - oversize);
  addAudit(row, a);
  row.notes.push(`${oversize} oversize messages answered with a notice, not stored`);
}

async function malformed(row: Row): Promise<void> {
  for (let t = 0; t < SIZES.malformed; t++) {
    const r = await control('/faults', { malformedFrames: true });
    row.trials++;
    row.messages += r.malformedSent;
    // The frames are read before the message that follows them on the same connection.
    const before = await botCounts();
    const posted = [await say(UNITS[t % UNITS.length]!, '帮助')];
    row.messages += 1;
    addAudit(row, await audit(posted, before));
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────

/** The cases, in table order: id (for `--cases`), name, body. */
const CASES: Array<[string, string, (row: Row) => Promise<void>]> = [
  ['kill-start', 'kill -9 of zwgk start during confirmation streams', killDuringConfirmations],
  [
    'kill-digest',
    'kill -9 of zwgk digest during digests',
    async (row) => {
      for (let i = 0; i < SIZES.digestTrials; i++) await digestTrial(row, { kill: true });
    },
  ],
  ['cli', 'CLI writes (liaison add, admin add) during bursts', cliWritesDuringBursts],
  ['delay-replies', 'answers delayed past the client timeout (replies)', (row) => withFaults(row, { delayAnswers: { count: SIZES.slow, ms: REQUEST_TIMEOUT_MS + 800, target: 'any' } }, SIZES.slow * 2)],
  [
    'delay-digests',
    'answers delayed past the client timeout (digests)',
    async (row) => {
      for (let i = 0; i < 2; i++) await digestTrial(row, { kill: false, faults: { delayAnswers: { count: 3, ms: REQUEST_TIMEOUT_MS + 800, target: 'openapi' } } });
    },
  ],
  [
    'lost',
    'lost answers (connection cut after the send arrived)',
    async (row) => {
      await withFaults(row, { dropAnswers: { count: SIZES.slow, target: 'any' } }, SIZES.slow * 2);
      await digestTrial(row, { kill: false, faults: { dropAnswers: { count: 3, target: 'openapi' } } });
    },
  ],
  [
    'storms',
    '429/403/5xx storms',
    async (row) => {
      await withFaults(row, { throttle: { count: SIZES.storms, status: 429, target: 'any' } }, SIZES.storms);
      await withFaults(row, { throttle: { count: SIZES.storms, status: 403, target: 'any' } }, SIZES.storms);
      await withFaults(row, { failSends: { count: SIZES.storms, status: 503, target: 'any' } }, SIZES.storms);
      await digestTrial(row, { kill: false, faults: { failSends: { count: 4, status: 502, target: 'openapi' }, throttle: { count: 4, status: 429, target: 'openapi' } } });
    },
  ],
  ['gateway', 'gateway outages', gatewayOutage],
  ['cards', 'interactive cards: kill -9 while taps arrive, card answers delayed and lost', cardsCase],
  ['fuzz', 'fuzzed messages', fuzz],
  ['malformed', 'malformed stream frames', malformed],
];

/**
 * Two lanes run side by side, each with its own emulator, database and bot, so that one lane's process
 * start-ups overlap the other's waits. Balanced by measured time (a full run at load average 15: kill-start
 * 473 s, cli 309 s, the other lane-1 cases 90 s; kill-digest 793 s, delay-digests 73 s, cards about 500 s).
 */
const LANES: Array<{ cases: string[]; fuzzShare: number }> = [
  { cases: ['kill-start', 'cli', 'delay-replies', 'lost', 'storms', 'gateway', 'fuzz', 'malformed'], fuzzShare: 1 },
  { cases: ['kill-digest', 'delay-digests', 'cards'], fuzzShare: 0 },
];

/** What a lane hands back to the run that started it. */
interface LaneReport {
  rows: Row[];
  windows: number[];
  profile: Array<[string, { ms: number; n: number }]>;
}

async function runLane(ids: string[]): Promise<void> {
  healthPort = 20_000 + Math.floor(Math.random() * 20_000);
  process.stderr.write(`fault suite lane (${ids.join(', ')}) in ${work}\n`);
  await startEmulator();
  await setupGroups();
  writeConfig();
  for (const unit of UNITS) {
    const r = await run(['bind', unit, '--conversation', groups.get(unit)!, '--title', `${unit}政务公开群`], work);
    if (r.code !== 0) throw new Error(`zwgk bind ${unit}: ${r.err}`);
  }
  const r = await run(['bind', '--admin', '--conversation', groups.get('管理群')!], work);
  if (r.code !== 0) throw new Error(`zwgk bind --admin: ${r.err}`);
  await startBot();
  for (const [id, name, body] of CASES) if (ids.includes(id)) await caseRun(name, body);
  await stopBot();
  const d = db();
  for (const r of d.prepare('select reply_started_at as a, replied_at as b from processed_messages where replied_at is not null and reply_started_at is not null').all() as any[]) {
    windows.push(Date.parse(r.b) - Date.parse(r.a));
  }
  d.close();
}

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<number> {
  const began = Date.now();
  const cases = argValue('--cases');
  const report = argValue('--report');
  if (cases !== undefined) {
    // One lane, started by the run below (or by hand: --cases kill-start,fuzz).
    await runLane(cases.split(','));
    const out: LaneReport = { rows, windows, profile: [...profile] };
    if (report) writeFileSync(report, JSON.stringify(out));
    else printTable(Date.now() - began);
    return rows.some((r) => r.lost || r.doubled || r.crashed) ? 1 : 0;
  }
  process.stderr.write(`fault suite (${quick ? 'quick' : 'full'}): ${LANES.length} lanes, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const lanes = LANES.map((lane, i) => {
    const file = join(work, `lane-${i}.json`);
    const args = ['--cases', lane.cases.join(','), '--report', file, '--fuzz', String(Math.round(SIZES.fuzz * lane.fuzzShare))];
    if (quick) args.push('--quick');
    if (keep) args.push('--keep');
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    return { file, exited: once(child, 'exit') };
  });
  for (const lane of lanes) {
    const [code] = await lane.exited;
    let got: LaneReport;
    try {
      got = JSON.parse(readFileSync(lane.file, 'utf8'));
    } catch {
      rows.push({ name: `lane ${lane.file}`, trials: 0, messages: 0, lost: 0, doubled: 0, crashed: 1, uncertain: 0, seconds: 0, notes: [`the lane exited ${code} without a report`] });
      continue;
    }
    windows.push(...got.windows);
    for (const [what, p] of got.profile) {
      const mine = profile.get(what) ?? { ms: 0, n: 0 };
      profile.set(what, { ms: mine.ms + p.ms, n: mine.n + p.n });
    }
    for (const r of got.rows) {
      // A case in both lanes (the fuzzed messages) is one row: counts add up, its time is the longer lane's.
      const same = rows.find((x) => x.name === r.name);
      if (!same) rows.push(r);
      else {
        for (const k of ['trials', 'messages', 'lost', 'doubled', 'crashed', 'uncertain'] as const) same[k] += r[k];
        same.seconds = Math.max(same.seconds, r.seconds);
        same.notes.push(...r.notes);
      }
    }
  }
  const order = CASES.map(([, name]) => name);
  rows.sort((a, b) => (order.indexOf(a.name) + 1 || 99) - (order.indexOf(b.name) + 1 || 99));
  printTable(Date.now() - began);
  return rows.some((r) => r.lost || r.doubled || r.crashed) ? 1 : 0;
}

function printTable(ms: number): void {
  const head = ['case', 'trials', 'messages', 'lost', 'doubled', 'crashed', 'uncertain', 's'];
  const body = rows.map((r) => [r.name, r.trials, r.messages, r.lost, r.doubled, r.crashed, r.uncertain, r.seconds.toFixed(1)].map(String));
  const total = ['total', ...[1, 2, 3, 4, 5, 6].map((i) => String(body.reduce((s, b) => s + Number(b[i]), 0))), (ms / 1000).toFixed(1)];
  const all = [head, ...body, total];
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/u.test(ch) ? 2 : 1), 0);
  const widths = head.map((_, i) => Math.max(...all.map((r) => width(r[i]!))));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c + ' '.repeat(widths[i]! - width(c)) : ' '.repeat(widths[i]! - width(c)) + c)).join(' | ')} |`;
  const sorted = [...windows].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  process.stdout.write(
    [
      `zwgk fault suite (${quick ? 'quick' : 'full'}), ${new Date().toISOString()}, ${cpus().length} cores, load average ${LOAD_AT_START.map((l) => l.toFixed(2)).join(' ')} at the start and ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end, ${(ms / 60_000).toFixed(1)} min`,
      line(head),
      `|${widths.map((w, i) => (i === 0 ? '-' : '-').repeat(w + 2)).join('|')}|`,
      ...body.map(line),
      line(total),
      `time: ${[...profile].map(([what, p]) => `${what} ${(p.ms / 1000).toFixed(1)} s (${p.n}×)`).join('; ')}`,
      `uncertain window (reply marked started → marked sent, ${sorted.length} replies of zwgk start): median ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${sorted.at(-1) ?? NaN} ms; client timeout ${REQUEST_TIMEOUT_MS} ms`,
      '',
    ].join('\n'),
  );
}

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(`fault suite failed: ${(error as Error).stack ?? error}\n`);
  if (bot) process.stderr.write(`bot stderr: ${bot.err.join('').slice(-3000)}\n`);
} finally {
  if (bot && bot.proc.exitCode === null) await kill9(bot).catch(() => {});
  if (emu && emu.proc.exitCode === null) await kill9(emu).catch(() => {});
  if (!keep) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`kept ${work}\n`);
}
void ROOT;
void ZWGK;
process.exit(code);
