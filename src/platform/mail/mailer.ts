import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { nowIso } from '../db/database.js';

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
  /** Records the message in the outbox and sends it when SMTP is configured; returns the outbox id. */
  send(message: MailMessage): Promise<number>;
}

export interface MailLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Mail goes through the outbox table: without SMTP settings it stays there for admins to read at
 * /admin/outbox; with them it is sent at once and marked sent (or its error kept).
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, db: Db, log: MailLogger): Mailer {
  // nodemailer is loaded with the first message to send, not at start.
  let transport: Promise<Transporter> | undefined;
  const smtp = () => (transport ??= import('nodemailer').then((m) => m.default.createTransport(config.smtpUrl!)));
  return {
    async send(message) {
      const { id } = await db
        .insertInto('outbox')
        .values({ to_address: message.to, subject: message.subject, text_body: message.text, purpose: message.purpose, created_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (!config.smtpUrl) {
        log.info({ outboxId: id, purpose: message.purpose }, 'mail kept in the outbox (no SMTP configured)');
        return id;
      }
      try {
        await (await smtp()).sendMail({ from: config.mailFrom, to: message.to, subject: message.subject, text: message.text });
        // Once delivered, the outbox keeps the message but not a link that would still work.
        const kept = message.secret ? message.text.split(message.secret).join('[removed after sending]') : message.text;
        await db.updateTable('outbox').set({ sent_at: nowIso(), text_body: kept }).where('id', '=', id).execute();
        log.info({ outboxId: id, purpose: message.purpose }, 'mail sent');
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        await db.updateTable('outbox').set({ error: reason.slice(0, 500) }).where('id', '=', id).execute();
        log.warn({ outboxId: id, purpose: message.purpose }, 'mail could not be sent; kept in the outbox');
      }
      return id;
    },
  };
}
