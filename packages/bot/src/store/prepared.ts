import { createQueryId, type Compilable, type QueryResult, type RootOperationNode } from 'kysely';
import type { Db } from './db.js';

/** Marks a parameter while a query is compiled; never reaches the database (the marked slots get the real values). */
const MARK = '\u0000zwgk-param\u0000';

interface Shape {
  sql: string;
  query: RootOperationNode;
  parameters: readonly unknown[];
  /** For each parameter: the value's name and list position (-1: not a list), or null for a constant of the query. */
  slots: ReadonlyArray<readonly [name: string, index: number] | null>;
}

type Values = Record<string, string | number | null | readonly (string | number)[]>;

function slotOf(parameter: unknown): readonly [string, number] | null {
  if (typeof parameter !== 'string' || !parameter.startsWith(MARK)) return null;
  const [name = '', index = '-1'] = parameter.slice(MARK.length).split('\u0000');
  return [name, Number(index)];
}

/**
 * A query written with Kysely as usual, compiled once per database (dialect and plugins) and per length
 * of its list values, then run with new values: the message path's hot queries skip building the query
 * tree, CamelCasePlugin's pass over it and the compiler each time (rows are still mapped by the plugin).
 *
 * `build` gets stand-ins for the values: it must pass them to Kysely as values only (`where(col, '=', v)`,
 * `in`, `values({...})`, `set({...})`), never branch on them. Values are strings, numbers or lists of them;
 * `null` only for a value written (`values`, `set`), never one compared (Kysely writes `is null` for a null
 * it sees, a parameter would compare `= null`).
 *
 * @example
 * const byUnit = prepared((db, v: { unit: string }) => db.selectFrom('liaisons').selectAll().where('unit', '=', v.unit));
 * const { rows } = await byUnit(db, { unit: '郭道镇' });
 */
export function prepared<V extends Values, O>(build: (db: Db, values: V) => Compilable<O>): (db: Db, values: V) => Promise<QueryResult<O>> {
  const shapes = new WeakMap<object, Map<string, Shape>>();
  return (db, values) => {
    const executor = db.getExecutor();
    let known = shapes.get(executor.adapter);
    if (!known) shapes.set(executor.adapter, (known = new Map()));
    let key = String(executor.plugins.length);
    for (const name in values) {
      const value = values[name];
      if (Array.isArray(value)) key += `|${name}:${value.length}`;
    }
    let shape = known.get(key);
    if (!shape) {
      const standIns: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(values)) {
        standIns[name] = Array.isArray(value) ? value.map((_, i) => `${MARK}${name}\u0000${i}`) : `${MARK}${name}`;
      }
      const compiled = build(db, standIns as V).compile();
      shape = { sql: compiled.sql, query: compiled.query, parameters: compiled.parameters, slots: compiled.parameters.map(slotOf) };
      known.set(key, shape);
    }
    const { slots } = shape;
    const parameters = shape.parameters.map((constant, i) => {
      const slot = slots[i];
      if (!slot) return constant;
      const value = values[slot[0]];
      return slot[1] < 0 ? value : (value as readonly unknown[])[slot[1]];
    });
    return db.executeQuery<O>({ sql: shape.sql, parameters, query: shape.query, queryId: createQueryId() });
  };
}
