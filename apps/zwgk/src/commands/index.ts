import type { Command } from '../io.js';
import { deadlinesCommand } from './deadlines.js';
import { planCommand } from './plan.js';

/** Every sub-command, in the order `zwgk --help` lists them. */
export const commands: Command[] = [planCommand, deadlinesCommand];
