import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { nowIso } from '../db/database.js';
import type { JobHandler, JobOptions, JobQueue } from '../jobs/jobs.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** What the mail is for (password_reset, invitation...): logged instead of the address. */
  purpose: string;
  /** A single-use secret in the text (a reset or invitation link): removed from the outbox once the mail is sent. */
  secret?: string;
}

export interface Mailer {
  /** Records the message in the outbox and, when SMTP is configured, queues its sending; returns the outbox id. */
  send(message: MailMessage): Promise<number>;
}

export interface MailLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The job that sends one outbox message; its data is the outbox id only (no address, no text). */
export const MAIL_SEND_JOB = 'mail.send';
export interface MailJobData {
  outboxId: number;
}
/** A mail server that refuses or is down is tried again for about half an hour (30 s, doubling). */
export const MAIL_JOB_OPTIONS: JobOptions = { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 120 };

// The outbox's `secret` column (migration 0011) is not in the shared table types.
const withSecret = (db: Db) => db.withTables<{ outbox: { secret: string | null } }>();

/**
 * Mail goes through the outbox table: without SMTP settings it stays there for admins to read at
 * /admin/outbox; with them a `mail.send` job is queued, so the request never waits on the mail
 * server. The secret is kept beside the message until the job has sent it.
 */
export function createMailer(config: Pick<Config, 'smtpUrl'>, db: Db, log: MailLogger, jobs: Pick<JobQueue, 'send'>): Mailer {
  const outbox = withSecret(db);
  return {
    async send(message) {
      const { id } = await outbox
        .insertInto('outbox')
        .values({
          to_address: message.to,
          subject: message.subject,
          text_body: message.text,
          purpose: message.purpose,
          created_at: nowIso(),
          secret: config.smtpUrl ? (message.secret ?? null) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (!config.smtpUrl) {
        log.info({ outboxId: id, purpose: message.purpose }, 'mail kept in the outbox (no SMTP configured)');
        return id;
      }
      await jobs.send(MAIL_SEND_JOB, { outboxId: id } satisfies MailJobData);
      log.info({ outboxId: id, purpose: message.purpose }, 'mail queued');
      return id;
    },
  };
}

/**
 * The `mail.send` job: sends an outbox message by SMTP, then marks it sent and removes its secret
 * from the kept text. A refusal is recorded on the message and thrown (without the server's words,
 * which may quote the address), so the queue tries again.
 */
export function mailJob(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, db: Db, log: MailLogger, options: Partial<JobOptions> = {}): JobHandler<MailJobData> {
  const outbox = withSecret(db);
  // nodemailer is loaded with the first message to send, not at start.
  let transport: Promise<Transporter> | undefined;
  const smtp = () => (transport ??= import('nodemailer').then((m) => m.default.createTransport(config.smtpUrl!)));
  return {
    name: MAIL_SEND_JOB,
    options: { ...MAIL_JOB_OPTIONS, ...options },
    async run({ outboxId }) {
      const row = await outbox.selectFrom('outbox').select(['id', 'to_address', 'subject', 'text_body', 'purpose', 'sent_at', 'secret']).where('id', '=', outboxId).executeTakeFirst();
      // Already sent (an attempt that ended after sending), or deleted: nothing to do.
      if (!row || row.sent_at) return;
      if (!config.smtpUrl) {
        log.warn({ outboxId, purpose: row.purpose }, 'mail kept in the outbox (SMTP is no longer configured)');
        return;
      }
      try {
        await (await smtp()).sendMail({ from: config.mailFrom, to: row.to_address, subject: row.subject, text: row.text_body });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await outbox.updateTable('outbox').set({ error: reason.slice(0, 500) }).where('id', '=', outboxId).execute();
        log.warn({ outboxId, purpose: row.purpose }, 'mail could not be sent; kept in the outbox');
        const code = (err as { code?: unknown; responseCode?: unknown } | null) ?? {};
        throw new Error(`the mail server did not take the message (${String(code.responseCode ?? code.code ?? 'no code')})`);
      }
      // Once delivered, the outbox keeps the message but not a link that would still work.
      const kept = row.secret ? row.text_body.split(row.secret).join('[removed after sending]') : row.text_body;
      await outbox.updateTable('outbox').set({ sent_at: nowIso(), text_body: kept, secret: null, error: null }).where('id', '=', outboxId).execute();
      log.info({ outboxId, purpose: row.purpose }, 'mail sent');
    },
  };
}
