import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { createUser } from './users.commands.js';

/**
 * Demo accounts, created only with the demo data on a fresh install. Their passwords are random,
 * printed once at that first start; the fixed ones below are used only by the test suites
 * (NODE_ENV=test). Never keep them on a live site.
 */
export const DEMO_USERS: readonly { email: string; password: string; role: string; displayName: string; countryCode?: string }[] = [
  { email: 'admin@demo.diwan.example', password: 'diwan-demo-admin', role: 'admin', displayName: 'Demo Admin' },
  { email: 'editor@demo.diwan.example', password: 'diwan-demo-editor', role: 'editor', displayName: 'Demo Editor' },
  { email: 'organiser@demo.diwan.example', password: 'diwan-demo-organiser', role: 'organiser', displayName: 'Demo Organiser' },
  { email: 'focal.sn@demo.diwan.example', password: 'diwan-demo-focal', role: 'focal_point', displayName: 'Demo Focal Point (Senegal)', countryCode: 'SN' },
];

/**
 * Creates the demo admin, editor, organiser and Senegalese focal point (speaking the site's default
 * language) when they do not exist yet; returns those created, each with the password it was given.
 */
export async function seedDemoUsers(db: Db, options: { lang?: string; passwords: 'random' | 'fixed' }): Promise<(typeof DEMO_USERS)[number][]> {
  const created: (typeof DEMO_USERS)[number][] = [];
  for (const u of DEMO_USERS) {
    if (await db.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirst()) continue;
    // 96 random bits, written in 16 letters, digits, - and _.
    const password = options.passwords === 'fixed' ? u.password : randomBytes(12).toString('base64url');
    await createUser(db, { email: u.email, password, role: u.role, displayName: u.displayName, countryCode: u.countryCode ?? null, lang: options.lang });
    created.push({ ...u, password });
  }
  return created;
}
