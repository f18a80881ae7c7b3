/** What the parser returns: commands, questions back (codes and data, never wording) and guesses. */

/** A task named in a command, optionally narrowed to one of its milestones. */
export interface TaskItem {
  /** Task number. */
  task: number;
  /** 1-based milestone index, from `6.2`. */
  milestone?: number;
  /** Milestone due date `YYYY-MM-DD`, from `确认 6 3月31日`. */
  due?: string;
}

/** Every command kind of docs/bot.md (the `kind` of a parsed {@link Command}). */
export type CommandKind =
  | 'confirm'
  | 'undo'
  | 'supplement'
  | 'digest'
  | 'status'
  | 'detail'
  | 'briefing'
  | 'highlight'
  | 'help'
  | 'bind'
  | 'unbind'
  | 'liaison'
  | 'nudge'
  | 'exempt'
  | 'select'
  | 'scores'
  | 'export'
  | 'deduct'
  | 'undeduct'
  | 'rectify'
  | 'rectified'
  | 'verify'
  | 'reopen'
  | 'recheck'
  | 'review'
  | 'accept'
  | 'return';

/** `确认 4、9 [6.2] [链接…] [说明]`, or a natural report (`第5项已办结`) — a unit reports milestones done. */
export interface ConfirmCommand {
  kind: 'confirm';
  items: TaskItem[];
  /** Links found anywhere in the text, normalised. */
  evidence: string[];
  note?: string;
  /** A completion date the liaison states (`11月18日已完成`), `YYYY-MM-DD`; scoring keeps the message time. */
  claimedDate?: string;
  /** True when the report had no command word (`第5项已办结`, `十七 done`). */
  natural?: boolean;
}
/** `撤销 [4] [确定]` — withdraw a confirmation; without a task the bot asks which. */
export interface UndoCommand {
  kind: 'undo';
  items: TaskItem[];
  /** `撤销 4 确定`: the second step, after the bot said what the undo costs. */
  confirmed?: boolean;
}
/** `补充 4 [链接…] [说明]` — add evidence or a note to an existing confirmation, keeping its time. */
export interface SupplementCommand {
  kind: 'supplement';
  items: TaskItem[];
  evidence: string[];
  note?: string;
}
/** `本周 [单位]` — this week's digest on demand. */
export interface DigestCommand {
  kind: 'digest';
  target?: string;
}
/** `进度 [4 | 单位 | 任务名]` — progress of the unit, a task or (admins) another unit. */
export interface StatusCommand {
  kind: 'status';
  task?: number;
  target?: string;
  /** `第4项哪些单位还没完成`: only the units still open. */
  openOnly?: boolean;
}
/** `任务 4` / `第4项要求是什么` — what a task requires: content, units, due dates and this unit's status. */
export interface DetailCommand {
  kind: 'detail';
  task: number;
}
/** `汇报 YYYY-MM-DD [说明]` — a leader briefing (task 32). */
export interface BriefingCommand {
  kind: 'briefing';
  date: string;
  note?: string;
}
/** `亮点 标题` — a 亮点工程 entry submitted (task 31). */
export interface HighlightCommand {
  kind: 'highlight';
  title: string;
  evidence: string[];
}
/** `帮助 [命令]`, or an empty mention. */
export interface HelpCommand {
  kind: 'help';
  topic?: string;
}
/** `绑定 [单位名 | 管理群]` — bind this group to a unit or make it the admin group; without a name, show the binding. */
export interface BindCommand {
  kind: 'bind';
  /** Unit name as typed; `null` asks for the current binding. */
  target: string | null;
  /** True for `绑定 管理群` / `bind admin`. */
  admin: boolean;
}
/** `解绑` — remove this group's binding. */
export interface UnbindCommand {
  kind: 'unbind';
}
/** `联络员 [@某人…]`, `联络员 移除 @某人` — register, remove or list the unit's liaisons. */
export interface LiaisonCommand {
  kind: 'liaison';
  action: 'add' | 'remove' | 'list';
  /** Names written after `@` in the text (the adapter's mention list is authoritative). */
  names: string[];
}
/** `催办 4` — remind every unit group with the task open. */
export interface NudgeCommand {
  kind: 'nudge';
  tasks: number[];
}
/** `豁免 4 单位 原因`. */
export interface ExemptCommand {
  kind: 'exempt';
  items: TaskItem[];
  /** The first unit named (as `units[0]`). */
  unit: string;
  /** Every unit named, as written (joined by 、): `豁免 4 郭道镇、沁河镇 原因`. */
  units: string[];
  reason: string;
}
/** `入选 亮点编号`. */
export interface SelectCommand {
  kind: 'select';
  highlight: number;
}
/** `考核 [单位]` — the county assessment overview, or one unit's detail. */
export interface ScoresCommand {
  kind: 'scores';
  target?: string;
}
/** `导出` — the records of the plan year. */
export interface ExportCommand {
  kind: 'export';
}

