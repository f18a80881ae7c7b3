/**
 * `npm run test:faults [-- --quick]`: drives the DingTalk emulator and the real bot (`zwgk start`, and
 * `zwgk digest` for digest runs) as separate processes through the real `dingtalk-stream` client, injects
 * faults, and counts from what the store and the emulator recorded: lost, doubled, crashed, uncertain.
 * Exits 1 when lost, doubled or crashed is not 0.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR, ROOT, ZWGK, kill9, looksCrashed, run, sleep, start, until, type Child } from './procs.js';

const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const SIZES = quick
  ? { killTrials: 6, killBurst: 12, digestTrials: 4, cliRuns: 6, cliBurst: 60, slow: 12, storms: 20, fuzz: 1_000, malformed: 2 }
  : { killTrials: 30, killBurst: 20, digestTrials: 30, cliRuns: 40, cliBurst: 400, slow: 40, storms: 120, fuzz: 10_000, malformed: 4 };
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

// ── emulator ─────────────────────────────────────────────────────────────────────────────────────

async function control(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<any> {
  const r = await fetch(`${base}/_emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`emulator ${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function startEmulator(): Promise<void> {
  emu = start(EMULATOR, ['--port', '0', '--ack-timeout', '1500', '--max-redeliveries', '1000', '--quiet'], { cwd: work });
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

function writeConfig(): void {
  writeFileSync(
    join(work, 'zwgk.config.json'),
    JSON.stringify(
      {
        dataDir: './data',
        digest: { enabled: false },
        dingtalk: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', robotCode: 'sandbox-robot', apiBase: base, requestTimeoutMs: REQUEST_TIMEOUT_MS, rate: false },
      },
      null,
      2,
    ),
  );
}

async function startBot(): Promise<void> {
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
  msgId: string;
  unit: string;
  text: string;
}

async function say(unit: string, text: string, sender = member(unit)): Promise<Posted> {
  const r = await control(`/groups/${encodeURIComponent(groups.get(unit)!)}/messages`, { senderStaffId: sender, text });
  return { msgId: r.msgId, unit, text };
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

/** Bot messages per conversation, as the emulator recorded them (each part of a split message counts once). */
async function botCounts(only: 'all' | 'digests' = 'all'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const cid of groups.values()) {
    const list: any[] = await control(`/groups/${encodeURIComponent(cid)}/messages`);
    const digest = (m: any) => /政务公开本周提醒|政务公开周报/u.test(m.markdown?.title ?? m.text ?? '');
    out.set(cid, list.filter((m) => m.from === 'bot' && (only === 'all' || digest(m)) && !/（([2-9]|\d{2,})\/\d+）\s*$/u.test(m.markdown?.text ?? m.text ?? '')).length);
  }
  return out;
}

