import type { Db } from '../../platform/db/database.js';
import { hasMessage, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import type { AlertSearch } from './alerts.schemas.js';

/** One part of an alert's description: what it is ("Type") and its value ("Final report"). */
export interface AlertCriterion {
  label: string;
  value: string;
}

/**
 * What an alert follows, in the reader's language, part by part: the words, then each filter with
 * its name as the list shows it (a theme, country or activity that no longer exists keeps its id).
 */
export async function describeAlert(db: Db, tr: Translator, search: AlertSearch): Promise<AlertCriterion[]> {
  const t = tr.t;
  const f = search.filters;
  const parts: AlertCriterion[] = [{ label: t('alerts.describe.scope'), value: t(search.scope === 'documents' ? 'alerts.scope.documents' : 'alerts.scope.search') }];
  if (search.q) parts.push({ label: t('alerts.describe.words'), value: search.q });
  if (f.type) parts.push({ label: t('documents.facet.type'), value: hasMessage(`documents.type.${f.type}`) ? t(`documents.type.${f.type}` as MessageKey) : f.type });
  if (f.lang) parts.push({ label: t('documents.facet.lang'), value: hasMessage(`lang.${f.lang}`) ? t(`lang.${f.lang}` as MessageKey) : (new Intl.DisplayNames([tr.lang], { type: 'language' }).of(f.lang) ?? f.lang) });
  if (f.year) parts.push({ label: t('documents.facet.year'), value: f.year });
  if (f.theme) {
    const row = await db.selectFrom('theme_names').select('name').where('theme_id', '=', f.theme).where('lang', '=', tr.lang).executeTakeFirst();
    parts.push({ label: t('documents.facet.theme'), value: row?.name ?? String(f.theme) });
  }
  if (f.country) {
    const row = await db.selectFrom('country_names').select('name').where('country_code', '=', f.country).where('lang', '=', tr.lang).executeTakeFirst();
    parts.push({ label: t('documents.facet.country'), value: row?.name ?? f.country });
  }
  if (f.activity) {
    // Only a meeting the public sees lends its title: a draft's stays unknown here.
    const now = new Date().toISOString();
    const rows = await db
      .selectFrom('activity_translations as t')
      .innerJoin('activities as a', 'a.id', 't.activity_id')
      .select(['t.lang', 't.title'])
      .where('t.activity_id', '=', f.activity)
      .where('a.workflow', '=', 'published')
      .where('a.published_at', 'is not', null)
      .where('a.published_at', '<=', now)
      .execute();
    parts.push({ label: t('documents.facet.activity'), value: (rows.find((r) => r.lang === tr.lang) ?? rows[0])?.title ?? String(f.activity) });
  }
  return parts;
}

/** The description on one line, for a mail's subject and text: "Documents · “migration” · Type: Final report". */
export function describeInline(tr: Translator, criteria: readonly AlertCriterion[]): string {
  return criteria.map((c, i) => (i === 0 ? c.value : tr.t('alerts.describe.pair', { label: c.label, value: c.value }))).join(' · ');
}
