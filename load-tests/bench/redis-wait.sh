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
# A local run (lib.sh exports infra/local.env's development secrets unless set): the internal
# routes it calls need SECKILL_GATEWAY_CREDENTIAL as a Bearer credential.
# Settings: BENCH_WAIT_MS (100), BENCH_DURATION (10 s per round), BENCH_ROUNDS (3),
# BENCH_CONNECTIONS (64), BENCH_THREADS (1), BENCH_WARMUP (5 s), BENCH_EVENT_LOOPS (2).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench redis-wait-bench
WAIT_MS="${BENCH_WAIT_MS:-100}"
wrk_settings 10 3 64 1 5
SECKILL_HOME="${SECKILL_HOME:-$ROOT/.seckill}"
RUN_ID="$(date +%s)-$$"
SALES=()

need_gateway_credential
[[ -n "${SECKILL_REDIS_NODES:-}" ]] || die "SECKILL_REDIS_NODES is not set: WAIT needs the local cluster (SECKILL_REDIS_CLUSTER=1 ./seckill up --infra)"
SEED="${SECKILL_REDIS_NODES%%,*}"
rcli() { REDISCLI_AUTH="${SECKILL_REDIS_PASSWORD:-}" redis-cli -c -h "${SEED%:*}" -p "${SEED##*:}" "$@"; }
bench_cleanup() {
  local s
  for s in "${SALES[@]}"; do
    rcli SREM seckill:sales "$s" >/dev/null 2>&1 || true
    # shellcheck disable=SC2046
    rcli DEL $(sale_keys "$s") >/dev/null 2>&1 || true
  done
}

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
JAR="stock-service/target/stock-service.jar"
[[ -f "$JAR" ]] || die "$JAR is missing: build it first (mvn -B -pl stock-service -am -DskipTests package)"
rcli PING >/dev/null 2>&1 || die "the Redis Cluster is not reachable at $SEED"
create_bench_topics "$SECKILL_HOME"

start_stock() { # waitMs; sets PORT
  launch "stock-service-$1" stock-service SECKILL_STOCK_INSTANCE="bench-wait$1-$RUN_ID" SECKILL_REDIS_WAIT_MS="$1" \
    SECKILL_STOCK_EVENT_LOOPS="${BENCH_EVENT_LOOPS:-2}" \
    SECKILL_ORDER_CREATE_TOPIC=$CREATE_TOPIC SECKILL_ORDER_TIMEOUT_TOPIC=$TIMEOUT_TOPIC
  PORT=${URL##*:}
}

say "starting stock-service with SECKILL_REDIS_WAIT_MS=0 and =$WAIT_MS"
start_stock 0; PORT0=$PORT
start_stock "$WAIT_MS"; PORTW=$PORT
SALE0="bench-nowait-$RUN_ID"; SALEW="bench-wait-$RUN_ID"; SALES=("$SALE0" "$SALEW")
warm_stock_sale "http://127.0.0.1:$PORT0" "$SALE0"
warm_stock_sale "http://127.0.0.1:$PORTW" "$SALEW"
say "sale $SALE0 on slot $(rcli CLUSTER KEYSLOT "sale:{$SALE0}"), sale $SALEW on slot $(rcli CLUSTER KEYSLOT "sale:{$SALEW}")"

round() { # label port sale
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -s load-tests/bench/reserve-wrk.lua "http://127.0.0.1:$2" -- "$3" "$SECKILL_GATEWAY_CREDENTIAL" >"$WORK/wrk.txt"
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
A=$(mean_of "${NOWAIT[@]}"); B=$(mean_of "${WAITED[@]}")
RATIO=$(awk -v a="$A" -v b="$B" 'BEGIN { printf "%.3f", b / a }')
say "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'no WAIT:       %s req/s (rounds: %s)\n' "$A" "${NOWAIT[*]}"
printf 'WAIT 1 %s:    %s req/s (rounds: %s)\n' "$WAIT_MS" "$B" "${WAITED[*]}"
printf 'ratio WAIT / no WAIT: %s\n' "$RATIO"
printf 'RESULT {"noWait":%s,"wait":%s,"ratio":%s,"waitMs":%s}\n' "$A" "$B" "$RATIO" "$WAIT_MS"
