import { shanghaiInstant } from '@zwgk/sdk';

/** A clock that starts at a chosen moment and then runs at real speed; `advance` jumps it forward. */
export interface SimulatedClock {
  (): Date;
  advance(ms: number): void;
  set(at: Date): void;
}

/**
 * Starts a simulated clock at `time` (default 09:00) Shanghai time on `date`, so a sandbox or demo runs
 * "in" the plan year. `realNow` is the wall clock it follows; tests pass their own.
 */
export function simulatedClock(date: string, realNow: () => number = Date.now, time = '09:00'): SimulatedClock {
  let offset = shanghaiInstant(date, time).getTime() - realNow();
  const clock = (() => new Date(realNow() + offset)) as SimulatedClock;
  clock.advance = (ms: number) => {
    offset += ms;
  };
  clock.set = (at: Date) => {
    offset = at.getTime() - realNow();
  };
  return clock;
}
