import type { Command } from '../io.js';
import { deadlinesCommand } from './deadlines.js';
import { digestCommand } from './digest.js';
import { planCommand } from './plan.js';
import { adminCommand, bindCommand, liaisonCommand } from './setup.js';
import { startCommand } from './start.js';

/** Every sub-command, in the order `zwgk --help` lists them. */
export const commands: Command[] = [planCommand, deadlinesCommand, startCommand, digestCommand, bindCommand, liaisonCommand, adminCommand];
