import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';

const RolesSchema = z.array(z.object({ code: z.string().regex(/^[a-z_]+$/), permissions: z.array(z.string().regex(/^[a-z_]+\.[a-z_]+$/)) }));

/** Roles and their permissions are data: this loads them, replacing each role's permission list. */
export async function loadRoles(db: Db): Promise<number> {
  const roles = RolesSchema.parse(JSON.parse(readFileSync(new URL('./data/roles.json', import.meta.url), 'utf8')));
  await db.transaction().execute(async (trx) => {
    let position = 0;
    for (const role of roles) {
      await trx
        .insertInto('roles')
        .values({ code: role.code, position })
        .onConflict((oc) => oc.column('code').doUpdateSet({ position }))
        .execute();
      position++;
      await trx.deleteFrom('role_permissions').where('role_code', '=', role.code).execute();
      if (role.permissions.length) await trx.insertInto('role_permissions').values(role.permissions.map((permission) => ({ role_code: role.code, permission }))).execute();
    }
  });
  return roles.length;
}

/** The codes of all roles, in their order. */
export async function roleCodes(db: Db): Promise<string[]> {
  return (await db.selectFrom('roles').select('code').orderBy('position').execute()).map((r) => r.code);
}
