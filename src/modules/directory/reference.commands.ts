import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import { announceChange } from '../../platform/events/changes.js';
import { refreshFacetIndex } from '../activities/index.js';

export interface CountryChange {
  code: string;
  region: string;
  status: string;
  names: Record<string, string>;
}

/** Adds or changes a country; the row is marked edited so reloading the reference data never undoes it. */
export async function saveCountry(db: Db, change: CountryChange, isNew: boolean, actorId: number): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const before = isNew ? undefined : await trx.selectFrom('countries').selectAll().where('code', '=', change.code).executeTakeFirst();
    const beforeNames = await trx.selectFrom('country_names').select(['lang', 'name']).where('country_code', '=', change.code).execute();
    if (isNew) await trx.insertInto('countries').values({ code: change.code, region: change.region, status: change.status, founder: 0, edited_at: now }).execute();
    else await trx.updateTable('countries').set({ region: change.region, status: change.status, edited_at: now }).where('code', '=', change.code).execute();
    for (const [lang, name] of Object.entries(change.names)) {
      if (!name) continue;
      await trx
        .insertInto('country_names')
        .values({ country_code: change.code, lang, name })
        .onConflict((oc) => oc.columns(['country_code', 'lang']).doUpdateSet({ name }))
        .execute();
    }
    await audit(trx, {
      actorUserId: actorId,
      action: isNew ? 'country.create' : 'country.update',
      entityType: 'country',
      entityId: change.code,
      before: before ? { ...before, names: Object.fromEntries(beforeNames.map((n) => [n.lang, n.name])) } : undefined,
      after: change,
    });
  });
  await announceChange(db, { entity: 'country', id: change.code, action: isNew ? 'created' : 'saved', public: true, visibleFrom: null });
}

export interface OrganisationChange {
  code: string;
  kind: string;
  retired: boolean;
  names: Record<string, { name: string; abbr: string }>;
}

/** Adds or changes an organisation; retiring keeps it for past records and hides it from choices. */
export async function saveOrganisation(db: Db, id: number | null, change: OrganisationChange, actorId: number): Promise<number> {
  const now = nowIso();
  const result = await db.transaction().execute(async (trx) => {
    const before = id === null ? undefined : await trx.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    let orgId = id;
    if (orgId === null) orgId = (await trx.insertInto('organisations').values({ code: change.code, kind: change.kind, retired: change.retired ? 1 : 0, edited_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    else await trx.updateTable('organisations').set({ kind: change.kind, retired: change.retired ? 1 : 0, edited_at: now }).where('id', '=', orgId).execute();
    for (const [lang, n] of Object.entries(change.names)) {
      if (!n.name) continue;
      await trx
        .insertInto('organisation_names')
        .values({ organisation_id: orgId, lang, name: n.name, abbr: n.abbr || null })
        .onConflict((oc) => oc.columns(['organisation_id', 'lang']).doUpdateSet({ name: n.name, abbr: n.abbr || null }))
        .execute();
    }
    await audit(trx, { actorUserId: actorId, action: id === null ? 'organisation.create' : 'organisation.update', entityType: 'organisation', entityId: orgId, before, after: change });
    return orgId;
  });
  await announceChange(db, { entity: 'organisation', id: result, action: 'saved', public: true, visibleFrom: null });
  return result;
}

export interface ThemeChange {
  frameworkId: number;
  parentId: number | null;
  level: string;
  number: string | null;
  retired: boolean;
  names: Record<string, string>;
}

/** Adds or changes a theme of a framework; codes never change, so links and filters keep working. */
export async function saveTheme(db: Db, id: number | null, change: ThemeChange, actorId: number): Promise<number> {
  const now = nowIso();
  const result = await db.transaction().execute(async (trx) => {
    const before = id === null ? undefined : await trx.selectFrom('themes').selectAll().where('id', '=', id).executeTakeFirst();
    let themeId = id;
    if (themeId === null) {
      const fw = await trx.selectFrom('frameworks').select('code').where('id', '=', change.frameworkId).executeTakeFirstOrThrow();
      const { n } = await trx.selectFrom('themes').select((eb) => eb.fn.countAll<number>().as('n')).where('framework_id', '=', change.frameworkId).executeTakeFirstOrThrow();
      const code = `${fw.code}.t${Number(n) + 1}${Math.random().toString(36).slice(2, 5)}`;
      themeId = (
        await trx
          .insertInto('themes')
          .values({ code, framework_id: change.frameworkId, parent_id: change.parentId, level: change.level, number: change.number, position: Number(n) + 100, retired: change.retired ? 1 : 0, edited_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    } else {
      await trx.updateTable('themes').set({ parent_id: change.parentId, level: change.level, number: change.number, retired: change.retired ? 1 : 0, edited_at: now }).where('id', '=', themeId).execute();
      // A theme that moves in the hierarchy changes which themes count its activities.
      if ((before?.parent_id ?? null) !== change.parentId) await refreshFacetIndex(trx, null);
    }
    for (const [lang, name] of Object.entries(change.names)) {
      if (!name) continue;
      await trx
        .insertInto('theme_names')
        .values({ theme_id: themeId, lang, name })
        .onConflict((oc) => oc.columns(['theme_id', 'lang']).doUpdateSet({ name }))
        .execute();
    }
    await audit(trx, { actorUserId: actorId, action: id === null ? 'theme.create' : 'theme.update', entityType: 'theme', entityId: themeId, before, after: change });
    return themeId;
  });
  await announceChange(db, { entity: 'theme', id: result, action: 'saved', public: true, visibleFrom: null });
  return result;
}
