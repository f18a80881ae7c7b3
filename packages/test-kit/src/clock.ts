import { shanghaiInstant } from '@zwgk/sdk';

/** A clock a test moves by hand; pass `clock.now` to `createBot`. */
export interface ManualClock {
  /** The current time. */
  now: () => Date;
  /** Sets the time: a `Date`, an ISO time, or a Shanghai `YYYY-MM-DD HH:mm`. */
  set(at: Date | string): void;
  /** Moves the time forward. */
  advance(ms: number): void;
}

function toDate(at: Date | string): Date {
  if (at instanceof Date) return new Date(at.getTime());
  const local = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?$/u.exec(at);
  if (local) return shanghaiInstant(local[1] as string, local[2] ?? '00:00');
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new RangeError(`manualClock: not a time: ${at}`);
  return d;
}

/**
 * A manual clock starting at `start` (a `Date`, an ISO time, or Shanghai wall-clock `2022-11-21 09:00`).
 *
 * @example
 * const clock = manualClock('2022-11-21 09:30');
 * clock.advance(60 * 60_000);
 * clock.now(); // 2022-11-21T02:30:00.000Z
 */
export function manualClock(start: Date | string): ManualClock {
  let current = toDate(start);
  return {
    now: () => new Date(current.getTime()),
    set: (at) => {
      current = toDate(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
