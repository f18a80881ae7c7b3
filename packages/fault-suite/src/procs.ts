/** Child processes of the fault suite: the emulator, `zwgk start` and CLI commands, each its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const ZWGK = join(ROOT, 'apps', 'zwgk', 'bin', 'zwgk.js');
export const EMULATOR = join(ROOT, 'packages', 'dingtalk-emulator', 'dist', 'cli.js');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A child we started, with what it printed and how it ended. */
export interface Child {
  proc: ChildProcess;
  out: string[];
  err: string[];
  /** Resolves with the exit code (null) and signal once the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once we sent it SIGKILL ourselves. */
  killedByUs: boolean;
}

export function start(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Child {
  const proc = spawn(process.execPath, [command, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { proc, out: [], err: [], exited: undefined as never, killedByUs: false };
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => child.out.push(d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => child.err.push(d));
  child.exited = once(proc, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return child;
}

/** kill -9, by the child's own pid. */
export async function kill9(child: Child): Promise<void> {
  child.killedByUs = true;
  child.proc.kill('SIGKILL');
  await child.exited;
}

/** Runs a CLI command to its end. */
export async function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  const c = start(ZWGK, args, { cwd, env });
  const r = await c.exited;
  return { ...r, out: c.out.join(''), err: c.err.join('') };
}

/** Whether a stderr text shows a crash: a raw stack trace or an unhandled error. */
export function looksCrashed(err: string): boolean {
  return /\n\s+at [^\n]+:\d+:\d+\)?/u.test(err) || /Unhandled|uncaughtException|SQLITE_BUSY/u.test(err);
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(stepMs);
  }
  return check();
}
