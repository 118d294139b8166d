import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase, type Db } from '../db/database.js';
import { createJobQueue, type JobQueue } from '../jobs/jobs.js';
import { createMailer, MAIL_SEND_JOB, mailJob } from './mailer.js';

const quietLog = { info: () => undefined, warn: () => undefined };

for (const dialect of await dialectsUnderTest()) describe(`mail through the outbox and the job queue (${dialect})`, () => {
  let tdb: TestDatabase;
  let jobs: JobQueue;
  let db: Db;
  let smtp: SMTPServer;
  let port = 0;
  const received: { to: string; subject: string; text: string }[] = [];
  before(async () => {
    tdb = await createTestDatabase(dialect);
    db = openDatabase(tdb.config);
    await migrateToLatest(db);
    jobs = await createJobQueue({ db, config: tdb.config, log: quietLog, tuning: { pollIntervalMs: 50 } });
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            received.push({ to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '', subject: mail.subject ?? '', text: mail.text ?? '' });
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
  });
  after(async () => {
    await jobs.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.destroy();
    await tdb.drop();
  });

  /** A mailer whose `mail.send` job uses that SMTP URL. */
  const mailerOn = (smtpUrl: string | undefined, options = {}) => {
    const config = { smtpUrl, mailFrom: 'Diwan <no-reply@diwan.test>' };
    jobs.register(mailJob(config, db, quietLog, options));
    return createMailer(config, db, quietLog, jobs);
  };

  test('with SMTP configured, a job sends the message to a real peer and the outbox marks it sent', async () => {
    const mailer = mailerOn(`smtp://127.0.0.1:${port}`);
    const id = await mailer.send({ to: 'reader@example.org', subject: 'Réinitialisation', text: 'Lien : https://diwan.test/x', purpose: 'password_reset' });
    // The request does not wait on the mail server: the job sends it.
    assert.equal((await db.selectFrom('outbox').select('sent_at').where('id', '=', id).executeTakeFirstOrThrow()).sent_at, null);
    await jobs.drain();
    assert.equal(received.length, 1);
    assert.deepEqual(received[0], { to: 'reader@example.org', subject: 'Réinitialisation', text: 'Lien : https://diwan.test/x\n' });
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.sent_at);
    assert.equal(row.error, null);
  });

  test('a single-use secret is delivered, then removed from the outbox', async () => {
    const mailer = mailerOn(`smtp://127.0.0.1:${port}`);
    const id = await mailer.send({ to: 'reader@example.org', subject: 'Reset', text: 'Open https://diwan.test/admin/password/reset/SECRET123 now', purpose: 'password_reset', secret: 'SECRET123' });
    await jobs.drain();
    assert.match(received.at(-1)?.text ?? '', /SECRET123/);
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.doesNotMatch(row.text_body, /SECRET123/);
    assert.match(row.text_body, /\[removed after sending\]/);
  });

  test('without SMTP the message stays in the outbox, and the log names the purpose, never the address', async () => {
    const lines: string[] = [];
    const before = await jobs.counts(MAIL_SEND_JOB);
    const mailer = createMailer({ smtpUrl: undefined }, db, { info: (o, m) => lines.push(JSON.stringify(o) + m), warn: (o, m) => lines.push(JSON.stringify(o) + m) }, jobs);
    const id = await mailer.send({ to: 'secret-person@example.org', subject: 'Hello', text: 'Body', purpose: 'invitation' });
    // No job is needed: the message waits in the outbox for an admin.
    assert.deepEqual(await jobs.counts(MAIL_SEND_JOB), before);
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.sent_at, null);
    assert.match(lines.join('\n'), /invitation/);
    assert.doesNotMatch(lines.join('\n'), /secret-person/);
  });

  test('an unreachable SMTP server keeps the message with its error; the job is retried, then failed without the address', async () => {
    const mailer = mailerOn('smtp://127.0.0.1:1', { retryLimit: 1, retryDelaySeconds: 0, retryBackoff: false });
    const id = await mailer.send({ to: 'a@example.org', subject: 'S', text: 'T', purpose: 'test' });
    await jobs.drain();
    const [failure] = (await jobs.failures(10)).filter((f) => f.name === MAIL_SEND_JOB);
    assert.equal(failure?.attempts, 2);
    assert.match(failure.error, /mail server/);
    assert.doesNotMatch(failure.error, /example\.org/);
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.sent_at, null);
    assert.ok(row.error);
  });
});
