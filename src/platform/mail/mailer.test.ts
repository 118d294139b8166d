import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase, type Db } from '../db/database.js';
import { createMailer } from './mailer.js';

const quietLog = { info: () => undefined, warn: () => undefined };

describe('mail through the outbox', () => {
  let tdb: TestDatabase;
  let db: Db;
  let smtp: SMTPServer;
  let port = 0;
  const received: { to: string; subject: string; text: string }[] = [];
  before(async () => {
    tdb = await createTestDatabase('sqlite');
    db = openDatabase(tdb.config);
    await migrateToLatest(db);
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
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.destroy();
    await tdb.drop();
  });

  test('with SMTP configured, a real peer receives the message and the outbox marks it sent', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Diwan <no-reply@diwan.test>' }, db, quietLog);
    const id = await mailer.send({ to: 'reader@example.org', subject: 'Réinitialisation', text: 'Lien : https://diwan.test/x', purpose: 'password_reset' });
    assert.equal(received.length, 1);
    assert.deepEqual(received[0], { to: 'reader@example.org', subject: 'Réinitialisation', text: 'Lien : https://diwan.test/x\n' });
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.sent_at);
    assert.equal(row.error, null);
  });

  test('a single-use secret is delivered, then removed from the outbox', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Diwan <no-reply@diwan.test>' }, db, quietLog);
    const id = await mailer.send({ to: 'reader@example.org', subject: 'Reset', text: 'Open https://diwan.test/admin/password/reset/SECRET123 now', purpose: 'password_reset', secret: 'SECRET123' });
    assert.match(received.at(-1)?.text ?? '', /SECRET123/);
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.doesNotMatch(row.text_body, /SECRET123/);
    assert.match(row.text_body, /\[removed after sending\]/);
  });

  test('without SMTP the message stays in the outbox, and the log names the purpose, never the address', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'x <x@x.test>' }, db, { info: (o, m) => lines.push(JSON.stringify(o) + m), warn: (o, m) => lines.push(JSON.stringify(o) + m) });
    const id = await mailer.send({ to: 'secret-person@example.org', subject: 'Hello', text: 'Body', purpose: 'invitation' });
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.sent_at, null);
    assert.match(lines.join('\n'), /invitation/);
    assert.doesNotMatch(lines.join('\n'), /secret-person/);
  });

  test('an unreachable SMTP server keeps the message with its error', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'x <x@x.test>' }, db, quietLog);
    const id = await mailer.send({ to: 'a@example.org', subject: 'S', text: 'T', purpose: 'test' });
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.sent_at, null);
    assert.ok(row.error);
  });
});
