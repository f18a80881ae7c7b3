/**
 * @zwgk/sdk — model, import, schedule and score a county government's yearly 政务公开 work plan.
 *
 * No county is built in here and nothing runs at import; the 沁源县 plan, directory and seed text are in
 * `@zwgk/sdk/qinyuan`. Programmer errors throw a {@link ZwgkError} with a stable `code`; bad user input
 * comes back as `{ success: false, error }`.
 *
 * @example
 * import { dueForUnit } from '@zwgk/sdk';
 * import { getPlan } from '@zwgk/sdk/qinyuan';
 * const plan = getPlan('qinyuan-2022');
 * dueForUnit(plan, '郭道镇', { asOf: '2022-11-21' });
 *
 * @packageDocumentation
 */

// Errors
export { ZwgkError, isZwgkError } from './errors.js';
export type { ZwgkErrorCode } from './errors.js';

// Model
export {
  IsoDateSchema,
  UnitKindSchema,
  UnitSchema,
  RoleSchema,
  AssignmentSchema,
  RecurrenceSchema,
  MilestoneSchema,
  TaskSchema,
  PlanSchema,
  DiagnosticSchema,
  StatusSchema,
} from './model/schemas.js';
export type {
  UnitKind,
  Unit,
  Role,
  Assignment,
  Recurrence,
  Milestone,
  Task,
  Plan,
  PlanInput,
  Diagnostic,
  Status,
  Result,
} from './model/schemas.js';

export { dueInYear } from './model/due-in-year.js';
export { ANNUAL_REPORT_LABEL, milestoneDue, withStatutoryMilestones } from './model/plan-dates.js';
export type { MilestoneDue, StatutoryOptions } from './model/plan-dates.js';

// Unit directory
export {
  classifyGroup,
  createDirectory,
  directoryOf,
  isZonePhrase,
  normalizeUnitName,
  resolveUnit,
  strongerRole,
} from './directory/directory.js';
export type { Assignee, Directory, DirectoryOptions, DirectorySource, GroupKind, UnknownUnit } from './directory/directory.js';
export { checkAssignments, sectorSuggestions } from './directory/check.js';
export type { PhraseCheck, PhraseProblem, PlanCheck, TaskCheck } from './directory/check.js';

// Time (Asia/Shanghai)
export { addDays, endOfMonth, shanghaiDate, shanghaiInstant } from './time/shanghai.js';

// Records (what the assessment reads)
export {
  BriefingSchema,
  CarryoverSchema,
  ConfirmationSchema,
  DeductionSchema,
  EvidenceCheckResultSchema,
  EvidenceCheckSchema,
  ExemptionSchema,
  HighlightSchema,
  InstantSchema,
  RecordsSchema,
  RectificationSchema,
  ReviewSchema,
  ReviewStateSchema,
} from './records/schema.js';
export type {
  Briefing,
  Carryover,
  Confirmation,
  Deduction,
  EvidenceCheck,
  EvidenceCheckResult,
  Exemption,
  Highlight,
  Records,
  RecordsInput,
  Rectification,
  Review,
  ReviewState,
} from './records/schema.js';

// Working-day calendar (statutory holidays and 调休, chinese-days)
export { createCalendar, defaultCalendar } from './calendar/calendar.js';
export type { CalendarOptions, WorkingCalendar } from './calendar/calendar.js';

// Milestone statuses and due lists
export { DEFAULT_DUE_SOON_DAYS, milestoneStatus } from './status/milestone-status.js';
export type { MilestoneStatusInput } from './status/milestone-status.js';
export { dueForUnit, planStatuses, unitsDigest } from './status/plan-status.js';
export type {
  ConfirmationRecord,
  DueOptions,
  ExemptionRecord,
  PlanStatusOptions,
  StatusOptions,
  StatusRow,
  UnitDue,
} from './status/plan-status.js';
export { dueBetween } from './status/due-between.js';
export type { DueBetweenOptions, DueItem } from './status/due-between.js';

// Assessment scoring (考核, docs/assessment.md)
export { RubricSchema, defaultRubric, parseRubric, resolveRubric } from './scoring/rubric.js';
export type { Rubric, RubricInput } from './scoring/rubric.js';
export { validateRecords } from './scoring/validate-records.js';
export type { RecordsError, RecordsErrorCode } from './scoring/validate-records.js';
export { score, whatIf } from './scoring/score.js';
export type {
  Assessment,
  BriefingScore,
  CarryoverScore,
  DeductionScore,
  Grade,
  HighlightScore,
  MilestoneScore,
  MilestoneScoreStatus,
  OverdueItem,
  RectificationScore,
  ScoreGroup,
  ReviewCounts,
  ScoreOptions,
  UnitScore,
} from './scoring/score.js';

// Plan-table importer (任务分解表 → Plan)
export { parsePlanTable } from './importer/parse-plan-table.js';
export type { ParsePlanTableOptions, ParsePlanTableResult, PlanUnitInput } from './importer/parse-plan-table.js';
export { parseResponsibility } from './importer/responsibility.js';
export { findContentDeadlines, parseDeadline } from './importer/deadlines.js';
export type { DeadlineResult } from './importer/deadlines.js';

// A unit directory read off an imported plan (for counties without one)
export { unitsFromPlan } from './importer/units-from-plan.js';
export type { UnitsFromPlanInput } from './importer/units-from-plan.js';
// Importer: tables of other offices (row reports, the table's own directory, traditional text)
export { tableDirectory } from './importer/units-from-plan.js';
export type { TableDirectory } from './importer/units-from-plan.js';
export type { RowConfidence, RowReport } from './importer/parse-plan-table.js';
export { toSimplified } from './importer/simplified.js';
