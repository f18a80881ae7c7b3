/**
 * Per-import memo of the cell readers: a plan repeats the same responsibility and deadline texts (全年,
 * 各乡镇、开发区，县直各有关部门 …) many times, and row fitting asks about the same cells again.
 * One cache lives for one parsePlanTable call; results are copied out so callers may change them.
 */
import type { Assignment } from '../model/schemas.js';
import { isCleanDeadline, readCleanDeadline, type DraftMilestone } from './deadlines.js';
import { readCleanResponsibility } from './responsibility.js';

/**
 * Memoised responsibility and deadline readers for one import in one plan year. They take cleaned cell
 * text (the importer normalises the input once and cleans every cell it reads), so they skip that step.
 */
export class ImportCache {
  private readonly units = new Map<string, Assignment[]>();
  private readonly dates = new Map<string, { milestones: DraftMilestone[]; diagnostics: string[] }>();
  private readonly pure = new Map<string, boolean>();

  constructor(readonly year: number) {}

  /** {@link parseResponsibility}, memoised. */
  responsibility(text: string): Assignment[] {
    return this.peekResponsibility(text).map((a) => ({ ...a }));
  }

  /** {@link readDeadline} in the plan year, memoised. */
  deadline(text: string): { milestones: DraftMilestone[]; diagnostics: string[] } {
    const found = this.peekDeadline(text);
    return { milestones: found.milestones.map((m) => ({ ...m })), diagnostics: [...found.diagnostics] };
  }

  /**
   * The memoised units themselves, for readers that only look (row fitting and line shapes ask about the
   * same texts hundreds of times per import, and copying every answer cost more than reading it).
   */
  peekResponsibility(text: string): readonly Readonly<Assignment>[] {
    let found = this.units.get(text);
    if (!found) {
      found = readCleanResponsibility(text);
      this.units.set(text, found);
    }
    return found;
  }

  /**
   * True when the text reads as dates and nothing else: {@link peekDeadline} has milestones and no
   * diagnostic. Answered from a full reading when there is one; otherwise by a check that stops at the
   * first part without a date (most lines asked about are not deadlines) and builds no milestone.
   */
  isDeadline(text: string): boolean {
    const found = this.dates.get(text);
    if (found) return found.milestones.length > 0 && found.diagnostics.length === 0;
    let answer = this.pure.get(text);
    if (answer === undefined) {
      answer = isCleanDeadline(text, this.year);
      this.pure.set(text, answer);
    }
    return answer;
  }

  /** The memoised deadline reading itself, for readers that only look (see {@link peekResponsibility}). */
  peekDeadline(text: string): { readonly milestones: readonly DraftMilestone[]; readonly diagnostics: readonly string[] } {
    let found = this.dates.get(text);
    if (!found) {
      found = readCleanDeadline(text, this.year);
      this.dates.set(text, found);
    }
    return found;
  }
}