/** `扣分 单位 分值 原因` (admins) — a manual deduction with its reason. */
export interface DeductCommand {
  kind: 'deduct';
  unit: string;
  points: number;
  reason: string;
}
/** `撤销扣分 编号` (admins) — withdraw a deduction. */
export interface UndeductCommand {
  kind: 'undeduct';
  id: number;
}
/**
 * `整改 单位 事项 期限` (admins) — set a unit a rectification item; `整改` alone lists the open items (a unit
 * group its own, the admin group every unit's).
 */
export interface RectifyCommand {
  kind: 'rectify';
  /** Absent: list the open items. */
  item?: { unit: string; text: string; due?: string; workingDays?: number };
}
/** `已整改 编号 [说明]` — a unit reports an item rectified; without a number it lists its open items. */
export interface RectifiedCommand {
  kind: 'rectified';
  id?: number;
  note?: string;
}
/** `复查通过 编号…` (admins) — the office's 复查 of items passed. */
export interface VerifyCommand {
  kind: 'verify';
  ids: number[];
}
/** `复查不通过 编号 原因` (admins) — an item reported rectified goes back to 待整改. */
export interface ReopenCommand {
  kind: 'reopen';
  id: number;
  reason: string;
}
/** `核查链接 [单位] [任务]` (admins) — check the evidence links again. */
export interface RecheckCommand {
  kind: 'recheck';
  target?: string;
  task?: number;
}
/** `复核 [单位 | 4]` — the office's review queue (待复核), oldest first, optionally of one unit or task. */
export interface ReviewCommand {
  kind: 'review';
  /** A unit named as typed. */
  target?: string;
  /** A task number. */
  task?: number;
}
/**
 * `通过 4 郭道镇`, `通过 3 5 7 郭道镇`, `通过 4 郭道镇、沁河镇`, `通过 4 全部`, `通过 #12 #15`,
 * `通过 郭道镇 全部`; `退回 4 郭道镇 原因` — the office accepts or returns confirmations waiting for review.
 */
export interface ReviewDecisionCommand {
  kind: 'accept' | 'return';
  /** Tasks named (every milestone of each unless narrowed: `6.2`). */
  items: TaskItem[];
  /** Queue numbers (`#12`, the confirmation ids the 复核 list shows). */
  ids: number[];
  /** Units named, as typed (joined by 、, a comma or spaces for 通过; by 、 for 退回, where a space starts the reason). */
  units: string[];
  /** `全部` / `所有` / `all`: every unit waiting for review on the tasks named (or every task of the units named). */
  all: boolean;
  /** Why it is returned (退回); the handler asks for it when missing. */
  reason?: string;
}

/** A command the parser understood. */
export type Command =
  | ConfirmCommand
  | UndoCommand
  | SupplementCommand
  | DigestCommand
  | StatusCommand
  | DetailCommand
  | BriefingCommand
  | HighlightCommand
  | HelpCommand
  | BindCommand
  | UnbindCommand
  | LiaisonCommand
  | NudgeCommand
  | ExemptCommand
  | SelectCommand
  | ScoresCommand
  | ExportCommand
  | DeductCommand
  | UndeductCommand
  | RectifyCommand
  | RectifiedCommand
  | VerifyCommand
  | ReopenCommand
  | RecheckCommand
  | ReviewCommand
  | ReviewDecisionCommand;

