import { main } from '../src/cli.js';

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; columns?: number } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env: options.env ?? {},
    cwd: options.cwd,
    columns: options.columns,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}
