/*
 * Test support: `zwgk start` as real processes (the built bin), several at once on one database. Every
 * process started here is killed when the test file ends, and when the test runner itself exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../bin/zwgk.js');
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/** A running `zwgk start`. */
export interface Instance {
  name: string;
  child: ChildProcess;
  /** What it wrote on stderr so far (its JSON log lines). */
  log(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts `zwgk start` in a fresh working directory holding `config` as zwgk.config.json, and resolves once
 * it says it is connected. Rejects (and kills it) when it exits first or takes longer than `timeoutMs`.
 */
export async function startInstance(name: string, options: { env: Record<string, string>; config: object; timeoutMs?: number }): Promise<Instance> {
  const cwd = mkdtempSync(join(tmpdir(), `zwgk-${name}-`));
  writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify(options.config));
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      alive.delete(child);
      res(code);
    }),
  );
  const started = await new Promise<boolean>((res) => {
    const timer = setTimeout(() => res(false), options.timeoutMs ?? 60_000);
    const check = () => {
      if (stdout.includes('zwgk 已连接')) {
        clearTimeout(timer);
        res(true);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      res(stdout.includes('zwgk 已连接'));
    });
  });
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`instance ${name} did not start:\n${stdout}\n${stderr}`);
  }
  return { name, child, log: () => stderr, exited };
}

/** Kills every instance still running (SIGKILL) and waits for them to exit. */
export async function killAll(instances: Iterable<Instance>): Promise<void> {
  await Promise.all(
    [...instances].map(async (i) => {
      if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
      await i.exited;
    }),
  );
}
