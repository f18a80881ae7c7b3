/**
 * Per-import memo of the cell readers: a plan repeats the same responsibility and deadline texts (全年,
 * 各乡镇、开发区，县直各有关部门 …) many times, and row fitting asks about the same cells again.
 * One cache lives for one parsePlanTable call; results are copied out so callers may change them.
 */
import type { Assignment } from '../model/schemas.js';
import { readCleanDeadline, type DraftMilestone } from './deadlines.js';
import { readCleanResponsibility } from './responsibility.js';

/**
 * Memoised responsibility and deadline readers for one import in one plan year. They take cleaned cell
 * text (the importer normalises the input once and cleans every cell it reads), so they skip that step.
 */
export class ImportCache {
  private readonly units = new Map<string, Assignment[]>();
  private readonly dates = new Map<string, { milestones: DraftMilestone[]; diagnostics: string[] }>();

  constructor(readonly year: number) {}

  /** {@link parseResponsibility}, memoised. */
  responsibility(text: string): Assignment[] {
    let found = this.units.get(text);
    if (!found) {
      found = readCleanResponsibility(text);
      this.units.set(text, found);
    }
    return found.map((a) => ({ ...a }));
  }

  /** {@link readDeadline} in the plan year, memoised. */
  deadline(text: string): { milestones: DraftMilestone[]; diagnostics: string[] } {
    let found = this.dates.get(text);
    if (!found) {
      found = readCleanDeadline(text, this.year);
      this.dates.set(text, found);
    }
    return { milestones: found.milestones.map((m) => ({ ...m })), diagnostics: [...found.diagnostics] };
  }
}
