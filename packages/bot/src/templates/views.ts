import type { Mention } from '../adapter.js';
import type { QuestionData } from '../commands/types.js';

/*
 * The data each template receives. Every string in a view is escaped for the output style before the
 * template sees it, except inside {@link MentionValue} objects, which the `mention` helper renders.
 */

/** A person to @-mention; templates render it with `{{mention this}}` (style-specific markup). */
export class MentionValue implements Mention {
  constructor(
    readonly id: string,
    readonly name: string,
  ) {}
  toString(): string {
    return `@${this.name}`;
  }
}

/** The templates the engine renders; each output style has one file per name (`<style>/<name>.hbs`). */
export type TemplateName =
  | 'help'
  | 'question'
  | 'notice'
  | 'confirm'
  | 'undo'
  | 'digest-unit'
  | 'digest-admin'
  | 'status-unit'
  | 'status-task'
  | 'nudge'
  | 'scores'
  | 'supplement'
  | 'task-detail'
  | 'open-units';

/** Every template name, for loading and checking overrides. */
export const TEMPLATE_NAMES: readonly TemplateName[] = [
  'help',
  'question',
  'notice',
  'confirm',
  'undo',
  'digest-unit',
  'digest-admin',
  'status-unit',
  'status-task',
  'nudge',
  'scores',
  'supplement',
  'task-detail',
  'open-units',
];

/** Fields every view has. */
export interface BaseView {
  /** Plain-text title (DingTalk notification title, Slack fallback text). */
  title: string;
  /** People the message @-mentions. */
  mentions: MentionValue[];
}

/** One milestone row of a unit, as shown in digests and progress views. */
export interface RowView {
  task: number;
  taskName: string;
  unit: string;
  /** 牵头 / 负责 / 配合. */
  role: string;
  due: string;
  /** Milestone label, e.g. 全年 or 年度抽查计划公布. */
  label: string;
  /** `6.2` when the task has several milestones, else the task number. */
  selector: string;
  status: string;
  /** 已逾期 / 即将到期 / 未到期 / 已完成 / 逾期完成 / 已豁免. */
  statusText: string;
  /** Working days left (negative once overdue). */
  workingDaysLeft: number;
  /** Overdue in calendar days, what is left in working days: `逾期 3 天` / `还剩 5 个工作日` / `今天到期`. */
  daysText: string;
  ongoing: boolean;
  /** Shanghai time of the counted confirmation, `2022-11-20 10:00`. */
  confirmedAt?: string;
}

/** Progress of a unit: milestones done out of those not exempt. */
export interface ProgressView {
  done: number;
  total: number;
  percent: number;
  overdue: number;
}

export interface HelpView extends BaseView {
  /** Shows the admin commands too. */
  admin: boolean;
  /** The unit of the group, when bound. */
  unit?: string;
  /** The group is the admin group. */
  adminGroup: boolean;
  /** Help on one command, when asked for (`帮助 确认`). */
  topic?: string;
}

export interface QuestionView extends BaseView {
  /** A question written out; without it, the `_ask` partial words `code` with `data`. */
  question?: string;
  /** Why the bot asks (a parser `QuestionCode`, or `not_understood`). */
  code?: string;
  data?: QuestionData;
  candidates: Array<{ no: number; name: string }>;
}

/** A short receipt, refusal or notice. */
export interface NoticeView extends BaseView {
  /** `ok` (done), `refused` (nothing written), `info`, `error`. */
  tone: 'ok' | 'refused' | 'info' | 'error';
  /** Body lines, in order. */
  lines: string[];
  /** A closing hint, e.g. how to undo. */
  hint?: string;
  /** Buttons under the notice, e.g. 「通过」 and 「退回」 on the 复核 queue; a tap sends `command`. */
  buttons?: NoticeButtonView[];
}

/** One button of a notice. */
export interface NoticeButtonView {
  label: string;
  /** What a tap sends, e.g. `通过 #12`. */
  command: string;
  /** Shown as the main choice. */
  primary?: boolean;
  /** Shown as a destructive choice. */
  danger?: boolean;
}

