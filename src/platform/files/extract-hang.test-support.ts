/**
 * A worker for files.test.ts and the documents' tests, in place of extract-worker.ts: it loops
 * forever without ever yielding (as a reader stuck on a hostile file would), so that no timer in
 * the thread could stop it: only terminating the thread does.
 */
for (;;) {
  // Busy: no timer, no promise could interrupt this.
}

export {};
