import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseRubric, shanghaiDate, validateRecords, type Plan, type Records, type RecordsInput, type Rubric } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { parseCommandArgs, parseDateOption } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import type { CountySummary } from '@zwgk/bot';
import type { ReportContext, ReportOffice } from '../report/context.js';
import { recognizeRecords } from '../report/recognize.js';
import { REPORT_FORMATS, runReport, type ReportFormat } from '../report/run.js';
import { writeFileAtomic } from '../report/write.js';

const usage = `Usage:
  zwgk report [--records FILE] [--as-of DATE] [--rubric FILE] --format md|html|xlsx|docx|csv|json [--out FILE]
              [--date DATE] [--template FILE] [--tenant ID]
  zwgk report --rollup [--as-of DATE] --format md|html|xlsx [--out FILE]

Scores every unit of the plan (rubric of docs/assessment.md) and writes the county office's summary;
docx is the 通报 (公文 layout) signed by the config's office. Before 12-31 the reports are titled 预估.

Options:
  --records FILE   assessment records (JSON: confirmations, briefings, highlights, carryover,
                   deductions, exemptions); see docs/assessment.md. Without it: what the bot
                   recorded in its database (<dataDir>/zwgk.sqlite; the sandbox's is data/sandbox)
  --as-of DATE     assessment date YYYY-MM-DD (default: the records' asOf — for the sandbox's
                   database its simulated date — else 12-31 of the plan year)
  --rubric FILE    the county's own rubric (.json, .yaml or .yml), merged over the default one
  --format F       md (chat summary), html (printable, with charts), xlsx (Excel), docx (通报 for
                   Word/WPS), csv, json (default: from the --out file's extension)
  --out FILE       write to FILE (atomically) instead of standard output; required for xlsx and docx
  --date DATE      docx: the 通报's date (落款), YYYY-MM-DD (default: today, Asia/Shanghai)
  --template FILE  docx: the county's own 通报 template (Handlebars; default: config office.tongbaoTemplate,
                   else the built-in one; see docs/assessment.md)
  --tenant ID      one county of a shared deployment: its plan, records and rubric (zwgk tenant list)
  --rollup         every county (tenant) of the deployment, one row each: completion, overdue count,
                   the units' mean score and grade under each county's rubric (default --as-of: today)`;

const EXTENSIONS: Record<string, ReportFormat> = {
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.xlsx': 'xlsx',
  '.docx': 'docx',
  '.csv': 'csv',
  '.json': 'json',
};

/** Where a report command gets what it does not read from the command line. */
export interface ReportCommandOptions {
  /** The plan to score (default: the bundled 沁源县 2022 plan). */
  plan?: (io: CliIo) => Plan | Promise<Plan>;
  /**
   * Records from the bot's database, used when `--records` is not given, e.g.
   * `(plan) => exportRecords(store, plan)`; they are checked like a file's. `undefined` (the default)
   * makes the command ask for `--records`.
   */
  records?: (plan: Plan, io: CliIo) => Promise<Records | RecordsInput>;
  /**
   * The units' liaisons from the bot's database (by canonical unit name), asked for only when the records
   * come from there too; a records file has no liaisons. Default: none.
   */
  liaisons?: (plan: Plan, io: CliIo) => Promise<Record<string, string[]>>;
  /** The configured issuing office and 通报 template path (config `office`); default: none. */
  office?: (io: CliIo) => Promise<(ReportOffice & { tongbaoTemplate?: string }) | undefined>;
  /** Today's date for the 通报's 落款 when `--date` is not given (default: today in Asia/Shanghai). */
  today?: () => string;
  /** The rubric when `--rubric` is not given (a tenant's own); default the SDK's default rubric. */
  rubric?: (io: CliIo) => Promise<Rubric | undefined>;
  /** The roll-up across the deployment's tenants as of a date (`--rollup`); default: not available. */
  rollup?: (io: CliIo, asOf: string) => Promise<CountySummary[]>;
}

function fail(io: CliIo, lines: string[]): number {
  for (const line of lines) io.stderr.write(`zwgk report: ${line}\n`);
  return 1;
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(error);
}

async function readText(path: string, what: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    return { ok: false, error: `cannot read ${what} ${path}: ${reason(error)}` };
  }
}

/**
 * Builds the `zwgk report` command; tests pass their own plan, the service passes the bot's records.
 *
 * @example
 * const command = createReportCommand({ plan: () => myPlan });
 * await command.run(['--records', 'records.json', '--format', 'json'], io);
 */
