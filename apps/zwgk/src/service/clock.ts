import { shanghaiInstant } from '@zwgk/sdk';

/** A clock that starts at a chosen moment and then runs at real speed; `advance` jumps it forward. */
export interface SimulatedClock {
  (): Date;
  advance(ms: number): void;
  set(at: Date): void;
}

/**
 * Starts a simulated clock at 09:00 Shanghai time on `date` (a sandbox or demo runs "in" the plan year).
 * `realNow` is the wall clock it follows; tests pass their own.
 */
export function simulatedClock(date: string, realNow: () => number = Date.now): SimulatedClock {
  let offset = shanghaiInstant(date, '09:00').getTime() - realNow();
  const clock = (() => new Date(realNow() + offset)) as SimulatedClock;
  clock.advance = (ms: number) => {
    offset += ms;
  };
  clock.set = (at: Date) => {
    offset = at.getTime() - realNow();
  };
  return clock;
}
