import { sql, type Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * The background job queue of a SQLite site (decision 0020): one row per job, claimed by a process
 * for a lease it renews while the job runs, so a job whose process died is claimed again once the
 * lease has run out. `job_runner` holds the lease of the one process that runs the queue's loop.
 * PostgreSQL sites run their jobs with pg-boss in its own schema; the tables exist there too, so
 * both databases keep one migration history, but stay empty.
 *
 * `outbox.secret` keeps a mail's single-use secret (a reset or invitation link) until the mail job
 * has sent it and removed it from the kept text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('singleton_key', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addCheckConstraint('jobs_state_check', sql`state IN ('pending', 'active', 'completed', 'failed')`)
    .execute();
  await db.schema.createIndex('jobs_state_run_after_idx').on('jobs').columns(['state', 'run_after']).execute();
  // At most one waiting or running job per name and key: a second send with the key is refused.
  await db.schema
    .createIndex('jobs_singleton_idx')
    .unique()
    .on('jobs')
    .columns(['name', 'singleton_key'])
    .where(sql.ref('singleton_key'), 'is not', null)
    .where(sql<boolean>`state IN ('pending', 'active')`)
    .execute();
  await db.schema
    .createTable('job_runner')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('outbox').addColumn('secret', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('secret').execute();
  await db.schema.dropTable('job_runner').execute();
  await db.schema.dropTable('jobs').execute();
}
