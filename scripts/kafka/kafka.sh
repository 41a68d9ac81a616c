#!/usr/bin/env bash
# Run a real single-node Apache Kafka broker (KRaft: broker+controller in one JVM) and Kafka's
# own CLI tools from jars fetched from Maven Central. No Docker, no Kafka tarball.
# See scripts/kafka/README.md.
#
#   scripts/kafka/kafka.sh fetch            download the jars once (.cache/kafka/<version>/libs)
#   scripts/kafka/kafka.sh start            fetch if needed, format, start, wait until it answers
#   scripts/kafka/kafka.sh stop             SIGTERM (then SIGKILL after ~20 s) the PID in the PID file
#   scripts/kafka/kafka.sh kill             SIGKILL the PID in the PID file at once (a crash; data kept)
#   scripts/kafka/kafka.sh status           exit 0 if running, 1 if not
#   scripts/kafka/kafka.sh tool NAME [ARGS] run a Kafka CLI tool (NAME or a fully qualified class)
#   scripts/kafka/kafka.sh tool list        list tool names and the classes they resolve to
#   scripts/kafka/kafka.sh fetch-connect    download Kafka Connect's jars once (.cache/kafka/<version>/connect-libs)
#   scripts/kafka/kafka.sh connect-start    start a Connect distributed worker against the broker on KAFKA_PORT
#   scripts/kafka/kafka.sh connect-stop     stop that worker by the PID in its PID file
#   scripts/kafka/kafka.sh connect-status   exit 0 if it runs, 1 if not
#
# Environment:
#   KAFKA_VERSION          Kafka version (default: the pin in pom.xml, 3.9.2)
#   KAFKA_PORT             PLAINTEXT listener port (default 19092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT+1)
#   KAFKA_FRESH=1          start: wipe the instance's data first (stops a running broker first)
#   KAFKA_HEAP_OPTS        broker heap (default -Xms256m -Xmx768m)
#   KAFKA_TOOL_HEAP_OPTS   tool heap (default -Xmx256m)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 90)
#   KAFKA_CACHE_DIR        cache root (default <repo>/.cache/kafka)
#   KAFKA_MVN_ARGS         extra arguments for mvn during fetch (e.g. -Dmaven.repo.local=...)
#   KAFKA_EXTRA_CONFIG     start: a file of server.properties lines appended to the generated ones
#                          (a key given again overrides: extra listeners, TLS, SASL, an authorizer)
#   CONNECT_PORT           connect-*: the worker's REST port (default 18083); its files live under
#                          the broker's instance folder, in connect-<CONNECT_PORT>/
#   CONNECT_HEAP_OPTS      Connect worker heap (default -Xms128m -Xmx512m)
#   CONNECT_FRESH=1        connect-start: wipe the worker's files first (its internal topics live
#                          in the broker and go with KAFKA_FRESH)
#   KAFKA_SCRAM_USERS      start: SCRAM credentials created when the storage is formatted, separated
#                          by spaces, each as StorageTool's --add-scram takes it:
#                          SCRAM-SHA-512=[name=alice,password=alice-secret]
#   KAFKA_NODES            start: brokers in the cluster (default 1, at most 5). Node 1 on KAFKA_PORT
#                          is broker and the one KRaft controller; node i (2..N) is a broker only, on
#                          KAFKA_PORT+i, with its own instance folder (instances/<its port>). stop
#                          stops them all. For clusters too big for one JVM's open files (each
#                          partition keeps its active segment open: about one descriptor per
#                          partition), see scripts/kafka/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"

DEFAULT_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)"
KAFKA_VERSION="${KAFKA_VERSION:-$DEFAULT_VERSION}"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
KAFKA_TOOL_HEAP_OPTS="${KAFKA_TOOL_HEAP_OPTS:--Xmx256m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache/kafka}"
KAFKA_NODES="${KAFKA_NODES:-1}"
# Set only for the broker-only nodes of a multi-broker cluster, by node 1's start (start_extra_nodes).
KAFKA_NODE_ID="${KAFKA_NODE_ID:-1}"

