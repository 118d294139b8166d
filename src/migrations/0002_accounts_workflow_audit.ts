import { sql, type Kysely } from 'kysely';
import { idColumn, idType, isPostgres } from './dialect.js';

/**
 * Accounts, sessions, roles as data, e-mail outbox, an append-only audit log, and the editorial
 * workflow: activity workflow state, optimistic version, revisions and old slugs; static pages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);
  const idT = idType(db);
  const pg = isPostgres(db);

  await db.schema.createTable('roles').addColumn('code', 'text', (c) => c.primaryKey()).addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('role_permissions')
    .addColumn('role_code', 'text', (c) => c.notNull().references('roles.code').onDelete('cascade'))
    .addColumn('permission', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_permissions_pk', ['role_code', 'permission'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', idT, id)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role_code', 'text', (c) => c.notNull().references('roles.code'))
    .addColumn('country_code', 'text', (c) => c.references('countries.code'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('preferred_lang', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .addColumn('password_changed_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', idT, id)
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idT, id)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('summary', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  // The audit log is append-only: the database itself refuses to change or remove an entry.
  if (pg) {
    await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  } else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END`.execute(db);
  }

  await db.schema.alterTable('activities').addColumn('workflow', 'text', (c) => c.notNull().defaultTo('published')).execute();
  await db.schema.alterTable('activities').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('activities').addColumn('updated_by', 'integer').execute();
  await db.schema.alterTable('organisations').addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('activity_revisions')
    .addColumn('id', idT, id)
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'integer')
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addUniqueConstraint('activity_revisions_version_uq', ['activity_id', 'version'])
    .execute();

  await db.schema
    .createTable('slug_redirects')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('old_slug', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('slug_redirects_pk', ['entity_type', 'lang', 'old_slug'])
    .execute();

  await db.schema
    .createTable('pages')
    .addColumn('id', idT, id)
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('nav_position', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema
    .createTable('page_translations')
    .addColumn('page_id', 'integer', (c) => c.notNull().references('pages.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('page_translations_pk', ['page_id', 'lang'])
    .addUniqueConstraint('page_translations_slug_uq', ['lang', 'slug'])
    .execute();
  await db.schema
    .createTable('page_revisions')
    .addColumn('id', idT, id)
    .addColumn('page_id', 'integer', (c) => c.notNull().references('pages.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'integer')
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addUniqueConstraint('page_revisions_version_uq', ['page_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['page_revisions', 'page_translations', 'pages', 'slug_redirects', 'activity_revisions', 'audit_log', 'outbox', 'login_throttle', 'auth_tokens', 'sessions', 'users', 'role_permissions', 'roles']) {
    await db.schema.dropTable(t).execute();
  }
  if (isPostgres(db)) await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
  for (const c of ['workflow', 'version', 'updated_by']) await db.schema.alterTable('activities').dropColumn(c).execute();
  await db.schema.alterTable('organisations').dropColumn('retired').execute();
}
