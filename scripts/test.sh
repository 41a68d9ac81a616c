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
stage "typecheck" npm run --silent typecheck
stage "lint" npm run --silent lint
stage "unit tests" npm run --silent test:unit
stage "integration tests (real Kafka + PostgreSQL)" npm run --silent test:integration
stage "integration smoke on Kafka $(bash scripts/test-kafka4.sh version)" bash scripts/test-kafka4.sh smoke
stage "end-to-end tests (Chromium)" npm run --silent test:e2e
# Last: it crashes its own stack mid-job, and reuses the build the end-to-end stage just made.
stage "chaos, short form (broker, worker, web killed mid-job)" npm run --silent test:chaos:short
echo ""
echo "All stages passed in ${SECONDS} s."