VERSION_DIR="$KAFKA_CACHE_DIR/$KAFKA_VERSION"
LIBS_DIR="$VERSION_DIR/libs"
FETCH_MARKER="$VERSION_DIR/.fetched"
CLASS_INDEX="$VERSION_DIR/classes.txt"
INSTANCE_DIR="$KAFKA_CACHE_DIR/instances/$KAFKA_PORT"
DATA_DIR="$INSTANCE_DIR/data"
PID_FILE="$INSTANCE_DIR/kafka.pid"
LOG_FILE="$INSTANCE_DIR/server.log"
SERVER_PROPS="$INSTANCE_DIR/server.properties"
# Node 1 of a multi-broker cluster lists the other nodes' ports here, so stop finds them.
EXTRA_NODES_FILE="$INSTANCE_DIR/extra-nodes"
VERSION_FILE="$INSTANCE_DIR/kafka.version"

CONNECT_PORT="${CONNECT_PORT:-18083}"
CONNECT_HEAP_OPTS="${CONNECT_HEAP_OPTS:--Xms128m -Xmx512m}"
CONNECT_LIBS_DIR="$VERSION_DIR/connect-libs"
CONNECT_FETCH_MARKER="$VERSION_DIR/.connect-fetched"
CONNECT_DIR="$INSTANCE_DIR/connect-$CONNECT_PORT"
CONNECT_PID_FILE="$CONNECT_DIR/connect.pid"
CONNECT_LOG_FILE="$CONNECT_DIR/connect.log"
CONNECT_PROPS="$CONNECT_DIR/connect-distributed.properties"

log() { echo "kafka.sh: $*" >&2; }
die() { echo "kafka.sh: error: $*" >&2; exit 1; }

case "$KAFKA_PORT" in ''|*[!0-9]*) die "KAFKA_PORT must be a number, got '$KAFKA_PORT'";; esac
case "$KAFKA_CONTROLLER_PORT" in ''|*[!0-9]*) die "KAFKA_CONTROLLER_PORT must be a number";; esac
case "$CONNECT_PORT" in ''|*[!0-9]*) die "CONNECT_PORT must be a number, got '$CONNECT_PORT'";; esac
case "$KAFKA_START_TIMEOUT" in ''|*[!0-9]*) die "KAFKA_START_TIMEOUT must be whole seconds";; esac
case "$KAFKA_NODES" in [1-5]) ;; *) die "KAFKA_NODES must be 1 to 5, got '$KAFKA_NODES'";; esac
[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

# 3.x and 4.x are both KRaft-only here; the differences (logging backend, tool classes) are
# handled per major version. A malformed version would only fail later inside Maven.
case "$KAFKA_VERSION" in
  [3-9].[0-9]*.[0-9]*) ;;
  *) die "KAFKA_VERSION must be a Kafka release such as 3.9.2 or 4.4.0, got '$KAFKA_VERSION'" ;;
esac
kafka_major() { echo "${KAFKA_VERSION%%.*}"; }

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then command -v java
  else die "java not found (Java 17+ required)"; fi
}

now_ms() { date +%s%3N; }

# ---------------------------------------------------------------- fetch

fetch_done() { [ -f "$FETCH_MARKER" ] && [ -d "$LIBS_DIR" ]; }

