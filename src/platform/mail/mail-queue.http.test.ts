import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { MAIL_SEND_JOB } from './mailer.js';

for (const dialect of await dialectsUnderTest()) {
  describe(`mail from a request goes through the job queue (${dialect})`, () => {
    let t: TestApp;
    let smtp: SMTPServer;
    const received: string[] = [];
    before(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, _session, callback) {
          simpleParser(stream).then(
            (mail) => {
              received.push(mail.text ?? '');
              callback();
            },
            (err: Error) => callback(err),
          );
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const port = (smtp.server.address() as AddressInfo).port;
      t = await createTestApp(dialect, { demo: false, config: { smtpUrl: `smtp://127.0.0.1:${port}` } });
      // An active account (the platform does not import the auth module's commands).
      const now = new Date().toISOString();
      await t.db
        .insertInto('users')
        .values({ email: 'editor@example.org', display_name: 'Eda Editor', password_hash: null, role_code: 'editor', status: 'active', preferred_lang: 'en', created_at: now, updated_at: now })
        .execute();
    });
    after(async () => {
      await t.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    test('a password reset answers at once; the mail.send job delivers the link, then the outbox forgets it', async () => {
      assert.equal(t.app.diwan.jobs.kind, dialect === 'sqlite' ? 'sqlite' : 'pg-boss');
      const c = new TestClient(t.app);
      const res = await c.submit('/admin/password/forgot', '/admin/password/forgot', { email: 'editor@example.org' });
      assert.equal(res.statusCode, 200);
      await t.app.diwan.jobs.drain();
      assert.equal(received.length, 1);
      const token = received[0]!.match(/\/admin\/password\/reset\/([\w-]+)/)?.[1];
      assert.ok(token);
      const row = await t.db.selectFrom('outbox').selectAll().where('purpose', '=', 'password_reset').executeTakeFirstOrThrow();
      assert.ok(row.sent_at);
      assert.doesNotMatch(row.text_body, new RegExp(token));
      assert.equal((await t.app.diwan.jobs.counts(MAIL_SEND_JOB)).completed, 1);
    });
  });
}
