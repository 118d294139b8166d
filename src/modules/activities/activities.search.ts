import type { Db } from '../../platform/db/database.js';
import { editorialFingerprint } from '../../platform/db/fingerprint.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import type { SearchSource } from '../../platform/module.js';

/**
 * What the site search finds of an activity: in each language, its title, summary, narrative, city
 * and venue, for the published ones only (a scheduled one is found from its publication time).
 */
export const activitySearchSource: SearchSource = {
  entity: 'activity',
  route: 'activities.show',
  label: 'search.kind.activity',
  async entries(db: Db, ids: readonly number[]) {
    if (!ids.length) return [];
    const published = await db
      .selectFrom('activities')
      .select(['id', 'published_at', 'start_date'])
      .where('id', 'in', [...ids])
      .where('workflow', '=', 'published')
      .where('published_at', 'is not', null)
      .execute();
    if (!published.length) return [];
    const byId = new Map(published.map((a) => [a.id, a]));
    const translations = await db
      .selectFrom('activity_translations')
      .select(['activity_id', 'lang', 'title', 'slug', 'summary', 'narrative_html', 'city', 'venue'])
      .where('activity_id', 'in', [...byId.keys()])
      .orderBy('activity_id')
      .orderBy('lang')
      .execute();
    return translations.map((t) => {
      const activity = byId.get(t.activity_id)!;
      return {
        id: t.activity_id,
        lang: t.lang,
        title: t.title,
        body: [t.summary, richTextToPlain(t.narrative_html), t.city ?? '', t.venue ?? ''].filter(Boolean).join(' '),
        slug: t.slug,
        date: activity.start_date,
        publishedAt: activity.published_at,
      };
    });
  },
  async ids(db: Db) {
    return (await db.selectFrom('activities').select('id').orderBy('id').execute()).map((r) => r.id);
  },
  fingerprint: (db: Db) => editorialFingerprint(db, 'activities', 'activity_translations'),
};