cmd_fetch() {
  fetch_done && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven is needed once, to fetch the jars)"
  mkdir -p "$VERSION_DIR"
  # Serialise concurrent fetches of the same version (e.g. two instances started in parallel).
  exec 9>"$VERSION_DIR/.lock"
  flock 9
  if fetch_done; then exec 9>&-; return 0; fi
  local t0 tmp profile=()
  t0=$(now_ms)
  [ "$(kafka_major)" -ge 4 ] && profile=(-Dkafka4)
  tmp="$VERSION_DIR/libs.tmp.$$"
  rm -rf "$tmp" "$LIBS_DIR"
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR"
  # shellcheck disable=SC2086
  if ! mvn -B -q -Dstyle.color=never -f "$POM" ${KAFKA_MVN_ARGS:-} "-Dkafka.version=$KAFKA_VERSION" "${profile[@]}" \
      dependency:copy-dependencies "-DoutputDirectory=$tmp" >"$VERSION_DIR/fetch.log" 2>&1; then
    cat "$VERSION_DIR/fetch.log" >&2
    rm -rf "$tmp"; die "mvn dependency:copy-dependencies failed for Kafka $KAFKA_VERSION"
  fi
  [ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"; }
  # Index of Kafka's class names, so `tool` can pick the class that exists in this version.
  local j
  for j in "$tmp"/kafka*.jar; do
    if command -v unzip >/dev/null 2>&1; then unzip -Z1 "$j"; else (cd /tmp && jar tf "$j"); fi
  done | sed -n 's:\.class$::p' | grep -v '\$' | tr / . | sort -u >"$VERSION_DIR/classes.txt.tmp"
  mv "$VERSION_DIR/classes.txt.tmp" "$CLASS_INDEX"
  mv "$tmp" "$LIBS_DIR"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$FETCH_MARKER"
  log "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars in $(( ($(now_ms) - t0) / 1000 ))s"
  exec 9>&-
}

# Kafka Connect's classpath (connect-runtime, -api, -json, -transforms, -file and what they need),
# apart from the broker's: the pom's "connect" profile.
connect_fetch_done() { [ -f "$CONNECT_FETCH_MARKER" ] && [ -d "$CONNECT_LIBS_DIR" ]; }

cmd_fetch_connect() {
  connect_fetch_done && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven is needed once, to fetch the jars)"
  mkdir -p "$VERSION_DIR"
  exec 8>"$VERSION_DIR/.connect-lock"
  flock 8
  if connect_fetch_done; then exec 8>&-; return 0; fi
  local t0 tmp profile=()
  t0=$(now_ms)
  [ "$(kafka_major)" -ge 4 ] && profile=(-Dkafka4)
  tmp="$VERSION_DIR/connect-libs.tmp.$$"
  rm -rf "$tmp" "$CONNECT_LIBS_DIR"
  log "fetching Kafka Connect $KAFKA_VERSION jars from Maven Central into $CONNECT_LIBS_DIR"
  # shellcheck disable=SC2086
  if ! mvn -B -q -Dstyle.color=never -f "$POM" ${KAFKA_MVN_ARGS:-} "-Dkafka.version=$KAFKA_VERSION" -Dconnect "${profile[@]}" \
      dependency:copy-dependencies "-DoutputDirectory=$tmp" >"$VERSION_DIR/fetch-connect.log" 2>&1; then
    cat "$VERSION_DIR/fetch-connect.log" >&2
    rm -rf "$tmp"; die "mvn dependency:copy-dependencies failed for Kafka Connect $KAFKA_VERSION"
  fi
  [ -f "$tmp/connect-runtime-$KAFKA_VERSION.jar" ] || { rm -rf "$tmp"; die "connect-runtime-$KAFKA_VERSION.jar missing after fetch"; }
  mv "$tmp" "$CONNECT_LIBS_DIR"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$CONNECT_FETCH_MARKER"
  log "fetched $(find "$CONNECT_LIBS_DIR" -name '*.jar' | wc -l) Connect jars in $(( ($(now_ms) - t0) / 1000 ))s"
  exec 8>&-
}

# ---------------------------------------------------------------- logging configs

write_log_configs() {
  mkdir -p "$VERSION_DIR/config"
  local c="$VERSION_DIR/config"
  # log4j 1.x (reload4j) -- Kafka 3.x
  cat >"$c/broker-log4j.properties" <<'EOF'
log4j.rootLogger=INFO, out
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF
  cat >"$c/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, err
log4j.appender.err=org.apache.log4j.ConsoleAppender
log4j.appender.err.Target=System.err
log4j.appender.err.layout=org.apache.log4j.PatternLayout
log4j.appender.err.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  # log4j 2 -- Kafka 4.x
  cat >"$c/broker-log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.target = SYSTEM_OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.req.name = kafka.request.logger
logger.req.level = WARN
logger.sc.name = state.change.logger
logger.sc.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
EOF
  cat >"$c/tools-log4j2.properties" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = ERR
EOF
}

