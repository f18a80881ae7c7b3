import type { CliIo } from './io.js';
import { UsageError } from './io.js';
import { commands, type CommandEntry } from './commands/index.js';
import { closest } from './suggest.js';

function help(list: readonly CommandEntry[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'zwgk — supervise the county openness (政务公开) work plan',
    '',
    'Usage: zwgk <command> [options]',
    '',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `zwgk <command> --help` for a command’s options.',
    '',
  ].join('\n');
}

/**
 * Takes `--tenant ID` (or `--tenant=ID`) off a command's arguments: the commands that read or change a
 * store work on that tenant; the others refuse it.
 */
function takeTenant(args: readonly string[], accepts: boolean, name: string): { args: string[]; tenant: string | undefined } {
  const out: string[] = [];
  let tenant: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const joined = /^--tenant=(.*)$/.exec(arg);
    if (arg !== '--tenant' && !joined) {
      out.push(arg);
      continue;
    }
    const value = joined ? joined[1] : args[++i];
    if (!accepts) throw new UsageError(`--tenant does not apply to zwgk ${name}`);
    if (!value || value.startsWith('--')) throw new UsageError('--tenant expects a tenant id (zwgk tenant list)');
    if (tenant !== undefined && tenant !== value) throw new UsageError(`--tenant given twice (${tenant}, ${value})`);
    tenant = value;
  }
  return { args: out, tenant };
}

/** Runs the CLI with `argv` (without node and script) and returns the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help(commands));
    return name ? 0 : 1;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    const near = closest(name, commands.map((c) => c.name));
    io.stderr.write(`zwgk: unknown command "${name}"${near ? ` — did you mean "${near}"?` : ''}\n\n${help(commands)}`);
    return 1;
  }
  const command = await entry.load();
  let taken: ReturnType<typeof takeTenant>;
  try {
    taken = takeTenant(rest, entry.tenants === true, name);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`zwgk ${name}: ${error.message}\n`);
    return error.code;
  }
  const args = taken.args;
  const commandIo: CliIo = taken.tenant === undefined ? io : { ...io, tenant: taken.tenant };
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, commandIo);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`zwgk ${command.name}: ${error.message}\n`);
      return error.code;
    }
    throw error;
  }
}
