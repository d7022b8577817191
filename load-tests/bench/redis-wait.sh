#!/usr/bin/env bash
# Reserve-path cost of `WAIT 1 <ms>` after each reservation (SECKILL_REDIS_WAIT_MS), on the local
# Redis Cluster (SECKILL_REDIS_CLUSTER=1 ./seckill up --infra; every master has one replica).
#
# Starts two stock-service on free ports, the same jar and settings but SECKILL_REDIS_WAIT_MS:
# 0 (no WAIT) and BENCH_WAIT_MS (100), each with its own sale, and drives them with wrk in
# alternating rounds (the machine is shared and its load drifts; alternating keeps the drift from
# favouring either side). Both outbox publishers drain to two bench topics nobody consumes.
# Cleans up its processes and its sales' keys.
#
# Prints each round, the means, and as its LAST line:
#   RESULT {"noWait":<req/s>,"wait":<req/s>,"ratio":<wait/noWait>,"waitMs":<ms>}
#
# Run it from ./seckill's environment (SECKILL_ENV=local and infra/local.env's secrets: the internal
# routes need SECKILL_GATEWAY_CREDENTIAL).
# Settings: BENCH_WAIT_MS (100), BENCH_DURATION (10 s per round), BENCH_ROUNDS (3),
# BENCH_CONNECTIONS (64), BENCH_THREADS (1), BENCH_WARMUP (5 s), BENCH_EVENT_LOOPS (2).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WAIT_MS="${BENCH_WAIT_MS:-100}"
DURATION="${BENCH_DURATION:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-1}"
WARMUP="${BENCH_WARMUP:-5}"
NAMESRV="${SECKILL_NAMESRV_ADDR:-127.0.0.1:${SECKILL_NAMESRV_PORT:-19876}}"
BROKER="127.0.0.1:${SECKILL_BROKER_PORT:-10911}"
SECKILL_HOME="${SECKILL_HOME:-$ROOT/.seckill}"
CREATE_TOPIC=seckill-bench-order-create
TIMEOUT_TOPIC=seckill-bench-order-timeout
WORK="$(mktemp -d /tmp/redis-wait-bench.XXXXXX)"
RUN_ID="$(date +%s)-$$"
PIDS=()
SALES=()

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }
[[ -n "${SECKILL_GATEWAY_CREDENTIAL:-}" ]] || die "SECKILL_GATEWAY_CREDENTIAL is not set (source infra/local.env, SECKILL_ENV=local)"
[[ -n "${SECKILL_REDIS_NODES:-}" ]] || die "SECKILL_REDIS_NODES is not set: WAIT needs the local cluster (SECKILL_REDIS_CLUSTER=1 ./seckill up --infra)"
SEED="${SECKILL_REDIS_NODES%%,*}"
rcli() { REDISCLI_AUTH="${SECKILL_REDIS_PASSWORD:-}" redis-cli -c -h "${SEED%:*}" -p "${SEED##*:}" "$@"; }
cleanup() {
  local pid s
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for s in "${SALES[@]}"; do
    rcli SREM seckill:sales "$s" >/dev/null 2>&1 || true
    rcli DEL "sale:{$s}" "sale:{$s}:held" "sale:{$s}:res" "sale:{$s}:idem" "sale:{$s}:outbox" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
JAR="stock-service/target/stock-service.jar"
[[ -f "$JAR" ]] || die "$JAR is missing: build it first (mvn -B -pl stock-service -am -DskipTests package)"
rcli PING >/dev/null 2>&1 || die "the Redis Cluster is not reachable at $SEED"
[[ -f "$SECKILL_HOME/rocketmq.classpath" ]] || die "$SECKILL_HOME/rocketmq.classpath is missing (written by ./seckill up --infra)"
java -cp "$(cat "$SECKILL_HOME/rocketmq.classpath")" infra/rocketmq/CreateTopics.java \
  "$NAMESRV" "$BROKER" 8 "$CREATE_TOPIC" "$TIMEOUT_TOPIC" >"$WORK/topics.log" 2>&1 \
  || { tail -n 20 "$WORK/topics.log" >&2; die "cannot create the bench topics"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
start() { # waitMs; sets PORT, appends its PID to PIDS
  local port; port=$(free_port)
  SECKILL_STOCK_PORT=$port SECKILL_STOCK_INSTANCE="bench-wait$1-$RUN_ID" SECKILL_REDIS_WAIT_MS="$1" \
    SECKILL_STOCK_MANAGEMENT_PORT=$(free_port) SECKILL_STOCK_EVENT_LOOPS="${BENCH_EVENT_LOOPS:-2}" \
    SECKILL_ORDER_CREATE_TOPIC=$CREATE_TOPIC SECKILL_ORDER_TIMEOUT_TOPIC=$TIMEOUT_TOPIC \
    java -Xms256m -Xmx512m -XX:+UseParallelGC -jar "$JAR" >"$WORK/stock-service-$1.log" 2>&1 &
  PIDS+=($!)
  PORT=$port
}
ready() { # port pid waitMs
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$1/health/ready" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { tail -n 30 "$WORK/stock-service-$3.log" >&2; die "stock-service (WAIT $3) exited"; }
    sleep 0.2
  done
  die "stock-service (WAIT $3) did not become ready"
}
warm() { # port saleId
  local now end
  now=$(date -u -d '-1 minute' +%FT%TZ); end=$(date -u -d '+1 hour' +%FT%TZ)
  curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$1/internal/sales/$2" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $SECKILL_GATEWAY_CREDENTIAL" \
    -d "{\"id\":\"$2\",\"item\":\"bench\",\"stock\":10000000,\"perUserLimit\":1,\"startsAt\":\"$now\",\"endsAt\":\"$end\",\"paymentWindow\":\"PT1H\"}" \
    || die "cannot warm sale $2"
}

say "starting stock-service with SECKILL_REDIS_WAIT_MS=0 and =$WAIT_MS"
start 0; PORT0=$PORT; PID0=${PIDS[-1]}
start "$WAIT_MS"; PORTW=$PORT; PIDW=${PIDS[-1]}
ready "$PORT0" "$PID0" 0
ready "$PORTW" "$PIDW" "$WAIT_MS"
SALE0="bench-nowait-$RUN_ID"; SALEW="bench-wait-$RUN_ID"; SALES=("$SALE0" "$SALEW")
warm "$PORT0" "$SALE0"
warm "$PORTW" "$SALEW"
say "sale $SALE0 on slot $(rcli CLUSTER KEYSLOT "sale:{$SALE0}"), sale $SALEW on slot $(rcli CLUSTER KEYSLOT "sale:{$SALEW}")"

# reserve-wrk.lua with the gateway's credential on each request
sed "s|{\\[\"Content-Type\"\\] = \"application/json\"}|{[\"Content-Type\"] = \"application/json\", [\"Authorization\"] = \"Bearer $SECKILL_GATEWAY_CREDENTIAL\"}|" \
  load-tests/bench/reserve-wrk.lua >"$WORK/reserve-wrk.lua"
grep -q Authorization "$WORK/reserve-wrk.lua" || die "cannot add the credential to reserve-wrk.lua"
round() { # label port sale
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -s "$WORK/reserve-wrk.lua" "http://127.0.0.1:$2" -- "$3" >"$WORK/wrk.txt"
  grep -E "Requests/sec|^ +(50|99)%|Non-2xx" "$WORK/wrk.txt" | tr -s ' ' | sed "s/^/[$1] /" >&2
  awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt"
}
say "warm-up: ${WARMUP}s of wrk on each"
round "warm-up no WAIT" "$PORT0" "$SALE0" "${WARMUP}s" >/dev/null
round "warm-up WAIT $WAIT_MS" "$PORTW" "$SALEW" "${WARMUP}s" >/dev/null
say "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s POST reservations; $ROUNDS alternating rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
NOWAIT=(); WAITED=()
for r in $(seq 1 "$ROUNDS"); do
  NOWAIT+=("$(round "round $r no WAIT" "$PORT0" "$SALE0" "${DURATION}s")")
  WAITED+=("$(round "round $r WAIT 1 $WAIT_MS" "$PORTW" "$SALEW" "${DURATION}s")")
done
mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.2f", s / NR }'; }
A=$(mean "${NOWAIT[@]}"); B=$(mean "${WAITED[@]}")
RATIO=$(awk -v a="$A" -v b="$B" 'BEGIN { printf "%.3f", b / a }')
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'no WAIT:       %s req/s (rounds: %s)\n' "$A" "${NOWAIT[*]}"
printf 'WAIT 1 %s:    %s req/s (rounds: %s)\n' "$WAIT_MS" "$B" "${WAITED[*]}"
printf 'ratio WAIT / no WAIT: %s\n' "$RATIO"
printf 'RESULT {"noWait":%s,"wait":%s,"ratio":%s,"waitMs":%s}\n' "$A" "$B" "$RATIO" "$WAIT_MS"