# $1 = broker|tools. Both properties are passed; each logging backend reads only its own.
log_opts() {
  local c="$VERSION_DIR/config"
  LOG_OPTS=("-Dlog4j.configuration=file:$c/$1-log4j.properties" "-Dlog4j2.configurationFile=$c/$1-log4j2.properties")
}

# ---------------------------------------------------------------- tools

# Candidate classes per tool name, newest location first (classes moved between 3.x and 4.x).
tool_candidates() {
  case "$1" in
    kafka-consumer-groups)     echo org.apache.kafka.tools.consumer.group.ConsumerGroupCommand kafka.admin.ConsumerGroupCommand ;;
    kafka-topics)              echo org.apache.kafka.tools.TopicCommand kafka.admin.TopicCommand ;;
    kafka-get-offsets)         echo org.apache.kafka.tools.GetOffsetShell kafka.tools.GetOffsetShell ;;
    kafka-console-producer)    echo org.apache.kafka.tools.ConsoleProducer kafka.tools.ConsoleProducer ;;
    kafka-console-consumer)    echo org.apache.kafka.tools.consumer.ConsoleConsumer kafka.tools.ConsoleConsumer ;;
    kafka-delete-records)      echo org.apache.kafka.tools.DeleteRecordsCommand kafka.admin.DeleteRecordsCommand ;;
    kafka-broker-api-versions) echo org.apache.kafka.tools.BrokerApiVersionsCommand kafka.admin.BrokerApiVersionsCommand ;;
    kafka-metadata-quorum)     echo org.apache.kafka.tools.MetadataQuorumCommand ;;
    kafka-configs)             echo org.apache.kafka.tools.ConfigCommand kafka.admin.ConfigCommand ;;
    kafka-transactions)        echo org.apache.kafka.tools.TransactionsCommand ;;
    kafka-cluster)             echo org.apache.kafka.tools.ClusterTool kafka.tools.ClusterTool ;;
    kafka-storage)             echo org.apache.kafka.tools.StorageTool kafka.tools.StorageTool ;;
    kafka-acls)                echo org.apache.kafka.tools.AclCommand kafka.admin.AclCommand ;;
    *) return 1 ;;
  esac
}
TOOL_NAMES="kafka-consumer-groups kafka-topics kafka-get-offsets kafka-console-producer kafka-console-consumer kafka-delete-records kafka-broker-api-versions kafka-metadata-quorum kafka-configs kafka-transactions kafka-cluster kafka-storage kafka-acls"

has_class() { grep -qxF "$1" "$CLASS_INDEX"; }

# Echo the main class for a tool name or fully qualified class name.
resolve_tool() {
  local name="$1" c candidates
  if candidates=$(tool_candidates "$name"); then
    for c in $candidates; do has_class "$c" && { echo "$c"; return 0; }; done
    return 1
  fi
  case "$name" in
    *.*) echo "$name"; return 0 ;;  # fully qualified class name, used as given
  esac
  return 1
}

# Sets TOOL_CMD to the java command line for a tool main class (short-lived JVM: small heap,
# serial GC, C1 only -> faster start). Log4j: WARN+ to stderr, so stdout stays parseable.
tool_cmd() {
  local cls="$1"; shift
  local heap
  read -r -a heap <<<"$KAFKA_TOOL_HEAP_OPTS"
  log_opts tools
  TOOL_CMD=("$(java_bin)" "${heap[@]}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
    -Djava.awt.headless=true "${LOG_OPTS[@]}" -cp "$LIBS_DIR/*" "$cls" "$@")
}

