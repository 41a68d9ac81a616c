#!/usr/bin/env bash
# The integration suite on Kafka 4.x (the default broker is 3.9.2, pinned in scripts/kafka/pom.xml).
#
#   scripts/test-kafka4.sh version   print the 4.x release tested (<kafka4.version> in pom.xml)
#   scripts/test-kafka4.sh fetch     fetch its jars
#   scripts/test-kafka4.sh smoke     a few broker-heavy files (the `npm test` stage, ~1-2 min)
#   scripts/test-kafka4.sh full      the whole integration suite (npm run test:integration:kafka4)
#
# Both runs use SIGNALBOX_TEST_PORT_OFFSET + 50: a broker, ports and databases of their own, apart
# from the 3.9 suite's, so the two can run side by side (and one never reuses the other's broker).
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA4_VERSION="$(sed -n 's:.*<kafka4.version>\(.*\)</kafka4.version>.*:\1:p' scripts/kafka/pom.xml | head -n1)"
[ -n "$KAFKA4_VERSION" ] || { echo "scripts/kafka/pom.xml has no <kafka4.version>" >&2; exit 1; }
export KAFKA_VERSION="$KAFKA4_VERSION"
export SIGNALBOX_TEST_PORT_OFFSET=$(( ${SIGNALBOX_TEST_PORT_OFFSET:-0} + 50 ))

# Chosen for what differs on 4.x: the version shown on the overview (4.0 removed the config it
# came from), produce/consume and headers, group offset commits, and transactions (replay's
# exactly-once writer; 4.x brokers finalize transaction.version 2).
SMOKE_FILES=(
  src/server/services/health/overview.int.test.ts
  src/server/services/messages/messages.int.test.ts
  src/server/broker/offsets.int.test.ts
  src/server/services/replay/replay.int.test.ts
)

case "${1:-}" in
  version) echo "$KAFKA4_VERSION" ;;
  fetch) bash scripts/kafka/kafka.sh fetch ;;
  smoke) npx vitest run --config vitest.integration.config.ts "${SMOKE_FILES[@]}" ;;
  full) npx vitest run --config vitest.integration.config.ts ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
