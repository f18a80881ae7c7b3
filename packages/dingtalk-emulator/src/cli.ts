/**
 * `zwgk-dingtalk-emulator [--port 8790] [--groups file.json] [--card-template id]… [--ack-timeout ms] [--quiet]`:
 * starts the emulator on 127.0.0.1 and prints the page's address.
 */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PORT, SANDBOX_APP, startEmulator, type Emulator } from './server.js';
import type { GroupInput, Result } from './types.js';

/** Parsed command line. */
export interface CliArgs {
  port: number;
  groupsFile?: string;
  /** Card template ids registered with the default variables (title, markdown, buttons). */
  cardTemplates: string[];
  ackTimeoutMs?: number;
  maxRedeliveries?: number;
  quiet: boolean;
  help: boolean;
}

/** Usage text. */
export const USAGE = `usage: zwgk-dingtalk-emulator [--port ${DEFAULT_PORT}] [--groups groups.json] [--card-template id]… [--ack-timeout ms] [--max-redeliveries n] [--quiet]

Starts a DingTalk emulator on 127.0.0.1: Stream gateway, robot OpenAPI, session webhooks,
the control API (/_emulator/…) and a web page showing the groups.

  --port n          port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --groups file     JSON: [{ "title": "…", "members": [{ "staffId": "…", "nick": "…" }] }]
  --card-template id  register an interactive card template (variables title, markdown, buttons); repeatable
  --ack-timeout ms  redeliver unacked robot messages after ms (default 60000)
  --max-redeliveries n  redeliveries of an unacked robot message before it counts as failed (default 3)
  --quiet           do not log connections and ignored frames

App credentials: clientId ${SANDBOX_APP.clientId}, clientSecret ${SANDBOX_APP.clientSecret}, robotCode ${SANDBOX_APP.robotCode}.`;

/** Reads the arguments; usage errors are `{ success: false }`. */
export function parseCliArgs(argv: readonly string[]): Result<CliArgs> {
  const args: CliArgs = { port: DEFAULT_PORT, cardTemplates: [], quiet: false, help: false };
  const bad = (message: string) => ({ success: false as const, error: { status: 2, message } });
  const int = (flag: string, v: string | undefined, min: number, max: number): number | string => {
    if (v === undefined) return `${flag} needs a value`;
    const n = Number(v);
    return Number.isInteger(n) && n >= min && n <= max ? n : `${flag} must be an integer from ${min} to ${max}, not ${JSON.stringify(v)}`;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inlineValue] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inlineValue ?? argv[++i];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--quiet') args.quiet = true;
    else if (flag === '--port') {
      const n = int('--port', value(), 0, 65535);
      if (typeof n === 'string') return bad(n);
      args.port = n;
    } else if (flag === '--ack-timeout') {
      const n = int('--ack-timeout', value(), 1, 3_600_000);
      if (typeof n === 'string') return bad(n);
      args.ackTimeoutMs = n;
    } else if (flag === '--max-redeliveries') {
      const n = int('--max-redeliveries', value(), 0, 1_000_000);
      if (typeof n === 'string') return bad(n);
      args.maxRedeliveries = n;
    } else if (flag === '--groups') {
      const v = value();
      if (!v) return bad('--groups needs a file');
      args.groupsFile = v;
    } else if (flag === '--card-template') {
      const v = value();
      if (!v || v.startsWith('--')) return bad('--card-template needs a template id');
      args.cardTemplates.push(v);
    } else return bad(`unknown argument ${JSON.stringify(a)}`);
  }
  return { success: true, data: args };
}

/** Reads a groups file: an array of groups, or `{ "groups": [...] }`. */
export function parseGroupsFile(text: string, file: string): Result<GroupInput[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { success: false, error: { status: 1, message: `${file} is not valid JSON: ${(e as Error).message}` } };
  }
  const list = Array.isArray(data) ? data : (data as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(list)) return { success: false, error: { status: 1, message: `${file} must hold an array of groups or { "groups": [...] }` } };
  return { success: true, data: list as GroupInput[] };
}

/** Runs the CLI; resolves with the emulator (and leaves it running) or an exit code. */
export async function runCli(
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void } = { out: console.log, err: console.error },
): Promise<Emulator | number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.success) {
    io.err(`${parsed.error.message}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed.data;
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  let groups: GroupInput[] = [];
  if (args.groupsFile) {
    let text: string;
    try {
      text = await readFile(args.groupsFile, 'utf8');
    } catch (e) {
      io.err(`cannot read ${args.groupsFile}: ${(e as Error).message}`);
      return 1;
    }
    const g = parseGroupsFile(text, args.groupsFile);
    if (!g.success) {
      io.err(g.error.message);
      return 1;
    }
    groups = g.data;
  }
  const log = (level: string) => (m: string) => (args.quiet ? undefined : io.err(`[${level}] ${m}`));
  try {
    const emu = await startEmulator({
      port: args.port,
      groups,
      cardTemplates: args.cardTemplates.map((cardTemplateId) => ({ cardTemplateId })),
      ...(args.ackTimeoutMs !== undefined ? { ackTimeoutMs: args.ackTimeoutMs } : {}),
      ...(args.maxRedeliveries !== undefined ? { maxRedeliveries: args.maxRedeliveries } : {}),
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
    });
    io.out(`DingTalk emulator: ${emu.url}`);
    io.out(`  apiBase ${emu.url}  clientId ${SANDBOX_APP.clientId}  clientSecret ${SANDBOX_APP.clientSecret}  robotCode ${SANDBOX_APP.robotCode}`);
    io.out(`  ${emu.groups().length} group(s); control API ${emu.url}/_emulator/groups`);
    if (args.cardTemplates.length > 0) io.out(`  card template(s) ${args.cardTemplates.join(', ')}`);
    return emu;
  } catch (e) {
    io.err(`cannot start the emulator: ${(e as Error).message}`);
    return 1;
  }
}

// npm links the bin through a symlink, so compare real paths.
const invokedDirectly = ((): boolean => {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (invokedDirectly) {
  void runCli(process.argv.slice(2)).then((result) => {
    if (typeof result === 'number') {
      process.exitCode = result;
      return;
    }
    const stop = (): void => {
      void result.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