cmd_tool() {
  [ $# -ge 1 ] || die "usage: kafka.sh tool NAME|list|fully.qualified.Class [args...]"
  cmd_fetch
  write_log_configs
  local name="$1"; shift
  if [ "$name" = list ] || [ "$name" = --list ]; then
    local n
    for n in $TOOL_NAMES; do printf '%-26s %s\n' "$n" "$(resolve_tool "$n" || echo '(not in this version)')"; done
    return 0
  fi
  local cls
  cls=$(resolve_tool "$name") || die "unknown tool '$name' for Kafka $KAFKA_VERSION (try: kafka.sh tool list)"
  tool_cmd "$cls" "$@"
  exec "${TOOL_CMD[@]}"
}

# Run a named tool as a child process bounded by a timeout: tool_bounded SECS NAME ARGS...
tool_bounded() {
  local secs="$1" cls; shift
  cls=$(resolve_tool "$1") || die "tool $1 not found in Kafka $KAFKA_VERSION"; shift
  tool_cmd "$cls" "$@"
  timeout -k 5 "$secs" "${TOOL_CMD[@]}"
}

# ---------------------------------------------------------------- broker lifecycle

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PID from the PID file if that process is alive and is this instance's broker.
live_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(tr -dc 0-9 <"$PID_FILE")
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against PID reuse: the process must be kafka.Kafka with this instance's config.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $SERVER_PROPS" || return 1
  echo "$pid"
}

is_extra_node() { [ "$KAFKA_NODE_ID" != 1 ]; }

write_server_properties() {
  local roles="broker,controller" voters="1@127.0.0.1:$KAFKA_CONTROLLER_PORT"
  local listeners="PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT"
  if is_extra_node; then
    # A broker only: it joins node 1's controller quorum and has no controller listener of its own.
    roles=broker voters="$KAFKA_QUORUM_VOTERS" listeners="PLAINTEXT://127.0.0.1:$KAFKA_PORT"
  fi
  cat >"$SERVER_PROPS" <<EOF
# Generated by scripts/kafka/kafka.sh -- KRaft node $KAFKA_NODE_ID for local dev/tests/CI.
process.roles=$roles
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$voters
listeners=$listeners
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
EOF
  if [ -n "${KAFKA_EXTRA_CONFIG:-}" ]; then
    [ -f "$KAFKA_EXTRA_CONFIG" ] || die "KAFKA_EXTRA_CONFIG names no file: $KAFKA_EXTRA_CONFIG"
    { echo "# From KAFKA_EXTRA_CONFIG=$KAFKA_EXTRA_CONFIG"; cat "$KAFKA_EXTRA_CONFIG"; } >>"$SERVER_PROPS"
  fi
}

format_storage() {
  if [ -f "$DATA_DIR/meta.properties" ]; then return 0; fi
  mkdir -p "$DATA_DIR"
  local cluster_id
  # 16 random bytes, base64url without padding = a Kafka Uuid string. It may start with "-", so it is
  # passed as --cluster-id=<id>: as a separate argument the tool would take it for an option.
  # The broker-only nodes of a cluster are formatted with node 1's id (KAFKA_CLUSTER_ID).
  cluster_id="${KAFKA_CLUSTER_ID:-$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)}"
  log "formatting $DATA_DIR (cluster id $cluster_id)"
  local scram=() user
  for user in ${KAFKA_SCRAM_USERS:-}; do scram+=(--add-scram "$user"); done
  if ! tool_bounded 120 kafka-storage format --cluster-id="$cluster_id" -c "$SERVER_PROPS" --ignore-formatted "${scram[@]}" \
      >"$INSTANCE_DIR/format.log" 2>&1; then
    cat "$INSTANCE_DIR/format.log" >&2
    die "StorageTool format failed"
  fi
}

print_log_tail() {
  echo "----- last 40 lines of $LOG_FILE -----" >&2
  tail -n 40 "$LOG_FILE" >&2 2>/dev/null || true
  echo "--------------------------------------" >&2
}

