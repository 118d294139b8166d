import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { CHANGE_CHANNEL, INSTANCE_ID, onChange, parseChangePayload, type ReceivedChange } from './changes.js';
import { listenForChanges } from './listen.js';

const quiet = { warn: () => undefined, info: () => undefined };

test('payloads: well-formed events parse, foreign or own ones are ignored', () => {
  const e = { entity: 'activity', id: 4, action: 'published', public: true, visibleFrom: null };
  assert.deepEqual(parseChangePayload(JSON.stringify({ ...e, source: 'other' })), e);
  assert.equal(parseChangePayload(JSON.stringify({ ...e, source: INSTANCE_ID })), null, 'our own notification comes back: already handled');
  assert.equal(parseChangePayload('not json'), null);
  assert.equal(parseChangePayload(JSON.stringify({ entity: 'x' })), null);
  assert.equal(parseChangePayload(JSON.stringify({ ...e, visibleFrom: 'never' }))?.visibleFrom, null);
});

const dialects = await dialectsUnderTest();
if (dialects.includes('postgres')) {
  describe('change events between instances (postgres)', () => {
    let tdb: TestDatabase;
    before(async () => {
      tdb = await createTestDatabase('postgres');
    });
    after(async () => tdb.drop());

    const waitFor = async (received: ReceivedChange[], n: number) => {
      for (let i = 0; i < 100 && received.length < n; i++) await sleep(50);
    };
    const notify = async (payload: object) => {
      const c = new pg.Client({ connectionString: tdb.config.databaseUrl });
      await c.connect();
      await c.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(payload)]);
      await c.end();
    };

    test('another instance’s NOTIFY reaches this process’s subscribers, and the listener survives a dropped connection', async () => {
      const received: ReceivedChange[] = [];
      const off = onChange((e) => received.push(e));
      const listener = listenForChanges(tdb.config.databaseUrl, quiet);
      try {
        for (let i = 0; i < 100 && !listener.connected(); i++) await sleep(50);
        assert.ok(listener.connected());
        await notify({ entity: 'page', id: 7, action: 'published', public: true, visibleFrom: null, source: 'elsewhere' });
        await waitFor(received, 1);
        assert.deepEqual(received[0], { entity: 'page', id: 7, action: 'published', public: true, visibleFrom: null, origin: 'remote' });
        // The database drops the listener's connection: it comes back by itself.
        const admin = new pg.Client({ connectionString: tdb.config.databaseUrl });
        await admin.connect();
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`);
        await admin.end();
        for (let i = 0; i < 40 && listener.connected(); i++) await sleep(50);
        for (let i = 0; i < 100 && !listener.connected(); i++) await sleep(100);
        assert.ok(listener.connected(), 'reconnected');
        await notify({ entity: 'activity', id: 8, action: 'saved', public: true, visibleFrom: null, source: 'elsewhere' });
        await waitFor(received, 2);
        assert.equal(received[1]?.id, 8);
      } finally {
        off();
        await listener.close();
      }
    });
  });
}
