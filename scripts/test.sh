#!/usr/bin/env bash
# `npm test`: the whole suite, in order of cost. Each stage runs only if the previous one passed.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() {
  local name="$1"; shift
  local t0=$SECONDS
  echo ""
  echo "━━━ ${name} ━━━"
  "$@"
  echo "━━━ ${name}: passed in $((SECONDS - t0)) s"
}

stage "prisma generate" npm run --silent db:generate
stage "kafka jars" bash scripts/kafka/kafka.sh fetch
stage "kafka connect jars" bash scripts/kafka/kafka.sh fetch-connect
stage "kafka $(bash scripts/test-kafka4.sh version) jars" bash scripts/test-kafka4.sh fetch
# Two single-threaded checks on a 2-core machine: side by side, each output printed whole.
typecheck_and_lint() {
  local lint_log status=0
  lint_log="$(mktemp)"
  npm run --silent lint >"$lint_log" 2>&1 &
  local lint_pid=$!
  npm run --silent typecheck || status=$?
  wait "$lint_pid" || status=$?
  cat "$lint_log"
  return "$status"
}
stage "typecheck and lint" typecheck_and_lint
stage "unit tests" npm run --silent test:unit
# The Kafka 4 smoke has a broker, ports and databases of its own (offset + 50), so it runs beside the
# main integration stage instead of after it; its output is printed once both are done.
KAFKA4_LOG="$(mktemp)"
bash scripts/test-kafka4.sh smoke >"$KAFKA4_LOG" 2>&1 &
KAFKA4_PID=$!
KAFKA4_T0=$SECONDS
integration_then_smoke() {
  # Waits for the smoke even when the main stage failed: its broker is stopped by its own teardown,
  # and a broker left running would outlive the run.
  local main=0 smoke=0
  npm run --silent test:integration || main=$?
  echo ""
  echo "━━━ integration smoke on Kafka $(bash scripts/test-kafka4.sh version) (ran alongside) ━━━"
  wait "$KAFKA4_PID" || smoke=$?
  cat "$KAFKA4_LOG"
  echo "━━━ smoke on Kafka 4: exit ${smoke} after $((SECONDS - KAFKA4_T0)) s"
  [ "$main" -eq 0 ] && [ "$smoke" -eq 0 ]
}
# The end-to-end suite's production build runs beside the integration stage too (scripts/prebuild-e2e.ts);
# the e2e stage waits for it, and its global setup reuses it. A failed prebuild only costs time: the
# global setup builds again and shows the error there.
PREBUILD_LOG="$(mktemp)"
# In a session of its own, so a failed stage can stop the whole build (next build's workers too).
setsid npx tsx --conditions=react-server scripts/prebuild-e2e.ts >"$PREBUILD_LOG" 2>&1 &
PREBUILD_PID=$!
trap 'kill -- -"$PREBUILD_PID" 2>/dev/null || true' EXIT
stage "integration tests (real Kafka + PostgreSQL), and the smoke on Kafka $(bash scripts/test-kafka4.sh version)" integration_then_smoke
e2e_after_prebuild() {
  wait "$PREBUILD_PID" || echo "The e2e prebuild failed (exit $?); the global setup builds again."
  cat "$PREBUILD_LOG"
  npm run --silent test:e2e
}
stage "end-to-end tests (Chromium)" e2e_after_prebuild
# Last: it crashes its own stack mid-job, and reuses the build the end-to-end stage just made.
stage "chaos, short form (broker, worker, web killed mid-job)" npm run --silent test:chaos:short
echo ""
echo "All stages passed in ${SECONDS} s."