cmd_start() {
  local pid
  if pid=$(live_pid); then
    if [ "${KAFKA_FRESH:-}" = 1 ]; then
      log "KAFKA_FRESH=1: stopping the running broker (pid $pid) to wipe its data"
      cmd_stop
    elif [ "$(cat "$VERSION_FILE" 2>/dev/null)" != "$KAFKA_VERSION" ]; then
      # Answering "ready" here would hand the caller a broker of another version than it asked for
      # (e.g. a 4.x test run against a 3.9 broker left running on the same port).
      die "the broker on port $KAFKA_PORT (pid $pid) runs Kafka $(cat "$VERSION_FILE" 2>/dev/null || echo '?'), not $KAFKA_VERSION; stop it first, or use KAFKA_FRESH=1"
    else
      log "already running (pid $pid, $(cat "$VERSION_FILE" 2>/dev/null || echo '?'))"
      echo "Kafka ready on 127.0.0.1:$KAFKA_PORT"
      return 0
    fi
  fi
  cmd_fetch
  write_log_configs

  local p ports=("$KAFKA_PORT")
  is_extra_node || ports+=("$KAFKA_CONTROLLER_PORT")
  for p in "${ports[@]}"; do
    port_open "$p" && die "port $p on 127.0.0.1 is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
  done

  mkdir -p "$INSTANCE_DIR"
  if [ "${KAFKA_FRESH:-}" = 1 ]; then
    log "KAFKA_FRESH=1: wiping $DATA_DIR"
    rm -rf "$DATA_DIR"
  fi
  if [ -f "$DATA_DIR/meta.properties" ] && [ -f "$VERSION_FILE" ] && [ "$(cat "$VERSION_FILE")" != "$KAFKA_VERSION" ]; then
    die "$DATA_DIR was written by Kafka $(cat "$VERSION_FILE"), not $KAFKA_VERSION; use KAFKA_FRESH=1 to wipe it"
  fi
  write_server_properties
  format_storage
  echo "$KAFKA_VERSION" >"$VERSION_FILE"

  local t0
  t0=$(now_ms)
  {
    echo
    echo "===== kafka.sh start $(date -u +%Y-%m-%dT%H:%M:%SZ) Kafka $KAFKA_VERSION port $KAFKA_PORT ====="
  } >>"$LOG_FILE"
  # setsid: own session, so Ctrl-C / the caller's process group does not take the broker down.
  # Neither setsid (not a group leader here) nor nohup forks, so $! is the java PID.
  local heap
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  log_opts broker
  # Each partition keeps its active segment open: take the whole hard limit of open files.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  setsid nohup "$(java_bin)" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    "${LOG_OPTS[@]}" -Dkafka.logs.dir="$INSTANCE_DIR" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS" >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  log "started Kafka $KAFKA_VERSION (pid $pid), log: $LOG_FILE"

  local deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT ))
  # 1) the PLAINTEXT port accepts connections (the KRaft broker opens it once it caught up)
  until port_open "$KAFKA_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then print_log_tail; rm -f "$PID_FILE"; die "broker exited during startup"; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then print_log_tail; cmd_stop; die "port $KAFKA_PORT not open after ${KAFKA_START_TIMEOUT}s"; fi
    sleep 0.2
  done
  # 2) real round trips through the reference AdminClient: Metadata, then FindCoordinator +
  #    DescribeGroups for a group that does not exist. FindCoordinator makes the broker create
  #    __consumer_offsets now, so the first real consumer group of a test does not hit
  #    COORDINATOR_NOT_AVAILABLE (which kafkajs logs at ERROR level before retrying).
  local cfg="$INSTANCE_DIR/ready-check.properties"
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=15000\n' >"$cfg"
  until tool_bounded 30 kafka-consumer-groups --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$cfg" \
      --describe --group kafka-sh-ready-check >/dev/null 2>"$INSTANCE_DIR/ready-check.err"; do
    if ! kill -0 "$pid" 2>/dev/null; then print_log_tail; rm -f "$PID_FILE"; die "broker exited during startup"; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      cat "$INSTANCE_DIR/ready-check.err" >&2 || true
      print_log_tail; cmd_stop; die "broker did not answer a metadata request within ${KAFKA_START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  log "broker answered after $(( $(now_ms) - t0 ))ms"
  start_extra_nodes
  echo "Kafka ready on 127.0.0.1:$KAFKA_PORT"
}

