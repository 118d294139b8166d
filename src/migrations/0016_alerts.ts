import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * E-mail alerts: a visitor's subscription to a search or a filtered list of the library, without
 * an account. A subscription is `pending` until its confirmation link is used (double opt-in; the
 * link's token is kept hashed), then `active`. `token` is the subscription's own link (manage,
 * one-click unsubscribe): it appears in every digest, so it is kept as is; an unsubscribe deletes
 * the row, address and all. `sent_until` is the publication time up to which matches were sent
 * (the next digest starts after it); `last_outbox_id` the digest mail last recorded, so a digest
 * cut between its commit and its queuing is queued again rather than lost.
 *
 * `alert_rate` counts subscription requests per hashed key (an address, an IP) and window.
 * `outbox.headers` keeps a mail's extra headers (List-Unsubscribe) until it is sent.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_subscriptions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('confirm_hash', 'text')
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirm_sent_at', 'text')
    .addColumn('confirm_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed_at', 'text')
    .addColumn('sent_until', 'text')
    .addColumn('last_outbox_id', 'integer')
    .addColumn('digests_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('alert_subscriptions_search_key', ['email', 'lang', 'scope', 'params'])
    .execute();
  await db.schema.createIndex('alert_subscriptions_confirm_idx').on('alert_subscriptions').column('confirm_hash').execute();
  await db.schema.createIndex('alert_subscriptions_status_idx').on('alert_subscriptions').columns(['status', 'sent_until']).execute();
  await db.schema
    .createTable('alert_rate')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('outbox').addColumn('headers', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('headers').execute();
  await db.schema.dropTable('alert_rate').execute();
  await db.schema.dropTable('alert_subscriptions').execute();
}
