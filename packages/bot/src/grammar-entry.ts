/**
 * `@zwgk/bot/grammar` — the bot's forgiving, Chinese-first command grammar: `parseCommand` turns a chat
 * message into a command (or a question back), without touching the store.
 *
 * @example
 * import { parseCommand } from '@zwgk/bot/grammar';
 *
 * const tasks = [{ no: 4, name: '行政处罚信息公开' }];
 * parseCommand('确认 4', { tasks, now: new Date('2022-11-21T02:00:00Z'), year: 2022 }).kind; // 'confirm'
 *
 * @packageDocumentation
 */

export { commandWords, extractLinks, normalizeText, parseCommand } from './commands/parse.js';
export { readDeadline } from './commands/deadline.js';
export type { Deadline } from './commands/deadline.js';
export type {
  AmbiguousCommand,
  BindCommand,
  BriefingCommand,
  Command,
  CommandKind,
  ConfirmCommand,
  DeductCommand,
  DetailCommand,
  DigestCommand,
  ExemptCommand,
  ExportCommand,
  HelpCommand,
  HighlightCommand,
  LiaisonCommand,
  NudgeCommand,
  ParseOptions,
  ParseResult,
  QuestionCode,
  QuestionData,
  ReviewCommand,
  ReviewDecisionCommand,
  ScoresCommand,
  SelectCommand,
  StatusCommand,
  SupplementCommand,
  TaskItem,
  UnbindCommand,
  UndoCommand,
  UnknownCommand,
  RecheckCommand,
  RectifiedCommand,
  RectifyCommand,
  ReopenCommand,
  UndeductCommand,
  VerifyCommand,
} from './commands/parse.js';
