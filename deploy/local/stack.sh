#!/usr/bin/env bash
# The local stack: real PostgreSQL, ZooKeeper and Kafka (KRaft) for development, tests, CI and the
# demo. Idempotent: `up` twice is fine; every server is waited for until it really answers.
#
#   bash deploy/local/stack.sh up | down | status
#
# Settings (environment): MSCHED_STATE_DIR (default .state), MSCHED_STACK_ZK_PORT (22181),
# MSCHED_STACK_KAFKA_PORT (29092), MSCHED_STACK_KAFKA_CONTROLLER_PORT (29093),
# MSCHED_STACK_PG_URL (postgres://postgres@127.0.0.1:5432/postgres, the server to create our
# databases on), MSCHED_STACK_PG_DATABASES (msched_dev,msched_test), MSCHED_STACK_MESOS_PORT (25050,
# the local Mesos master), MSCHED_STACK_MESOS_AGENTS (4).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
STATE=${MSCHED_STATE_DIR:-$ROOT/.state}
case "$STATE" in /*) ;; *) STATE="$ROOT/$STATE" ;; esac
ZK_PORT=${MSCHED_STACK_ZK_PORT:-22181}
KAFKA_PORT=${MSCHED_STACK_KAFKA_PORT:-29092}
KAFKA_CTRL_PORT=${MSCHED_STACK_KAFKA_CONTROLLER_PORT:-29093}
PG_URL=${MSCHED_STACK_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PG_DATABASES=${MSCHED_STACK_PG_DATABASES:-msched_dev,msched_test}
ZK_JAR_DIR=${MSCHED_STACK_ZK_JARS:-/usr/share/java}
PROBE="node $ROOT/packages/devstack/dist/cli.js"
MESOS_PORT=${MSCHED_STACK_MESOS_PORT:-25050}
MESOS_AGENTS=${MSCHED_STACK_MESOS_AGENTS:-4}
MESOS_CLI="node $ROOT/packages/mesos-local/dist/cli.js"

say() { printf '%s\n' "$*"; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require() {
  command -v java >/dev/null || die "Java is missing: install a JDK 17 (Debian: apt-get install openjdk-17-jre-headless)."
  command -v mvn >/dev/null || die "Maven is missing: it fetches Kafka from Maven Central (Debian: apt-get install maven)."
  ls "$ZK_JAR_DIR"/zookeeper.jar >/dev/null 2>&1 || die "ZooKeeper jars not found in $ZK_JAR_DIR (Debian: apt-get install zookeeper, or set MSCHED_STACK_ZK_JARS)."
  [ -f "$ROOT/packages/devstack/dist/cli.js" ] || (cd "$ROOT" && npx tsc -b packages/devstack) || die "cannot build the stack probes: run npm ci first."
  [ -f "$ROOT/packages/mesos-local/dist/cli.js" ] || (cd "$ROOT" && npx tsc -b packages/mesos-local) || die "cannot build the local Mesos cluster: run npm ci first."
}

# wait_for NAME SECONDS COMMAND...: polls COMMAND until it succeeds, printing progress dots.
wait_for() {
  local name=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  printf '  waiting for %s ' "$name"
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then printf ' gave up after %ss\n' "$secs"; return 1; fi
    printf '.'; sleep 1
  done
  printf ' ready\n'
}

# ---------------------------------------------------------------- PostgreSQL
pg_up() {
  $PROBE pg-wait "$PG_URL" 2>/dev/null || {
    local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bin" ] || die "no PostgreSQL answers at ${PG_URL%%/postgres} and none is installed: install one (Debian: apt-get install postgresql) or point MSCHED_STACK_PG_URL at yours."
    say "  no PostgreSQL at the configured URL: starting our own from $bin on port 25432"
    mkdir -p "$STATE/postgres"
    [ -f "$STATE/postgres/data/PG_VERSION" ] || run_as_pg "$bin/initdb" -D "$STATE/postgres/data" -U postgres --auth=trust >/dev/null
    run_as_pg "$bin/pg_ctl" -D "$STATE/postgres/data" -o "-p 25432 -k /tmp -c listen_addresses=127.0.0.1" -l "$STATE/postgres/server.log" start >/dev/null
    PG_URL=postgres://postgres@127.0.0.1:25432/postgres
    wait_for PostgreSQL 30 $PROBE pg-wait "$PG_URL" || die "our PostgreSQL did not start: see $STATE/postgres/server.log"
    say "  set MSCHED_STACK_PG_URL=$PG_URL and MSCHED_DATABASE_URL=postgres://postgres@127.0.0.1:25432/msched_dev"
  }
  $PROBE pg-ensure "$PG_URL" "$PG_DATABASES"
}

run_as_pg() { if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then chown -R postgres "$STATE/postgres"; su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else "$@"; fi; }

# ---------------------------------------------------------------- ZooKeeper
zk_up() {
  local dir="$STATE/zookeeper"
  if pid_alive "$dir/pid"; then say "  ZooKeeper already running (pid $(cat "$dir/pid"))"; return; fi
  if port_in_use "$ZK_PORT"; then
    # Another checkout's stack (or a ZooKeeper of the user's) already serves this port: use it.
    $PROBE zk-ruok "127.0.0.1:$ZK_PORT" && { say "  ZooKeeper already answering on 127.0.0.1:$ZK_PORT (not started by this checkout)"; return; }
    die "port $ZK_PORT is in use by a program that is not ZooKeeper: stop it or set MSCHED_STACK_ZK_PORT."
  fi
  mkdir -p "$dir/data"
  cat > "$dir/zoo.cfg" <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=200
admin.enableServer=false
4lw.commands.whitelist=ruok,stat,srvr,mntr
autopurge.purgeInterval=1
CFG
  cat > "$dir/log4j.properties" <<CFG
log4j.rootLogger=INFO, F
log4j.appender.F=org.apache.log4j.FileAppender
log4j.appender.F.File=$dir/zookeeper.log
log4j.appender.F.layout=org.apache.log4j.PatternLayout
log4j.appender.F.layout.ConversionPattern=%d %p [%t] %c: %m%n
CFG
  nohup java -Xmx256m -Dlog4j.configuration="file:$dir/log4j.properties" -Dzookeeper.jmx.log4j.disable=true \
    -cp "$ZK_JAR_DIR/*" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" \
    >"$dir/stdout.log" 2>&1 &
  echo $! > "$dir/pid"
  wait_for "ZooKeeper on 127.0.0.1:$ZK_PORT" 60 $PROBE zk-ruok "127.0.0.1:$ZK_PORT" \
    || die "ZooKeeper did not answer: see $dir/stdout.log and $dir/zookeeper.log"
}

# ---------------------------------------------------------------- Kafka (KRaft)
kafka_classpath() {
  local dir="$STATE/kafka" pom="$ROOT/deploy/local/kafka/pom.xml"
  if [ ! -s "$dir/classpath.txt" ] || [ "$pom" -nt "$dir/classpath.txt" ]; then
    say "  resolving Kafka from Maven Central into the local Maven cache (once)"
    mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$dir/classpath.txt" >"$dir/mvn.log" 2>&1 \
      || die "Maven could not fetch Kafka: see $dir/mvn.log"
  fi
}

kafka_up() {
  local dir="$STATE/kafka"
  mkdir -p "$dir"
  if pid_alive "$dir/pid"; then say "  Kafka already running (pid $(cat "$dir/pid"))"
  elif port_in_use "$KAFKA_PORT" && $PROBE kafka-wait "127.0.0.1:$KAFKA_PORT"; then
    say "  Kafka already answering on 127.0.0.1:$KAFKA_PORT (not started by this checkout)"
    # Tests start throwaway brokers from the same artifacts: have the classpath ready anyway.
    kafka_classpath
  else
    port_in_use "$KAFKA_PORT" && die "port $KAFKA_PORT is in use by a program that is not Kafka: stop it or set MSCHED_STACK_KAFKA_PORT."
    port_in_use "$KAFKA_CTRL_PORT" && die "port $KAFKA_CTRL_PORT is in use by another program: stop it or set MSCHED_STACK_KAFKA_CONTROLLER_PORT."
    kafka_classpath
    cat > "$dir/server.properties" <<CFG
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CTRL_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CTRL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=4
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
CFG
    cat > "$dir/log4j.properties" <<CFG
log4j.rootLogger=INFO, F
log4j.appender.F=org.apache.log4j.FileAppender
log4j.appender.F.File=$dir/server.log
log4j.appender.F.layout=org.apache.log4j.PatternLayout
log4j.appender.F.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
CFG
    local cp; cp=$(cat "$dir/classpath.txt")
    local jopts=(-Xmx768m -Xms256m -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration="file:$dir/log4j.properties")
    if [ ! -f "$dir/data/meta.properties" ]; then
      java "${jopts[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$(cat /proc/sys/kernel/random/uuid | tr -d - | head -c 22)" \
        -c "$dir/server.properties" >"$dir/format.log" 2>&1 || die "Kafka storage format failed: see $dir/format.log"
    fi
    nohup java "${jopts[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
    echo $! > "$dir/pid"
  fi
  wait_for "Kafka on 127.0.0.1:$KAFKA_PORT" 120 $PROBE kafka-wait "127.0.0.1:$KAFKA_PORT" \
    || die "Kafka did not answer: see $dir/server.log and $dir/stdout.log"
  MSCHED_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" $PROBE kafka-topics
}

# ---------------------------------------------------------------- local Mesos cluster
# A Mesos-compatible master and agents running tasks as real processes (packages/mesos-local),
# registered in ZooKeeper under /mesos like a real master. Sandboxes live under its work dir.
mesos_up() {
  local dir="$STATE/mesos-local"
  mkdir -p "$dir/work"
  if pid_alive "$dir/pid"; then say "  local Mesos cluster already running (pid $(cat "$dir/pid"))"
  elif port_in_use "$MESOS_PORT" && $MESOS_CLI probe "http://127.0.0.1:$MESOS_PORT"; then
    say "  a Mesos master already answers on 127.0.0.1:$MESOS_PORT (not started by this checkout)"
  else
    port_in_use "$MESOS_PORT" && die "port $MESOS_PORT is in use by a program that is not a Mesos master: stop it or set MSCHED_STACK_MESOS_PORT."
    # Sandboxes are garbage-collected 10 minutes after a task ended (Mesos' --gc_delay), after the
    # provisioner collected the outputs. Tasks see no node: they fetch the runtime like on a real
    # cluster where nothing of ours is installed (docs/operator-guide.md).
    nohup $MESOS_CLI --agents "$MESOS_AGENTS" --host 127.0.0.1 --port "$MESOS_PORT" \
      --zk "zk://127.0.0.1:$ZK_PORT/mesos" --work-dir "$dir/work" --sandbox-gc-delay-ms "${MSCHED_STACK_SANDBOX_GC_DELAY_MS:-600000}" --tasks-without-node \
      >"$dir/stdout.log" 2>"$dir/cluster.log" &
    echo $! > "$dir/pid"
  fi
  wait_for "local Mesos master on 127.0.0.1:$MESOS_PORT" 60 $MESOS_CLI probe "http://127.0.0.1:$MESOS_PORT" \
    || die "the local Mesos cluster did not answer: see $dir/cluster.log and $dir/stdout.log"
}

stop_pidfile() {
  local name=$1 file=$2
  if pid_alive "$file"; then
    local pid; pid=$(cat "$file")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    say "  stopped $name (pid $pid)"
  else
    say "  $name not running"
  fi
  rm -f "$file"
}

status_line() {
  local name=$1 addr=$2; shift 2
  if "$@" >/dev/null 2>&1; then printf '  %-12s %-28s %s\n' "$name" "$addr" up; else printf '  %-12s %-28s %s\n' "$name" "$addr" DOWN; return 1; fi
}

cmd=${1:-status}
case "$cmd" in
  up)
    require
    mkdir -p "$STATE"
    say "PostgreSQL"; pg_up
    say "ZooKeeper"; zk_up
    say "Kafka"; kafka_up
    say "Local Mesos cluster"; mesos_up
    say ""; "$0" status
    ;;
  down)
    stop_pidfile "local Mesos cluster" "$STATE/mesos-local/pid"
    stop_pidfile Kafka "$STATE/kafka/pid"
    stop_pidfile ZooKeeper "$STATE/zookeeper/pid"
    [ -f "$STATE/postgres/data/postmaster.pid" ] && run_as_pg "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$STATE/postgres/data" stop >/dev/null && say "  stopped our PostgreSQL"
    true
    ;;
  status)
    [ -f "$ROOT/packages/devstack/dist/cli.js" ] || die "not built: run npm run build"
    ok=0
    say "local stack (state in $STATE)"
    status_line PostgreSQL "${PG_URL#*@}" $PROBE pg-wait "$PG_URL" || ok=1
    status_line ZooKeeper "127.0.0.1:$ZK_PORT" $PROBE zk-ruok "127.0.0.1:$ZK_PORT" || ok=1
    status_line Kafka "127.0.0.1:$KAFKA_PORT" $PROBE kafka-wait "127.0.0.1:$KAFKA_PORT" || ok=1
    status_line Mesos "127.0.0.1:$MESOS_PORT" $MESOS_CLI probe "http://127.0.0.1:$MESOS_PORT" || ok=1
    exit $ok
    ;;
  *) die "usage: stack.sh up|down|status" ;;
esac
