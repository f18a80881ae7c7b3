import type { Command } from '../io.js';

/** Every sub-command, in the order `zwgk --help` lists them. */
export const commands: Command[] = [];
