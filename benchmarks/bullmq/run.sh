#!/usr/bin/env bash
# Runs one BullMQ benchmark scenario against a private, throwaway redis-server.
# Usage: benchmarks/bullmq/run.sh drain|submit|mixed [bench.mjs args...]
# Prints bench.mjs's JSON result line on stdout and exits with its status.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scenario="${1:?usage: run.sh drain|submit|mixed [--queues N] [--jobs-per-queue M] [--seconds S] [--payload B]}"
shift

if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --silent >&2)
fi

# Ask the kernel for a free loopback port (never the default 6379).
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
dir="$(mktemp -d)"
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# No persistence (pure in-memory benchmark); noeviction is what BullMQ requires.
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
  --maxmemory-policy noeviction --logfile "$dir/redis.log" &
redis_pid=$!
for _ in $(seq 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
redis-cli -p "$port" ping >/dev/null

echo "[run.sh] redis-server $(redis-server --version | awk '{print $3}') pid $redis_pid on 127.0.0.1:$port" >&2
rc=0
node "$here/bench.mjs" --port "$port" --scenario "$scenario" "$@" || rc=$?
exit "$rc"
