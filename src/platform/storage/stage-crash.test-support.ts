/**
 * Run by storage.test.ts as a child process, then killed with SIGKILL mid-upload: stages an
 * endless, slow upload into the store named by the arguments (data directory, storage URL).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openFileStore } from './storage.js';

async function* slowEndless(): AsyncGenerator<Uint8Array> {
  for (;;) {
    yield Buffer.alloc(4096, 7);
    await sleep(5);
  }
}

const [dataDir, url] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: stage-crash.test-support.ts DATA_DIR [STORAGE_URL]');
const store = await openFileStore({ dataDir, url: url || undefined });
const staged = await store.stage(slowEndless(), { maxBytes: Number.MAX_SAFE_INTEGER });
await store.commit(staged);
