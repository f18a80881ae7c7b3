import type { Command } from '../io.js';

/**
 * One line of `zwgk --help` and how to load the command. Loading is deferred so that a command pays only
 * for its own dependencies: `zwgk plan` never loads exceljs, the bot, the chat adapters or the logger.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Whether it takes `--tenant ID` (it reads or changes a tenant's store or plan). */
  tenants?: boolean;
  load(): Promise<Command>;
}

/** Every sub-command, in the order `zwgk --help` lists them. */
export const commands: CommandEntry[] = [
  {
    name: 'plan',
    tenants: true,
    summary: 'show the bundled work plan, or import another county’s task table',
    load: async () => (await import('./plan.js')).planCommand,
  },
  {
    name: 'units',
    summary: 'list and edit the unit directory: add, rename, retire units; kind, ranking group, flags',
    load: async () => (await import('./units.js')).unitsCommand,
  },
  {
    name: 'deadlines',
    tenants: true,
    summary: 'what is overdue, due soon and done for each unit on a given day',
    load: async () => (await import('./deadlines.js')).deadlinesCommand,
  },
  {
    name: 'start',
    summary: 'run the bot on DingTalk/Slack as configured, or the local sandbox with --sandbox (or --terminal)',
    load: async () => (await import('./start.js')).startCommand,
  },
  {
    name: 'digest',
    tenants: true,
    summary: 'send (or preview with --dry-run) the weekly deadline digests',
    load: async () => (await import('./digest.js')).digestCommand,
  },
  {
    name: 'report',
    tenants: true,
    summary: 'assessment (考核) report: md, html with charts, xlsx, docx (通报), csv or json',
    load: async () => {
      const [{ createReportCommand }, { cliTenant, configuredPlan, configOrExit }] = await Promise.all([import('./report.js'), import('./shared.js')]);
      // The bot's store is loaded only when the records come from its database, not for --records FILE.
      const records = async (...args: Parameters<typeof import('./report-sources.js').recordsFromDatabase>) =>
        (await import('./report-sources.js')).recordsFromDatabase(...args);
      const liaisons = async (...args: Parameters<typeof import('./report-sources.js').liaisonsFromDatabase>) =>
        (await import('./report-sources.js')).liaisonsFromDatabase(...args);
      const office = async (io: Parameters<typeof configOrExit>[0]) => (await configOrExit(io)).config.office;
      const rubric = async (io: Parameters<typeof configOrExit>[0]) => (await cliTenant(io)).rubric;
      const rollup = async (...args: Parameters<typeof import('./report-sources.js').rollupFromDatabase>) => (await import('./report-sources.js')).rollupFromDatabase(...args);
      return createReportCommand({ plan: configuredPlan, records, liaisons, office, rubric, rollup });
    },
  },
  {
    name: 'export',
    tenants: true,
    summary: 'write the bot’s records of the plan year as JSON (the --records format)',
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'review',
    tenants: true,
    summary: 'the office’s review (复核) of confirmations: list the queue, accept (通过) or return (退回)',
    load: async () => (await import('./review.js')).reviewCommand,
  },
  {
    name: 'bind',
    tenants: true,
    summary: 'bind group chats to units (or the admin group), list or remove bindings',
    load: async () => (await import('./setup.js')).bindCommand,
  },
  {
    name: 'liaison',
    tenants: true,
    summary: 'register, remove or list units’ liaisons (联络员)',
    load: async () => (await import('./setup.js')).liaisonCommand,
  },
  {
    name: 'admin',
    tenants: true,
    summary: 'add, remove or list the county office’s admins',
    load: async () => (await import('./setup.js')).adminCommand,
  },
  {
    name: 'deduction',
    tenants: true,
    summary: 'record, list or withdraw deductions (扣分)',
    load: async () => (await import('./oversight.js')).deductionCommand,
  },
  {
    name: 'rectification',
    tenants: true,
    summary: 'set, list, close and verify rectification items (整改) with due dates',
    load: async () => (await import('./oversight.js')).rectificationCommand,
  },
  {
    name: 'evidence',
    tenants: true,
    summary: 'check evidence links now and list the failing ones (zwgk evidence check)',
    load: async () => (await import('./oversight.js')).evidenceCommand,
  },
  {
    name: 'tenant',
    summary: 'the counties (tenants) of a shared deployment: add, list, show, set, remove',
    load: async () => (await import('./tenant.js')).tenantCommand,
  },
  {
    name: 'rollup',
    summary: 'city or province admin groups that see every county’s progress and grades (roll-up)',
    load: async () => (await import('./tenant.js')).rollupCommand,
  },
  {
    name: 'db',
    tenants: true,
    summary: 'copy the records into another database (SQLite → PostgreSQL), apply migrations',
    load: async () => (await import('./db.js')).dbCommand,
  },
];
