/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** The terminal's width in columns, when stdout is a terminal (tables fit it); undefined for a file or pipe. */
  columns?: number;
  /** Working directory for relative paths; defaults to process.cwd(). */
  cwd?: string;
  /**
   * The tenant a command works on (`--tenant ID`, taken off the arguments by the CLI for the commands that
   * read or change a store); the default tenant when undefined.
   */
  tenant?: string;
  /** Where interactive commands read lines from; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream & import('node:stream').Readable;
}

/** Thrown for bad command-line input: printed without a stack, exit code 1 (or `code`). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One `zwgk` sub-command (its one-line summary lives in the command list, `commands/index.ts`). */
export interface Command {
  name: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
