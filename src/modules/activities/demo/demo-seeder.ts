import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../../platform/db/database.js';
import { announceChange } from '../../../platform/events/changes.js';
import { relateActivities, saveActivity } from '../activities.commands.js';
import { ActivityInputSchema } from '../activities.schemas.js';

/** Reads the demo activities shipped with the project (real meetings of the dialogue, summarised in our own words). */
export function readDemoActivities() {
  const raw: unknown = JSON.parse(readFileSync(new URL('./activities.json', import.meta.url), 'utf8'));
  return z.array(ActivityInputSchema).parse(raw);
}

/**
 * Loads the demo activities: creates missing ones and refreshes untouched ones, but never
 * overwrites an activity that someone has edited since it was seeded.
 */
export async function seedDemoActivities(db: Db): Promise<{ created: number; refreshed: number; kept: number }> {
  const demo = readDemoActivities();
  const existing = new Map((await db.selectFrom('activities').select(['key', 'edited_at']).where('key', 'is not', null).execute()).map((r) => [r.key, r.edited_at]));
  const result = { created: 0, refreshed: 0, kept: 0 };
  const touched: typeof demo = [];
  for (const activity of demo) {
    const key = activity.key ?? '';
    if (existing.has(key) && existing.get(key)) {
      result.kept++;
      continue;
    }
    await saveActivity(db, activity, { bumpVersion: false });
    if (existing.has(key)) result.refreshed++;
    else result.created++;
    touched.push(activity);
  }
  for (const activity of touched) if (activity.key) await relateActivities(db, activity.key, activity.related);
  await announceChange(db, { entity: 'activity', id: 'demo', action: 'seeded', public: true, visibleFrom: null });
  return result;
}