/** One item of a confirmation receipt. */
export interface ConfirmResultView {
  /**
   * `recorded` (written now), `already` (confirmed before: nothing written), `exempt`, `not_assigned`,
   * `choose` (several open milestones: asks which), `no_milestone` (the selector matches none).
   */
  kind: 'recorded' | 'already' | 'exempt' | 'not_assigned' | 'choose' | 'no_milestone';
  task: number;
  taskName: string;
  selector: string;
  due?: string;
  label?: string;
  /** For `recorded` and `already`: confirmed on or before the due date (Asia/Shanghai). */
  onTime?: boolean;
  /** For a late confirmation: calendar days after the due date. */
  daysLate?: number;
  /** Shanghai time of the (earlier) confirmation. */
  at?: string;
  /** For `already`: links (and a note) this message added to the earlier confirmation, which keeps its time. */
  added?: number;
  noted?: boolean;
  /** For `recorded`: the completion date the liaison stated (`YYYY-MM-DD`), shown beside the message time. */
  claimedDate?: string;
  /** For `choose` and `no_milestone`: the task's milestones. */
  options?: Array<{ selector: string; due: string; label: string; done: boolean }>;
}

export interface ConfirmView extends BaseView {
  unit: string;
  results: ConfirmResultView[];
  recorded: number;
  /** Evidence links as sent. */
  evidence: string[];
  /** The same links with a short text for link syntax (host and last path segment, see `shortLink`). */
  links: Array<{ url: string; text: string }>;
  note?: string;
  sender: string;
  /** e.g. `撤销 4`. */
  undoHint: string;
  /** The selectors this message recorded, e.g. `4、9` (for the 「撤销」 and 「补充佐证」 buttons); absent when none. */
  selectors?: string;
  /** Extra advice, e.g. that task 32 is assessed through 汇报. */
  notes: string[];
}

export interface UndoView extends BaseView {
  unit: string;
  undone: Array<{ task: number; taskName: string; selector: string; due: string; label: string; at: string }>;
  /** Tasks named that had nothing to withdraw. */
  nothing: Array<{ task: number; taskName: string }>;
  /** A bare 撤销: the unit's recent confirmations to choose from (nothing was withdrawn). */
  choices?: Array<{ selector: string; task: number; taskName: string; at: string; sender: string; onTime: boolean }>;
  /** On-time confirmations past their due date: what undoing them costs; `撤销 N 确定` does it. */
  costly?: Array<{ selector: string; taskName: string; at: string; due: string; before?: string; after?: string }>;
  /** Confirmations the sender may not withdraw (only the confirming person, the unit's liaisons and admins may). */
  refused?: Array<{ selector: string; taskName: string; sender: string }>;
}

/** 补充: links and notes added to existing confirmations, which keep their time. */
export interface SupplementView extends BaseView {
  unit: string;
  /** `added` (something new was kept), `unchanged` (all of it was there already), `unconfirmed` (nothing to add to). */
  results: Array<{ kind: 'added' | 'unchanged' | 'unconfirmed'; task: number; selector: string; taskName: string; added: number; noted: boolean; at?: string; onTime?: boolean }>;
  /** Every link of the amended confirmations. */
  links: Array<{ url: string; text: string }>;
  /** True when the message had neither links nor a note. */
  empty: boolean;
  /** The tasks as written back in the example command. */
  selectors: string;
  sender: string;
  /** Extra lines, e.g. that a returned confirmation went back into the office's review. */
  notes?: string[];
}

/** 任务详情 N: what a task requires, and where this unit stands. */
export interface TaskDetailView extends BaseView {
  task: number;
  taskName: string;
  content: string;
  responsibility: string;
  milestones: Array<{ selector: string; due: string; label: string }>;
  /** The group's unit, with its role and the status of each milestone; absent outside a unit group or when not assigned. */
  unit?: string;
  role?: 'lead' | 'responsible' | 'cooperating';
  rows?: Array<{ due: string; status: string }>;
  /** True when the group's unit is not assigned the task. */
  notAssigned?: boolean;
}

/** 第N项哪些单位还没完成: the units with task N still open (for the office). */
export interface OpenUnitsView extends BaseView {
  task: number;
  taskName: string;
  units: Array<{ unit: string; overdue: boolean }>;
}

/** A task a unit leads, summarised over every unit on it. */
export interface LeadSummaryView {
  task: number;
  taskName: string;
  done: number;
  total: number;
  overdueUnits: string[];
}

export interface DigestUnitView extends BaseView {
  unit: string;
  week: string;
  asOf: string;
  horizonDays: number;
  overdue: RowView[];
  dueSoon: RowView[];
  ongoing: RowView[];
  progress: ProgressView;
  leads: LeadSummaryView[];
  /** True when there is nothing to do this week. */
  clear: boolean;
  /** Rectification items (整改) not yet verified, until the office closes them (复查通过). */
  rectifications: RectificationView[];
}

