/**
 * Stable codes of {@link ZwgkError}. A code never changes meaning; new codes may be added in a minor release.
 *
 * - `invalid_date`: a date or time argument is not a real date (`2022-02-30`, `'soon'`, an invalid `Date`);
 * - `invalid_number`: a count or size is not a whole number in range (a fractional working-day count);
 * - `invalid_option`: an option has a value of the wrong kind;
 * - `unknown_option`: an option the function does not take (a misspelt or renamed option is never ignored);
 * - `invalid_plan`: a plan argument does not have the shape of a {@link Plan};
 * - `invalid_records`: a records argument does not have the shape of checked records (run `validateRecords` first);
 * - `invalid_directory`: unit directory data contradicts itself (one name for two units);
 * - `unknown_plan`: a bundled plan id the SDK does not ship.
 */
export type ZwgkErrorCode =
  | 'invalid_date'
  | 'invalid_number'
  | 'invalid_option'
  | 'unknown_option'
  | 'invalid_plan'
  | 'invalid_records'
  | 'invalid_directory'
  | 'unknown_plan';

/**
 * The one error class the SDK throws. It is thrown only for programmer errors — arguments of the wrong
 * shape; expected failures (bad user input such as a records file or an unknown unit name) are returned
 * as `{ success: false, error }` instead. `message` starts with the function that refused, then says what
 * was wrong and what was received; `code` is stable and meant for programs.
 *
 * @example
 * try {
 *   score(plan, { year: 2022 } as never, { asOf: '2022-12-31' });
 * } catch (error) {
 *   if (isZwgkError(error, 'invalid_records')) console.error(error.message);
 *   // score (records): records.confirmations: expected an array, received undefined — check records with validateRecords(plan, input) first
 * }
 */
export class ZwgkError extends Error {
  override readonly name = 'ZwgkError';
  /** What kind of mistake it is, stable across releases. */
  readonly code: ZwgkErrorCode;
  /** The function (and argument) that refused, e.g. `workingDaysBetween (from)`. */
  readonly where: string;

  constructor(code: ZwgkErrorCode, where: string, problem: string, options?: { cause?: unknown }) {
    super(`${where}: ${problem}`, options);
    this.code = code;
    this.where = where;
  }
}

/**
 * True when `error` is a {@link ZwgkError} (of the given code, when one is passed). Works across the ESM and
 * CommonJS builds of the SDK, where `instanceof` may not.
 */
export function isZwgkError(error: unknown, code?: ZwgkErrorCode): error is ZwgkError {
  if (!(error instanceof Error) || error.name !== 'ZwgkError') return false;
  const own = (error as { code?: unknown }).code;
  return typeof own === 'string' && (code === undefined || own === code);
}

/**
 * Refuses options a function does not take, naming the closest known one, so that a misspelt or renamed
 * option fails loudly instead of being ignored.
 */
export function checkOptionNames(
  options: object,
  known: readonly string[],
  where: string,
  renamed: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    const instead = renamed[key];
    const hint = instead
      ? `; it is called ${instead} here`
      : (() => {
          const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
          return near ? `; did you mean ${near}?` : `; known options: ${known.join(', ')}`;
        })();
    throw new ZwgkError('unknown_option', where, `unknown option "${key}"${hint}`);
  }
}
