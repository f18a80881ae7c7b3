import { defaultRubric, score, type Assessment, type Plan, type Records, type Rubric } from '@zwgk/sdk';
import type { ReportContext } from './context.js';

/** The formats `zwgk report` writes. */
export const REPORT_FORMATS = ['md', 'html', 'xlsx', 'docx', 'csv', 'json'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What {@link runReport} needs: the plan, checked records from any source (a file, the bot's database) and the format. */
export interface ReportInput {
  plan: Plan;
  /** Records already checked by `validateRecords` against `plan`. */
  records: Records;
  format: ReportFormat;
  /** Assessment date `YYYY-MM-DD`; default the records' `asOf`, else 12-31 of the plan year. */
  asOf?: string;
  /** Default {@link defaultRubric}. */
  rubric?: Rubric;
  /** The issuing office, the 通报's date and template, the units' liaisons (all optional). */
  context?: ReportContext;
}

/** A rendered report: text for md/html/csv/json, bytes for xlsx and docx. */
export interface ReportOutput {
  assessment: Assessment;
  format: ReportFormat;
  body: string | Uint8Array;
}

/** The assessment date a report uses when none is given: the records' `asOf`, else the plan year's 12-31. */
export function defaultAsOf(plan: Plan, records: Records): string {
  return records.asOf ?? `${plan.year}-12-31`;
}

/**
 * Scores the records and renders the report in one format.
 *
 * @example
 * const checked = validateRecords(plan, JSON.parse(text));
 * if (checked.success) {
 *   const { body } = await runReport({ plan, records: checked.data, format: 'md' });
 *   process.stdout.write(body as string);
 * }
 */
export async function runReport(input: ReportInput): Promise<ReportOutput> {
  const { plan, records, format } = input;
  const assessment = score(plan, records, { asOf: input.asOf ?? defaultAsOf(plan, records), rubric: input.rubric ?? defaultRubric });
  const body = await render(assessment, plan, format, input.context);
  return { assessment, format, body };
}

/** Renders an existing assessment (e.g. a what-if projection) in one format; only that format's renderer is loaded. */
export async function render(assessment: Assessment, plan: Plan, format: ReportFormat, context: ReportContext = {}): Promise<string | Uint8Array> {
  switch (format) {
    case 'json':
      return (await import('./json.js')).renderJson(assessment);
    case 'csv':
      return (await import('./csv.js')).renderCsv(assessment);
    case 'md':
      return (await import('./markdown.js')).renderMarkdown(assessment, plan);
    case 'html':
      return (await import('./html.js')).renderHtml(assessment, plan, context);
    case 'xlsx':
      return (await import('./xlsx.js')).renderXlsx(assessment, plan, context);
    case 'docx':
      return (await import('./docx.js')).renderDocx(assessment, plan, context);
  }
}
