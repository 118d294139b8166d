import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { CountryFixtureSchema, OrganisationFixtureSchema } from './directory.schemas.js';

function readFixture<T>(file: string, schema: z.ZodType<T>): T[] {
  const raw: unknown = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
  return z.array(schema).parse(raw);
}

/** The countries and organisations as the module ships them (`data/*.json`), checked. */
export function readDirectoryFixtures() {
  return { countries: readFixture('./data/countries.json', CountryFixtureSchema), organisations: readFixture('./data/organisations.json', OrganisationFixtureSchema) };
}

/** Loads the countries and organisations the dialogue needs; rows an editor changed are left alone. */
export async function loadDirectoryReferenceData(db: Db): Promise<{ countries: number; organisations: number }> {
  const { countries, organisations } = readDirectoryFixtures();
  await db.transaction().execute(async (trx) => {
    const edited = new Set(
      (await trx.selectFrom('countries').select('code').where('edited_at', 'is not', null).execute()).map((r) => r.code),
    );
    for (const c of countries) {
      if (edited.has(c.code)) continue;
      const row = { code: c.code, region: c.region, status: c.status, founder: c.founder ? 1 : 0 };
      await trx
        .insertInto('countries')
        .values(row)
        .onConflict((oc) => oc.column('code').doUpdateSet({ region: row.region, status: row.status, founder: row.founder }))
        .execute();
      for (const [lang, name] of Object.entries(c.name)) {
        await trx
          .insertInto('country_names')
          .values({ country_code: c.code, lang, name })
          .onConflict((oc) => oc.columns(['country_code', 'lang']).doUpdateSet({ name }))
          .execute();
      }
    }
    for (const o of organisations) {
      const existing = await trx.selectFrom('organisations').select(['id', 'edited_at']).where('code', '=', o.code).executeTakeFirst();
      if (existing?.edited_at) continue;
      let id = existing?.id;
      if (id === undefined) {
        id = (await trx.insertInto('organisations').values({ code: o.code, kind: o.kind }).returning('id').executeTakeFirstOrThrow()).id;
      } else {
        await trx.updateTable('organisations').set({ kind: o.kind }).where('id', '=', id).execute();
      }
      for (const [lang, name] of Object.entries(o.name)) {
        const abbr = o.abbr?.[lang] ?? null;
        await trx
          .insertInto('organisation_names')
          .values({ organisation_id: id, lang, name, abbr })
          .onConflict((oc) => oc.columns(['organisation_id', 'lang']).doUpdateSet({ name, abbr }))
          .execute();
      }
    }
  });
  return { countries: countries.length, organisations: organisations.length };
}
