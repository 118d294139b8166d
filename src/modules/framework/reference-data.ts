import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { FrameworkFixtureSchema, type ThemeFixture } from './framework.schemas.js';

type Trx = Parameters<Parameters<ReturnType<Db['transaction']>['execute']>[0]>[0];

async function upsertTheme(trx: Trx, frameworkId: number, parentId: number | null, theme: ThemeFixture, position: number): Promise<number> {
  const existing = await trx.selectFrom('themes').select(['id', 'edited_at']).where('code', '=', theme.code).executeTakeFirst();
  let id = existing?.id;
  const row = { framework_id: frameworkId, parent_id: parentId, level: theme.level, number: theme.number ?? null, position };
  if (id === undefined) {
    id = (await trx.insertInto('themes').values({ code: theme.code, ...row }).returning('id').executeTakeFirstOrThrow()).id;
  } else if (!existing?.edited_at) {
    await trx.updateTable('themes').set(row).where('id', '=', id).execute();
  }
  if (!existing?.edited_at) {
    for (const [lang, name] of Object.entries(theme.name)) {
      await trx
        .insertInto('theme_names')
        .values({ theme_id: id, lang, name })
        .onConflict((oc) => oc.columns(['theme_id', 'lang']).doUpdateSet({ name }))
        .execute();
    }
  }
  let i = 0;
  for (const child of theme.children ?? []) await upsertTheme(trx, frameworkId, id, child, i++);
  return id;
}

/** The frameworks and their themes as the module ships them (`data/frameworks.json`), checked. */
export function readFrameworkFixtures() {
  const raw: unknown = JSON.parse(readFileSync(new URL('./data/frameworks.json', import.meta.url), 'utf8'));
  return z.array(FrameworkFixtureSchema).parse(raw);
}

/** Loads the dialogue's frameworks and their hierarchy of themes; rows an editor changed are left alone. */
export async function loadFrameworkReferenceData(db: Db): Promise<{ frameworks: number; themes: number }> {
  const frameworks = readFrameworkFixtures();
  let themes = 0;
  const count = (t: ThemeFixture): number => 1 + (t.children ?? []).reduce((n, c) => n + count(c), 0);
  await db.transaction().execute(async (trx) => {
    let position = 0;
    for (const f of frameworks) {
      const existing = await trx.selectFrom('frameworks').select(['id', 'edited_at']).where('code', '=', f.code).executeTakeFirst();
      const row = { adopted_on: f.adopted_on, period_start: f.period_start, period_end: f.period_end, position: position++ };
      let id = existing?.id;
      if (id === undefined) {
        id = (await trx.insertInto('frameworks').values({ code: f.code, ...row }).returning('id').executeTakeFirstOrThrow()).id;
      } else if (!existing?.edited_at) {
        await trx.updateTable('frameworks').set(row).where('id', '=', id).execute();
      }
      if (!existing?.edited_at) {
        for (const [lang, name] of Object.entries(f.name)) {
          const short_name = f.short_name[lang] ?? name;
          await trx
            .insertInto('framework_names')
            .values({ framework_id: id, lang, name, short_name })
            .onConflict((oc) => oc.columns(['framework_id', 'lang']).doUpdateSet({ name, short_name }))
            .execute();
        }
      }
      let i = 0;
      for (const t of f.themes) {
        await upsertTheme(trx, id, null, t, i++);
        themes += count(t);
      }
    }
  });
  return { frameworks: frameworks.length, themes };
}