export function createReportCommand(options: ReportCommandOptions = {}): Command {
  const loadPlan = options.plan ?? (() => getPlan('qinyuan-2022'));
  return {
    name: 'report',
    usage,
    async run(args, io) {
      const { values, positionals } = parseCommandArgs(
        args,
        {
          records: { type: 'string' },
          'as-of': { type: 'string' },
          rubric: { type: 'string' },
          format: { type: 'string' },
          out: { type: 'string' },
          date: { type: 'string' },
          template: { type: 'string' },
          rollup: { type: 'boolean' },
        },
        usage,
      );
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${usage}`);
      const cwd = io.cwd ?? process.cwd();
      const asOf = parseDateOption(values['as-of'], '--as-of');
      const issued = parseDateOption(values.date, '--date');

      let format: ReportFormat | undefined;
      if (values.format !== undefined) {
        if (!(REPORT_FORMATS as readonly string[]).includes(values.format)) {
          throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${values.format}"`);
        }
        format = values.format as ReportFormat;
      } else if (values.out !== undefined) {
        format = EXTENSIONS[extname(values.out).toLowerCase()];
        if (!format) throw new UsageError(`cannot tell the format from "${values.out}": add --format ${REPORT_FORMATS.join('|')}`);
      } else {
        throw new UsageError(`--format is required (${REPORT_FORMATS.join(', ')})\n\n${usage}`);
      }
      if ((format === 'xlsx' || format === 'docx') && values.out === undefined) {
        throw new UsageError(`${format} is a binary file: give --out FILE.${format} to write it to a file`);
      }
      if (format !== 'docx' && (values.date !== undefined || values.template !== undefined)) {
        throw new UsageError('--date and --template belong to the 通报: add --format docx');
      }

      if (values.rollup) {
        if (format !== 'md' && format !== 'html' && format !== 'xlsx') throw new UsageError(`--rollup writes md, html or xlsx, not ${format}`);
        if (values.records !== undefined || values.rubric !== undefined || io.tenant !== undefined) throw new UsageError('--rollup reads every tenant’s own records and rubric: --records, --rubric and --tenant do not apply');
        if (!options.rollup) throw new UsageError('--rollup needs the deployment’s tenants, which this report command cannot read');
        const day = asOf ?? (options.today ?? (() => shanghaiDate(new Date())))();
        const lines = await options.rollup(io, day);
        if (!lines.length) return fail(io, ['there are no tenants to roll up (zwgk tenant list; zwgk plan import FILE --tenant ID adds one)']);
        const { renderRollup } = await import('../report/rollup.js');
        const body = await renderRollup(lines, day, format);
        if (values.out === undefined) {
          io.stdout.write(body as string);
          return 0;
        }
        try {
          await writeFileAtomic(resolve(cwd, values.out), body);
        } catch (error) {
          return fail(io, [`cannot write ${values.out}: ${reason(error)}`]);
        }
        io.stdout.write(`wrote ${values.out} (${format}: ${lines.length} counties as of ${day})\n`);
        return 0;
      }

      const plan = await loadPlan(io);

      let rubric: Rubric | undefined;
      if (values.rubric !== undefined) {
        const path = resolve(cwd, values.rubric);
        const ext = extname(path).toLowerCase();
        const kind = ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
        if (!kind) throw new UsageError(`--rubric expects a .json, .yaml or .yml file, got "${values.rubric}"`);
        const read = await readText(path, 'rubric');
        if (!read.ok) return fail(io, [read.error]);
        const parsed = parseRubric(read.text, kind);
        if (!parsed.success) return fail(io, [`bad rubric ${values.rubric}:`, ...parsed.error.split('\n').map((l) => `  ${l}`)]);
        rubric = parsed.data;
      } else {
        rubric = await options.rubric?.(io);
      }

      const office = await options.office?.(io);
      let template: string | undefined;
      const templatePath = values.template ?? (format === 'docx' ? office?.tongbaoTemplate : undefined);
      if (templatePath !== undefined) {
        const read = await readText(resolve(cwd, templatePath), '通报 template');
        if (!read.ok) return fail(io, [read.error]);
        template = read.text;
      }

      let input: unknown;
      let source: string;
      let liaisons: Record<string, string[]> | undefined;
      if (values.records !== undefined) {
        source = values.records;
        const read = await readText(resolve(cwd, values.records), 'records');
        if (!read.ok) return fail(io, [read.error]);
        try {
          input = JSON.parse(read.text.replace(/^\uFEFF/, ''));
        } catch (error) {
          return fail(io, [`records ${values.records} is not valid JSON: ${reason(error)}`]);
        }
        const shape = recognizeRecords(input, values.records);
        if (!shape.success) return fail(io, [shape.error, 'nothing written.']);
      } else if (options.records) {
        source = 'the bot’s records';
        input = await options.records(plan, io);
        liaisons = await options.liaisons?.(plan, io);
      } else {
        return fail(io, [
          '--records FILE is needed: reading the bot’s database is not available yet.',
          'Export the records as JSON (see docs/assessment.md) and run: zwgk report --records FILE --format md',
        ]);
      }
      const checked = validateRecords(plan, input);
      if (!checked.success) {
        const n = checked.error.length;
        return fail(io, [`${n} problem${n === 1 ? '' : 's'} in ${source}; nothing written:`, ...checked.error.map((e) => `  ${e.message}`)]);
      }
      const records: Records = checked.data;

      const context: ReportContext = {
        ...(office ? { office: { name: office.name, ...(office.shortName ? { shortName: office.shortName } : {}) } } : {}),
        ...(liaisons ? { liaisons } : {}),
        ...(template !== undefined ? { template } : {}),
        issued: issued ?? (options.today ?? (() => shanghaiDate(new Date())))(),
      };
      let report: Awaited<ReturnType<typeof runReport>>;
      try {
        report = await runReport({ plan, records, format, context, ...(asOf ? { asOf } : {}), ...(rubric ? { rubric } : {}) });
      } catch (error) {
        // a county's own template is the only expected way for rendering to fail
        if (error instanceof Error && error.name === 'TongbaoTemplateError') return fail(io, [error.message, 'nothing written.']);
        throw error;
      }
      if (values.out === undefined) {
        io.stdout.write(report.body as string);
        return 0;
      }
      const out = resolve(cwd, values.out);
      try {
        await writeFileAtomic(out, report.body);
      } catch (error) {
        return fail(io, [`cannot write ${values.out}: ${reason(error)}`]);
      }
      const a = report.assessment;
      io.stdout.write(`wrote ${values.out} (${format}: ${a.units.length} units as of ${a.asOf}, ${a.overdue.length} overdue)\n`);
      if (format === 'docx' && !office) io.stderr.write('zwgk report: note: no office in the configuration (office.name): the 通报 is signed with the date only\n');
      return 0;
    },
  };
}

/** `zwgk report`: the assessment as the county office's summaries (md, html, xlsx, docx 通报, csv, json). */
export const reportCommand: Command = createReportCommand();
