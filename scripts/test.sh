#!/usr/bin/env bash
# Runs Diwan's test suites with Node's test runner (Node 20 does not expand globs, so we list files).
#   all      every suite: unit and HTTP tests on SQLite and PostgreSQL, then browser tests (default)
#   unit     unit and HTTP tests on SQLite only
#   pg       unit and HTTP tests on PostgreSQL only (fails when PostgreSQL is unreachable)
#   browser  browser tests in Debian's Chromium, with axe-core checks
# Under CI=true every suite must run: an unreachable PostgreSQL or a missing Chromium fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-all}"

node_files=$(find src test -name '*.test.ts' -o -name '*.test.tsx' | grep -v '\.browser\.test\.' | sort)
browser_files=$(find e2e -name '*.browser.test.ts' 2>/dev/null | sort)

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
need_browser() {
  if [ ! -x "$chromium_path" ]; then
    echo "Chromium not found at $chromium_path: install it with 'apt-get install -y chromium' (see README)." >&2
    exit 1
  fi
}

# Tests hash passwords at the cheapest argon2id cost (PASSWORD_HASH_COST, allowed only with NODE_ENV=test).
export NODE_ENV=test PASSWORD_HASH_COST=test
# Unit and HTTP test files mostly wait on databases: three at a time use both cores. Browser test
# files each drive a Chromium and run one at a time, so that a loaded machine does not slow them
# into timeouts.
run() { node --import tsx --test --test-reporter=spec "$@"; }
run_node() { run --test-concurrency=3 "$@"; }

case "$mode" in
  all)
    need_browser
    status=0
    run_node $node_files || status=$?
    run $browser_files || status=$?
    exit $status
    ;;
  unit)
    DIWAN_TEST_DIALECTS=sqlite run_node $node_files
    ;;
  pg)
    DIWAN_TEST_DIALECTS=postgres DIWAN_REQUIRE_PG=1 run_node $node_files
    ;;
  browser)
    need_browser
    run $browser_files
    ;;
  *)
    echo "usage: scripts/test.sh [all|unit|pg|browser]" >&2
    exit 64
    ;;
esac
