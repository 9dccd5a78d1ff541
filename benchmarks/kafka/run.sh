#!/usr/bin/env bash
# Runs one Kafka + parallel-consumer benchmark scenario against a private, throwaway single-node
# KRaft broker (a JVM of its own on a free loopback port, its data in a temp dir deleted on exit).
# Usage: benchmarks/kafka/run.sh dense|drain|sparse|paced|sleep|mixed [--quick] [KafkaBench args...]
# Prints KafkaBench's JSON result line on stdout and exits with its status; progress on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scenario="${1:?usage: run.sh dense|drain|sparse|paced|sleep|mixed [--quick] [--keys N] [--jobs-per-key M] [--rate R] [--seconds S] [--head S] [--payload B] [--partitions P] [--concurrency C] [--consumer pc|plain]}"
shift

. "$root/scripts/find-jdk.sh"
seriatim_find_jdk || exit 2
java="$JAVA_HOME/bin/java"

# Built on first use (which downloads Kafka's and parallel-consumer's jars, ~60 MB, into ~/.m2)
# and after a change; the root's wrapper, so nothing but a JDK is needed. Not a module of the root
# pom: the product's build never downloads Kafka.
cp_file="$here/target/classpath.txt"
if [ ! -f "$cp_file" ] || [ -n "$(find "$here/pom.xml" "$here/src" -newer "$cp_file" -print -quit)" ]; then
  echo "[run.sh] building benchmarks/kafka" >&2
  rm -f "$cp_file"
  "$root/mvnw" -q -B -ntp -f "$here/pom.xml" package dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" >&2
fi
cp="$here/target/classes:$(cat "$cp_file")"

read -r port controller_port cluster_id < <("$java" -cp "$cp" io.seriatim.bench.kafka.BrokerSetup)
dir="$(mktemp -d -t seriatim-kafka.XXXXXX)"
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ]; then
    kill "$broker_pid" 2>/dev/null || true
    # A clean shutdown takes a second or two; do not wait forever on a stuck one.
    for _ in $(seq 200); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# Kafka's defaults, except: loopback only, one node that is broker and controller (KRaft), no
# topic auto-creation, replication 1 for the internal topics (there is one broker), no 3 s delay
# before the first consumer group rebalances, and one partition (not 50) for the offsets topic,
# which only this run's single group uses: creating 50 costs seconds of start-up on 2 cores.
# Nothing is fsynced per message (Kafka's default: the OS page cache flushes).
cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS

# The JVM flags of Kafka's own kafka-server-start.sh (1 GB heap, G1 with 20 ms pauses).
broker_jvm=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
"$java" "${broker_jvm[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$dir/server.properties" >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 2; }
"$java" "${broker_jvm[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" >"$dir/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$broker_pid" 2>/dev/null || break
  sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "[run.sh] the broker did not come up; its log:" >&2
  tail -50 "$dir/broker.log" >&2
  exit 2
fi
echo "[run.sh] kafka broker pid $broker_pid on 127.0.0.1:$port (controller $controller_port), data in $dir" >&2

rc=0
"$java" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.logFile=System.err \
    -cp "$cp" io.seriatim.bench.kafka.KafkaBench --bootstrap "127.0.0.1:$port" --scenario "$scenario" "$@" || rc=$?
exit "$rc"
