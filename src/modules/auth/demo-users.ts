import type { Db } from '../../platform/db/database.js';
import { createUser } from './users.commands.js';

/** Demo accounts, created only with the demo data; the README shows them. Never use them on a live site. */
export const DEMO_USERS: readonly { email: string; password: string; role: string; displayName: string; countryCode?: string }[] = [
  { email: 'admin@demo.diwan.example', password: 'diwan-demo-admin', role: 'admin', displayName: 'Demo Admin' },
  { email: 'editor@demo.diwan.example', password: 'diwan-demo-editor', role: 'editor', displayName: 'Demo Editor' },
  { email: 'organiser@demo.diwan.example', password: 'diwan-demo-organiser', role: 'organiser', displayName: 'Demo Organiser' },
  { email: 'focal.sn@demo.diwan.example', password: 'diwan-demo-focal', role: 'focal_point', displayName: 'Demo Focal Point (Senegal)', countryCode: 'SN' },
];

/** Creates the demo admin, editor, organiser and Senegalese focal point (speaking the site's default language) when they do not exist yet; returns those created. */
export async function seedDemoUsers(db: Db, lang?: string): Promise<(typeof DEMO_USERS)[number][]> {
  const created: (typeof DEMO_USERS)[number][] = [];
  for (const u of DEMO_USERS) {
    if (await db.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirst()) continue;
    await createUser(db, { email: u.email, password: u.password, role: u.role, displayName: u.displayName, countryCode: u.countryCode ?? null, lang });
    created.push(u);
  }
  return created;
}
