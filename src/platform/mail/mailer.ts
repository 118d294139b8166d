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
  /** A secret in the text or headers (a reset, invitation or unsubscribe link): removed from the outbox once the mail is sent. */
  secret?: string;
  /** Extra headers (List-Unsubscribe...), kept with the message until it is sent. */
  headers?: Record<string, string>;
  /** Small text files sent with the message (a calendar file), kept with it in the outbox. */
  attachments?: MailAttachment[];
  /** The record the message is about (`registration:12`), so that erasing it erases its mails. */
  about?: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface Mailer {
  /** Records the message in the outbox and, when SMTP is configured, queues its sending; returns the outbox id. */
  send(message: MailMessage): Promise<number>;
  /**
   * Records the message in the outbox through `db` (a transaction, so the mail exists only if the
   * rest of it commits) without queuing it; `dispatch` queues it once the transaction has committed.
   */
  record(db: Db, message: MailMessage): Promise<number>;
  /** Queues the sending of a recorded message (once: a message already waiting is not queued twice; a sent one is not sent again). */
  dispatch(outboxId: number): Promise<void>;
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

// The outbox's `secret` (migration 0011) and `headers` (0016) columns are not in the shared table types.
const withSecret = (db: Db) => db.withTables<{ outbox: { secret: string | null; headers: string | null } }>();
const attachmentsOf = (json: string | null): MailAttachment[] | undefined => (json ? (JSON.parse(json) as MailAttachment[]) : undefined);

/**
 * Mail goes through the outbox table: without SMTP settings it stays there for admins to read at
 * /admin/outbox; with them a `mail.send` job is queued, so the request never waits on the mail
 * server. The secret is kept beside the message until the job has sent it.
 */
export function createMailer(config: Pick<Config, 'smtpUrl'>, db: Db, log: MailLogger, jobs: Pick<JobQueue, 'send'>): Mailer {
  const record = async (executor: Db, message: MailMessage) => {
    const { id } = await withSecret(executor)
      .insertInto('outbox')
      .values({
        to_address: message.to,
        subject: message.subject,
        text_body: message.text,
        purpose: message.purpose,
        created_at: nowIso(),
        secret: config.smtpUrl ? (message.secret ?? null) : null,
        headers: message.headers && Object.keys(message.headers).length ? JSON.stringify(message.headers) : null,
        attachments: message.attachments?.length ? JSON.stringify(message.attachments) : null,
        about: message.about ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  };
  const dispatch = async (id: number, purpose?: string) => {
    if (!config.smtpUrl) {
      log.info({ outboxId: id, purpose }, 'mail kept in the outbox (no SMTP configured)');
      return;
    }
    await jobs.send(MAIL_SEND_JOB, { outboxId: id } satisfies MailJobData, { singletonKey: `outbox:${id}` });
    log.info({ outboxId: id, purpose }, 'mail queued');
  };
  return {
    record,
    dispatch: (id) => dispatch(id),
    async send(message) {
      const id = await record(db, message);
      await dispatch(id, message.purpose);
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
      const row = await outbox.selectFrom('outbox').select(['id', 'to_address', 'subject', 'text_body', 'purpose', 'sent_at', 'secret', 'headers', 'attachments']).where('id', '=', outboxId).executeTakeFirst();
      // Already sent (an attempt that ended after sending), or deleted: nothing to do.
      if (!row || row.sent_at) return;
      if (!config.smtpUrl) {
        log.warn({ outboxId, purpose: row.purpose }, 'mail kept in the outbox (SMTP is no longer configured)');
        return;
      }
      try {
        const headers = row.headers ? (JSON.parse(row.headers) as Record<string, string>) : undefined;
        await (await smtp()).sendMail({ from: config.mailFrom, to: row.to_address, subject: row.subject, text: row.text_body, headers, attachments: attachmentsOf(row.attachments) });
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await outbox.updateTable('outbox').set({ error: reason.slice(0, 500) }).where('id', '=', outboxId).execute();
        log.warn({ outboxId, purpose: row.purpose }, 'mail could not be sent; kept in the outbox');
        const code = (err as { code?: unknown; responseCode?: unknown } | null) ?? {};
        throw new Error(`the mail server did not take the message (${String(code.responseCode ?? code.code ?? 'no code')})`);
      }
      // Once delivered, the outbox keeps the message but not a link that would still work.
      const kept = row.secret ? row.text_body.split(row.secret).join('[removed after sending]') : row.text_body;
      await outbox.updateTable('outbox').set({ sent_at: nowIso(), text_body: kept, secret: null, headers: null, error: null }).where('id', '=', outboxId).execute();
      log.info({ outboxId, purpose: row.purpose }, 'mail sent');
    },
  };
}