/**
 * Why the parser asks back; the wording is the `question` template's (templates/<style>/_ask.hbs).
 * - `which_task`: the command needs a task (`word`).
 * - `milestone_from_one`: `确认 6.0` (`task`).
 * - `bad_date`: a selector date that does not exist (`text`).
 * - `unknown_numbers`: numbers the plan does not have (`numbers`, `count`, `max`; `valid` and `command` when others were valid).
 * - `name_ambiguous`: a name fits several tasks (`token`, candidates, `more`).
 * - `name_missing`: a name fits no task (`token`).
 * - `range`: `确认 4-9` lists the tasks and gives the `command` to send.
 * - `briefing_date`, `briefing_date_invalid`, `highlight_title`, `exempt_task`, `exempt_unit`, `exempt_reason`, `select_which`.
 * - `deduct_usage` (unit or reason missing), `deduct_points` (no points, or not between 0 and 100: `text`),
 *   `rectify_usage` (unit or item missing), `rectify_due` (no deadline at the end), `rectified_which`,
 *   `verify_which`, `reopen_usage`.
 * - `did_you_mean`: a slip of a command word, or a report the parser would not act on alone; `command` is the guess.
 * - `not_done`: `确认 4 还没完成` — the command's own words say the work is not done (`text`); `command` is what to send once it is.
 */
export type QuestionCode =
  | 'which_task'
  | 'milestone_from_one'
  | 'bad_date'
  | 'unknown_numbers'
  | 'name_ambiguous'
  | 'name_missing'
  | 'range'
  | 'briefing_date'
  | 'briefing_date_invalid'
  | 'highlight_title'
  | 'exempt_task'
  | 'exempt_unit'
  | 'exempt_reason'
  | 'select_which'
  | 'deduct_usage'
  | 'deduct_points'
  | 'rectify_usage'
  | 'rectify_due'
  | 'rectified_which'
  | 'verify_which'
  | 'reopen_usage'
  | 'did_you_mean'
  | 'not_done';

/** The data a question's wording uses; which fields are set depends on the code. */
export interface QuestionData {
  /** The command word examples use (确认, 撤销, 进度, 催办, 豁免). */
  word?: string;
  /** What the command does, for “nothing was …” (记录, 撤销 …): filled by the engine from the catalogue (`did.<kind>`). */
  did?: string;
  /** An example task number the plan has. */
  example?: number;
  task?: number;
  text?: string;
  token?: string;
  /** Task numbers the plan does not have. */
  invalid?: number[];
  /** {@link QuestionData.invalid} as people read them (`第N项` joined by 、): filled by the engine from the catalogue (`question.taskNumber`). */
  numbers?: string;
  /** How many tasks the plan has, and its highest number. */
  count?: number;
  max?: number;
  /** The valid task numbers of a list that also had wrong ones, joined by 、. */
  valid?: string;
  /** The exact command to send (a correction, a range spelled out, a guess). */
  command?: string;
  /** How many more candidates there are than listed. */
  more?: number;
}

/** The command word was understood but the rest needs a question back (never a guess). */
export interface AmbiguousCommand {
  kind: 'ambiguous';
  command: CommandKind;
  code: QuestionCode;
  data: QuestionData;
  /** Tasks the text could mean, when it named a task ambiguously or a range. */
  candidates?: Array<{ no: number; name: string }>;
}

/** Nothing recognisable: answered with 「没看懂」 and a short hint (never the whole help). */
export interface UnknownCommand {
  kind: 'unknown';
}

/** What `parseCommand` returns. */
export type ParseResult = Command | AmbiguousCommand | UnknownCommand;

/** Options of `parseCommand`. */
export interface ParseOptions {
  /**
   * The plan's tasks, for numbers (`确认 99` is questioned) and names (`确认 行政处罚`). Empty: numbers are not checked.
   * `milestones` (due dates `YYYY-MM-DD`, as written and in the plan year) lets a date after a task number
   * select a milestone only when it is one of them (`确认 6 3月31日`); any other date is part of the note
   * (`确认 10 11月1日已公示`). Without it, every date after a task number is read as a selector.
   */
  tasks: ReadonlyArray<{ no: number; name: string; milestones?: readonly string[] }>;
  /** The moment of the message, for 今天 / 昨天. */
  now: Date;
  /** Year of dates written without one (`3月31日`); default the Shanghai year of `now`. */
  year?: number;
}