# Nodes 2..KAFKA_NODES, each by this script as a broker-only node on KAFKA_PORT+i, in turn (two JVMs
# starting at once on two cores only slow each other down).
start_extra_nodes() {
  is_extra_node && return 0
  [ "$KAFKA_NODES" -gt 1 ] || { rm -f "$EXTRA_NODES_FILE"; return 0; }
  local cluster_id i port voters="1@127.0.0.1:$KAFKA_CONTROLLER_PORT"
  cluster_id=$(sed -n 's/^cluster.id=//p' "$DATA_DIR/meta.properties")
  [ -n "$cluster_id" ] || die "no cluster.id in $DATA_DIR/meta.properties"
  : >"$EXTRA_NODES_FILE"
  for ((i = 2; i <= KAFKA_NODES; i++)); do
    port=$((KAFKA_PORT + i))
    echo "$port" >>"$EXTRA_NODES_FILE"
    # A broker-only node has no controller port; KAFKA_CONTROLLER_PORT is set only to pass the checks.
    KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT=$((port + 100)) KAFKA_NODE_ID="$i" KAFKA_NODES=1 KAFKA_CLUSTER_ID="$cluster_id" \
      KAFKA_QUORUM_VOTERS="$voters" bash "$SCRIPT_DIR/kafka.sh" start >/dev/null ||
      die "broker node $i (port $port) did not start; see $KAFKA_CACHE_DIR/instances/$port/server.log"
  done
  log "cluster of $KAFKA_NODES brokers: 127.0.0.1:$KAFKA_PORT and ports $(tr '\n' ' ' <"$EXTRA_NODES_FILE")"
}

stop_extra_nodes() {
  [ -f "$EXTRA_NODES_FILE" ] || return 0
  local port
  # Brokers first, then (in cmd_stop) node 1 with the controller, so each broker can leave cleanly.
  while read -r port; do
    [ -n "$port" ] && KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT=$((port + 100)) bash "$SCRIPT_DIR/kafka.sh" stop || true
  done <"$EXTRA_NODES_FILE"
  rm -f "$EXTRA_NODES_FILE"
}

cmd_stop() {
  local pid
  stop_extra_nodes
  if ! pid=$(live_pid); then
    rm -f "$PID_FILE"
    log "not running (port $KAFKA_PORT)"
    return 0
  fi
  log "stopping broker pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do   # ~20 s
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still alive after 20s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 25; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

# A crash, for the chaos suite: no clean shutdown, so the next start recovers the logs and the
# coordinators reload their state, as after a power cut. The data directory stays.
cmd_kill() {
  local pid i
  if ! pid=$(live_pid); then
    rm -f "$PID_FILE"
    log "not running (port $KAFKA_PORT)"
    return 0
  fi
  log "killing broker pid $pid (SIGKILL)"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && die "pid $pid survived SIGKILL"
  rm -f "$PID_FILE"
  log "killed"
}

cmd_status() {
  local pid
  if pid=$(live_pid); then
    echo "running (pid $pid, Kafka $(cat "$VERSION_FILE" 2>/dev/null || echo '?'), 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  echo "not running (127.0.0.1:$KAFKA_PORT)"
  return 1
}

# ---------------------------------------------------------------- Kafka Connect worker

connect_live_pid() {
  [ -f "$CONNECT_PID_FILE" ] || return 1
  local pid
  pid=$(tr -dc 0-9 <"$CONNECT_PID_FILE")
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against PID reuse, as for the broker.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "ConnectDistributed $CONNECT_PROPS" || return 1
  echo "$pid"
}

write_connect_properties() {
  # One group and one set of internal topics per REST port, so two workers on one broker (the
  # demo's and a test's) never join each other's Connect cluster.
  local id="signalbox-connect-$CONNECT_PORT"
  cat >"$CONNECT_PROPS" <<PROPS
# Generated by scripts/kafka/kafka.sh -- one Kafka Connect distributed worker for local dev/tests/CI.
bootstrap.servers=127.0.0.1:$KAFKA_PORT
group.id=$id
listeners=http://127.0.0.1:$CONNECT_PORT
rest.advertised.host.name=127.0.0.1
rest.advertised.port=$CONNECT_PORT
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
config.storage.topic=_$id-configs
offset.storage.topic=_$id-offsets
status.storage.topic=_$id-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.storage.partitions=1
status.storage.partitions=1
offset.flush.interval.ms=1000
# A worker that leaves comes back at once (a single worker: no one to wait for).
scheduled.rebalance.max.delay.ms=0
# The FileStream connectors are on the worker's classpath (connect-file): no plugin.path to scan.
PROPS
}

connect_print_log_tail() {
  echo "----- last 40 lines of $CONNECT_LOG_FILE -----" >&2
  tail -n 40 "$CONNECT_LOG_FILE" >&2 2>/dev/null || true
  echo "--------------------------------------" >&2
}

connect_ready() {
  # Ready when the herder has joined its group and read its config topic: before that the REST
  # server may answer, but refuses connector requests (409/503).
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$CONNECT_PORT/connectors?expand=status")" = 200 ] &&
    curl -s --max-time 5 "http://127.0.0.1:$CONNECT_PORT/connector-plugins" | grep -q FileStreamSink
}

