import { createQueryId, type CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './database.js';

const SLOT = Symbol('diwan.prepared.slot');
interface Slot {
  readonly [SLOT]: string;
}

const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value;

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each parameter of the SQL, the name of the argument it takes, or undefined for a fixed value. */
  slots: (string | undefined)[];
}

/**
 * A query built and compiled once per database handle, then run with new arguments: building a
 * Kysely query and compiling it to SQL cost more than SQLite takes to run a lookup, and the hot
 * public reads (an activity by its slug, its related activities) have one fixed shape.
 *
 * `build` receives stand-ins for the arguments; use each only as a value (`where(col, '=',
 * args.slug)`, `limit(args.limit)`), never as a list for `in` or in JavaScript logic, since the
 * query is compiled once, whatever the arguments. A shape that depends on the arguments belongs in
 * an ordinary query.
 */
export function prepared<A extends Record<string, unknown>, R>(build: (db: Db, args: A) => Compilable<R>): (db: Db, args: A) => Promise<R[]> {
  const byDb = new WeakMap<Db, Compiled<R>>();
  const standIns = new Proxy({}, { get: (_, key) => (typeof key === 'string' ? { [SLOT]: key } : undefined) }) as A;
  const compile = (db: Db): Compiled<R> => {
    const query = build(db, standIns).compile();
    const slots = query.parameters.map((p) => (isSlot(p) ? p[SLOT] : undefined));
    return { query, slots };
  };
  return async (db, args) => {
    let compiled = byDb.get(db);
    if (!compiled) {
      compiled = compile(db);
      byDb.set(db, compiled);
    }
    const fixed = compiled.query.parameters;
    const parameters = compiled.slots.map((name, i) => {
      if (name === undefined) return fixed[i];
      if (!(name in args)) throw new Error(`prepared: no value for "${name}"`);
      return args[name];
    });
    const { rows } = await db.executeQuery<R>({ sql: compiled.query.sql, query: compiled.query.query, parameters, queryId: createQueryId() });
    return rows;
  };
}

/**
 * Prepared queries whose shape depends on the arguments (which filters are set, how many values an
 * `in` list has): one compiled query per shape key, the oldest shapes forgotten past `maxShapes`.
 * The key must name everything about the arguments that changes the SQL; the build then uses
 * stand-ins for the values only, as with `prepared`.
 */
export function preparedShapes<A extends Record<string, unknown>>(maxShapes = 500) {
  const byKey = new Map<string, (db: Db, args: A) => Promise<unknown[]>>();
  return <R>(db: Db, key: string, build: (db: Db, args: A) => Compilable<R>, args: A): Promise<R[]> => {
    let run = byKey.get(key);
    if (!run) {
      run = prepared(build);
      if (byKey.size >= maxShapes) byKey.delete(byKey.keys().next().value!);
      byKey.set(key, run);
    }
    return run(db, args) as Promise<R[]>;
  };
}
