import type { z } from 'zod';
import { editDistance } from '../text/edit-distance.js';

/** A position inside an input value, e.g. `confirmations[3].at` or `roleFactors.cooperating`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** The value found at `path` inside `root`, or `undefined`. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** How a value's type is named in messages: `string`, `array`, `null`, `missing` … */
export function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  date: 'a date',
};

/** One readable problem: where, and what was expected. */
export interface IssueMessage {
  path: string;
  /** The problem, without the position. */
  text: string;
}

/**
 * Turns zod issues into plain-language messages with positions, one per position (the first issue
 * wins, so a badly formatted time does not also report "not a real time").
 *
 * @param knownKeys - for an unknown key at a path, the keys that are allowed there (for a suggestion)
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  knownKeys?: (path: readonly PropertyKey[]) => readonly string[],
): IssueMessage[] {
  const out: IssueMessage[] = [];
  const seen = new Set<string>();
  const push = (path: readonly PropertyKey[], text: string) => {
    const p = formatPath(path);
    if (seen.has(p)) return;
    seen.add(p);
    out.push({ path: p, text });
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closest(key, knownKeys?.(issue.path) ?? []);
        push([...issue.path, key], `unknown field${near ? `; did you mean ${near}?` : ''}`);
      }
      continue;
    }
    push(issue.path, describeIssue(issue, valueAt(input, issue.path)));
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (received === undefined) return `missing; expected ${expected}`;
      if (issue.expected === 'int' && typeof received === 'number') return `expected an integer, received ${received}`;
      return `expected ${expected}, received ${typeName(received)}`;
    }
    case 'too_small': {
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must have at least ${issue.minimum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${issue.minimum} items`;
      return `expected a number ${issue.inclusive ? '≥' : '>'} ${issue.minimum}, received ${String(received)}`;
    }
    case 'too_big': {
      if (issue.origin === 'string') return `must have at most ${issue.maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${issue.maximum} items`;
      return `expected a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}, received ${String(received)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, received ${JSON.stringify(received) ?? 'nothing'}`;
    case 'invalid_key':
      return `bad key: ${issue.issues[0]?.message ?? issue.message}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `not a valid ${issue.format}` : issue.message;
    default:
      return issue.message;
  }
}

/** The known name closest to `name` when it looks like a typo of it (case-insensitive), else undefined. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const n = name.toLowerCase();
  for (const k of known) {
    const d = editDistance(n, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
