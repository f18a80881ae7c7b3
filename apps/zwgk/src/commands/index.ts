import type { Command } from '../io.js';
import { deadlinesCommand } from './deadlines.js';
import { digestCommand } from './digest.js';
import { exportCommand } from './export.js';
import { planCommand } from './plan.js';
import { createReportCommand } from './report.js';
import { recordsFromDatabase } from './report-sources.js';
import { configuredPlan } from './shared.js';
import { adminCommand, bindCommand, liaisonCommand } from './setup.js';
import { startCommand } from './start.js';

/** Every sub-command, in the order `zwgk --help` lists them. */
export const commands: Command[] = [
  planCommand,
  deadlinesCommand,
  startCommand,
  digestCommand,
  createReportCommand({ plan: configuredPlan, records: recordsFromDatabase }),
  exportCommand,
  bindCommand,
  liaisonCommand,
  adminCommand,
];