async function allAcked(msgIds: Set<string>, timeoutMs: number): Promise<boolean> {
  return until(async () => {
    const s = await control('/state');
    return s.deliveries.filter((d: any) => msgIds.has(d.msgId) && d.status !== 'acked').length === 0;
  }, timeoutMs, 200);
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
  const ids = new Set(posted.map((p) => p.msgId));
  if (!(await allAcked(ids, settleMs))) notes.push('some deliveries never acknowledged');
  // Answers go out before the ack; give the last ones a moment to land in the emulator's log.
  await sleep(300);
  const s = await control('/state');
  const unacked = s.deliveries.filter((d: any) => ids.has(d.msgId) && d.status !== 'acked').length;
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

async function killDuringConfirmations(row: Row): Promise<void> {
  for (let t = 0; t < SIZES.killTrials; t++) {
    const before = await botCounts();
    const sending = burst(SIZES.killBurst, 4);
    // Kill somewhere inside the stream: after a random share of it was posted and partly handled.
    await sleep(50 + Math.random() * 400);
    await kill9(bot!);
    const posted = await sending;
    await startBot();
    row.trials++;
    row.messages += posted.length;
    addAudit(row, await audit(posted, before));
  }
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
  const baseline = (await control('/state')).counters.openapiSends;
  // Each send is held 30 ms, so a run lasts about as long as its sends and the kill lands inside it.
  await control('/faults', { delayAnswers: { count: 100, ms: 30, target: 'openapi' } });
  if (opts.faults) await control('/faults', opts.faults);
  const cli = start(ZWGK, ['digest', '--as-of', day], { cwd: work, env: { ZWGK_LOG_LEVEL: 'warn' } });
  if (opts.kill) {
    await until(async () => (await control('/state')).counters.openapiSends > baseline || cli.proc.exitCode !== null, 30_000, 5);
    await sleep(Math.random() * 180);
    if (cli.proc.exitCode === null) await kill9(cli);
  }
  const first = await cli.exited;
  if (!cli.killedByUs && (first.code === null || first.code > 1 || looksCrashed(cli.err.join('')))) {
    row.crashed++;
    row.notes.push(`zwgk digest crashed: ${first.code} ${cli.err.join('').slice(-500)}`);
  }
  await control('/faults', undefined, 'DELETE');
  if (opts.recoveryFaults) await control('/faults', opts.recoveryFaults);
  // Re-runs recover what the first left: never-started sends go out, started ones are uncertain.
  for (let i = 0; i < 6; i++) {
    const again = await run(['digest', '--as-of', day], work, { ZWGK_LOG_LEVEL: 'warn' });
    if (again.code === null || again.code > 1 || looksCrashed(again.err)) {
      row.crashed++;
      row.notes.push(`zwgk digest re-run crashed: ${again.code} ${again.err.slice(-500)}`);
    }
    const d = db();
    const open = (d.prepare("select count(*) as n from digest_outbox where status in ('pending', 'sending')").get() as any).n;
    d.close();
    if (open === 0) break;
  }
  await sleep(200);
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
  for (let i = 0; i < samples.length; i += 20) {
    posted.push(...(await Promise.all(samples.slice(i, i + 20).map((s) => say(pick(UNITS), s)))));
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
    await sleep(300);
    const before = await botCounts();
    const posted = [await say(UNITS[t % UNITS.length]!, '帮助')];
    row.messages += 1;
    addAudit(row, await audit(posted, before));
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const began = Date.now();
  healthPort = 20_000 + Math.floor(Math.random() * 20_000);
  process.stderr.write(`fault suite (${quick ? 'quick' : 'full'}) in ${work}\n`);
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

  await caseRun('kill -9 of zwgk start during confirmation streams', killDuringConfirmations);
  await caseRun('kill -9 of zwgk digest during digests', async (row) => {
    for (let i = 0; i < SIZES.digestTrials; i++) await digestTrial(row, { kill: true });
  });
  await caseRun('CLI writes (liaison add, admin add) during bursts', cliWritesDuringBursts);
  await caseRun('answers delayed past the client timeout (replies)', (row) => withFaults(row, { delayAnswers: { count: SIZES.slow, ms: REQUEST_TIMEOUT_MS + 800, target: 'any' } }, SIZES.slow * 2));
  await caseRun('answers delayed past the client timeout (digests)', async (row) => {
    for (let i = 0; i < 2; i++) await digestTrial(row, { kill: false, faults: { delayAnswers: { count: 3, ms: REQUEST_TIMEOUT_MS + 800, target: 'openapi' } } });
  });
  await caseRun('lost answers (connection cut after the send arrived)', async (row) => {
    await withFaults(row, { dropAnswers: { count: SIZES.slow, target: 'any' } }, SIZES.slow * 2);
    await digestTrial(row, { kill: false, faults: { dropAnswers: { count: 3, target: 'openapi' } } });
  });
  await caseRun('429/403/5xx storms', async (row) => {
    await withFaults(row, { throttle: { count: SIZES.storms, status: 429, target: 'any' } }, SIZES.storms);
    await withFaults(row, { throttle: { count: SIZES.storms, status: 403, target: 'any' } }, SIZES.storms);
    await withFaults(row, { failSends: { count: SIZES.storms, status: 503, target: 'any' } }, SIZES.storms);
    await digestTrial(row, { kill: false, faults: { failSends: { count: 4, status: 502, target: 'openapi' }, throttle: { count: 4, status: 429, target: 'openapi' } } });
  });
  await caseRun('gateway outages', gatewayOutage);
  await caseRun('fuzzed messages', fuzz);
  await caseRun('malformed stream frames', malformed);

  await stopBot();
  const d = db();
  for (const r of d.prepare('select reply_started_at as a, replied_at as b from processed_messages where replied_at is not null and reply_started_at is not null').all() as any[]) {
    windows.push(Date.parse(r.b) - Date.parse(r.a));
  }
  d.close();
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
      `zwgk fault suite (${quick ? 'quick' : 'full'}), ${new Date().toISOString()}`,
      line(head),
      `|${widths.map((w, i) => (i === 0 ? '-' : '-').repeat(w + 2)).join('|')}|`,
      ...body.map(line),
      line(total),
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