/** A rectification item as digests show it. */
export interface RectificationView {
  id: number;
  item: string;
  due: string;
  /** True while it waits for the unit (待整改); false once reported (已整改, 待复查). */
  open: boolean;
  /** True once its due date has passed without 复查通过. */
  overdue: boolean;
}

export interface DigestAdminView extends BaseView {
  week: string;
  asOf: string;
  horizonDays: number;
  units: Array<{ unit: string; kind: string; overdue: number; dueSoon: number; done: number; total: number; percent: number; bound: boolean }>;
  totals: ProgressView & { dueSoon: number; units: number };
  /** Units with assignments but no bound group: they get no digest. */
  unbound: string[];
  /** Units with overdue milestones, most first (the first 10). */
  laggards: Array<{ unit: string; overdue: number }>;
  /** How many units have overdue milestones in all. */
  laggardCount: number;
  /** How many of them `laggards` leaves out. */
  laggardsHidden: number;
  /** Tasks that reach no unit: nobody is reminded or scored until the office maps them (zwgk plan check). */
  unassigned: Array<{ task: number; taskName: string }>;
  /** Rectification items not verified: how many, how many past due, how many reported and waiting for 复查. */
  rectifications: { open: number; overdue: number; awaitingReview: number };
  /** Evidence links whose latest check failed. */
  flaggedLinks: number;
  /** The county's review (复核) state counts in words, when any confirmation was reviewed or review is required. */
  reviewLine?: string;
  /**
   * Sends whose request left and whose answer never came (a timeout, a cut connection, the process stopped
   * inside the request): each may or may not have arrived, and none is sent again. Empty when none.
   */
  uncertain?: Array<{ what: string; where: string; at: string }>;
}

export interface StatusUnitView extends BaseView {
  unit: string;
  asOf: string;
  progress: ProgressView;
  overdue: RowView[];
  dueSoon: RowView[];
  ongoing: RowView[];
  upcoming: RowView[];
  done: RowView[];
  exempt: RowView[];
  leads: LeadSummaryView[];
  /** The unit's review (复核) state counts in words, when any of its confirmations was reviewed or review is required. */
  reviewLine?: string;
}

export interface StatusTaskView extends BaseView {
  task: number;
  taskName: string;
  asOf: string;
  /** `all`: every unit on the task (lead unit, admins); `own`: the unit's own rows. */
  scope: 'all' | 'own';
  leadUnits: string[];
  rows: RowView[];
  progress: ProgressView;
}

export interface NudgeView extends BaseView {
  unit: string;
  task: number;
  taskName: string;
  rows: RowView[];
  /** Who nudged, e.g. 县政府办. */
  from: string;
}

export interface ScoresView extends BaseView {
  asOf: string;
  /**
   * `MM-DD` of the assessment date when it is before the plan year's end: the scores are then an estimate
   * (milestones not yet due are left out; the year-end assessment counts every task).
   */
  estimateAsOf?: string;
  groups: Array<{
    name: string;
    /** `rank` is null for a unit scored but not ranked (the assessor; vertically managed units left out); `placeText` says which. */
    units: Array<{ rank: number | null; placeText: string; unit: string; final: string; grade: string; completion: string; briefing: string; bonus: string; deductions: string }>;
  }>;
  /** One unit's detail (考核 郭道镇). */
  detail?: {
    unit: string;
    final: string;
    grade: string;
    rank: number | null;
    /** `组内第 2 名`, or why the unit is not ranked. */
    placeText: string;
    completion: string;
    briefing: string;
    bonus: string;
    deductions: string;
    overdue: Array<{ task: number; due: string }>;
    late: Array<{ task: number; due: string }>;
    /** For an estimate: the most the unit can still reach at year end, confirming every open milestone now (the SDK's `whatIf`). */
    best?: { final: string; grade: string };
  };
}

/** The view type of each template. */
export interface TemplateViews {
  help: HelpView;
  question: QuestionView;
  notice: NoticeView;
  confirm: ConfirmView;
  undo: UndoView;
  'digest-unit': DigestUnitView;
  'digest-admin': DigestAdminView;
  'status-unit': StatusUnitView;
  'status-task': StatusTaskView;
  nudge: NudgeView;
  supplement: SupplementView;
  'task-detail': TaskDetailView;
  'open-units': OpenUnitsView;
  scores: ScoresView;
}
