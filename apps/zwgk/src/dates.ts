/** One calendar day in milliseconds (Asia/Shanghai has no daylight saving). */
export const DAY_MS = 86_400_000;

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 星期一 … 星期日 for a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): string {
  return `星期${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
}

/** Whole calendar days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