cmd_connect_start() {
  local pid
  if pid=$(connect_live_pid); then
    log "Connect worker already running (pid $pid)"
    echo "Kafka Connect ready on http://127.0.0.1:$CONNECT_PORT"
    return 0
  fi
  command -v curl >/dev/null 2>&1 || die "curl not found (it checks that the Connect worker answers)"
  port_open "$KAFKA_PORT" || die "no broker answers on 127.0.0.1:$KAFKA_PORT: start it first (kafka.sh start)"
  port_open "$CONNECT_PORT" && die "port $CONNECT_PORT on 127.0.0.1 is already in use by another process (set CONNECT_PORT)"
  cmd_fetch_connect
  write_log_configs
  [ "${CONNECT_FRESH:-}" = 1 ] && rm -rf "$CONNECT_DIR"
  mkdir -p "$CONNECT_DIR"
  write_connect_properties
  local t0 heap
  t0=$(now_ms)
  echo "===== kafka.sh connect-start $(date -u +%Y-%m-%dT%H:%M:%SZ) Kafka Connect $KAFKA_VERSION port $CONNECT_PORT =====" >>"$CONNECT_LOG_FILE"
  read -r -a heap <<<"$CONNECT_HEAP_OPTS"
  log_opts broker
  # setsid + nohup as for the broker: $! is the java PID, and Ctrl-C in the caller does not reach it.
  setsid nohup "$(java_bin)" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "${LOG_OPTS[@]}" -Dkafka.logs.dir="$CONNECT_DIR" \
    -cp "$CONNECT_LIBS_DIR/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONNECT_PROPS" >>"$CONNECT_LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$CONNECT_PID_FILE"
  log "started Kafka Connect $KAFKA_VERSION (pid $pid), log: $CONNECT_LOG_FILE"
  local deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT ))
  until connect_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then connect_print_log_tail; rm -f "$CONNECT_PID_FILE"; die "the Connect worker exited during startup"; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then connect_print_log_tail; cmd_connect_stop; die "the Connect worker did not answer within ${KAFKA_START_TIMEOUT}s"; fi
    sleep 0.5
  done
  log "Connect worker answered after $(( $(now_ms) - t0 ))ms"
  echo "Kafka Connect ready on http://127.0.0.1:$CONNECT_PORT"
}

cmd_connect_stop() {
  local pid i
  if ! pid=$(connect_live_pid); then
    rm -f "$CONNECT_PID_FILE"
    log "Connect worker not running (port $CONNECT_PORT)"
    return 0
  fi
  log "stopping Connect worker pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still alive after 20s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 25; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$CONNECT_PID_FILE"
  log "Connect worker stopped"
}

cmd_connect_status() {
  local pid
  if pid=$(connect_live_pid); then
    echo "running (pid $pid, http://127.0.0.1:$CONNECT_PORT)"
    return 0
  fi
  echo "not running (http://127.0.0.1:$CONNECT_PORT)"
  return 1
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    fetch)  cmd_fetch ;;
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    kill)   cmd_kill ;;
    status) cmd_status ;;
    tool)   cmd_tool "$@" ;;
    fetch-connect)  cmd_fetch_connect ;;
    connect-start)  cmd_connect_start ;;
    connect-stop)   cmd_connect_stop ;;
    connect-status) cmd_connect_status ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
