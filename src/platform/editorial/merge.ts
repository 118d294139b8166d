/**
 * Three-way merge of an editable record's content, field by field.
 *
 * A record's content is an object whose top-level keys are fields and whose `t` key holds one
 * object of texts per language; each top-level field and each text of each language is one field
 * of the merge (`type`, `themes`, `t.fr.title`...). Values are compared by their JSON.
 */

/** One field changed differently by both people since the revision the form was opened on. */
export interface FieldConflict {
  key: string;
  base: unknown;
  theirs: unknown;
  mine: unknown;
}

export type Choice = 'mine' | 'theirs';

export interface MergeResult<I> {
  /** The merged content (for a conflicting field: the chosen side, else this person's value). */
  merged: I;
  /** Fields both people changed to different values and for which no choice was given. */
  conflicts: FieldConflict[];
  /** Fields taken from the other person's save because only they changed them. */
  fromTheirs: string[];
}

type Content = Record<string, unknown> & { t?: Record<string, Record<string, unknown>> };

/** The fields of a content object as key → JSON text (absent fields are left out). */
export function flattenFields(content: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const c = (content ?? {}) as Content;
  for (const [key, value] of Object.entries(c)) {
    if (key === 't') {
      for (const [lang, texts] of Object.entries(value ?? {})) {
        for (const [field, text] of Object.entries(texts ?? {})) out.set(`t.${lang}.${field}`, JSON.stringify(text ?? null));
      }
    } else {
      out.set(key, JSON.stringify(value ?? null));
    }
  }
  return out;
}

/** Rebuilds a content object from its fields (a language with no text left is dropped). */
export function unflattenFields(fields: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const t: Record<string, Record<string, unknown>> = {};
  for (const [key, json] of fields) {
    const value: unknown = JSON.parse(json);
    const m = /^t\.([^.]+)\.(.+)$/.exec(key);
    if (m) (t[m[1]!] ??= {})[m[2]!] = value;
    else out[key] = value;
  }
  out.t = t;
  return out;
}

/**
 * Merges this person's content with what was saved since they opened the form: a field changed
 * only by the other person keeps their value, a field changed only by this person takes theirs
 * (mine), and a field both changed to different values is a conflict unless `choices` settles it.
 * Without a base (an old record with no stored revision) every difference is a conflict.
 */
export function threeWayMerge<I>(base: unknown, theirs: unknown, mine: unknown, options: { ignore?: readonly string[]; choices?: Record<string, Choice> } = {}): MergeResult<I> {
  const b = base === null || base === undefined ? null : flattenFields(base);
  const th = flattenFields(theirs);
  const mi = flattenFields(mine);
  const ignore = new Set(options.ignore ?? []);
  const merged = new Map<string, string>();
  const conflicts: FieldConflict[] = [];
  const fromTheirs: string[] = [];
  const keys = [...new Set([...th.keys(), ...mi.keys(), ...(b?.keys() ?? [])])];
  const parse = (s: string | undefined) => (s === undefined ? undefined : (JSON.parse(s) as unknown));
  const set = (key: string, v: string | undefined) => {
    if (v !== undefined) merged.set(key, v);
  };
  for (const key of keys) {
    const mv = mi.get(key);
    const tv = th.get(key);
    if (ignore.has(key) || mv === tv) {
      set(key, mv);
      continue;
    }
    const bv = b ? b.get(key) : undefined;
    if (b && mv === bv) {
      set(key, tv);
      fromTheirs.push(key);
      continue;
    }
    if (b && tv === bv) {
      set(key, mv);
      continue;
    }
    const choice = options.choices?.[key];
    if (choice) {
      set(key, choice === 'theirs' ? tv : mv);
      if (choice === 'theirs') fromTheirs.push(key);
      continue;
    }
    conflicts.push({ key, base: parse(bv), theirs: parse(tv), mine: parse(mv) });
    set(key, mv);
  }
  return { merged: unflattenFields(merged) as I, conflicts, fromTheirs };
}
