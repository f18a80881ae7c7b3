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
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`zwgk ${command.name}: ${error.message}\n`);
      return error.code;
    }
    throw error;
  }
}
