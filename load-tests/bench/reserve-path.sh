#!/usr/bin/env bash
# Reserve-path benchmark: HTTP -> stock-service -> Redis (reserve-5.lua via EVALSHA), against
# redis-benchmark running the same EVALSHA on the same Redis, in the same run.
#
# Expects stock-service/target/stock-service.jar (build it first: mvn -pl stock-service -DskipTests
# package) and the running infrastructure (./seckill up --infra). Starts its own stock-service on a
# free port whose outbox publisher drains to RocketMQ during both measurements (that is part of
# the cost), publishing to two bench topics (created here if missing) that no order-worker
# consumes. Cleans up its process and its Redis keys.
#
# Prints both req/s, the ratio, and as its LAST line:
#   RESULT {"engine":<req/s>,"baseline":<req/s>,"ratio":<0..1>}
#
# A local run (lib.sh exports infra/local.env's development secrets unless set): the internal
# routes it calls need SECKILL_GATEWAY_CREDENTIAL as a Bearer credential.
# Settings: BENCH_DURATION (10, seconds per engine round), BENCH_ROUNDS (3), BENCH_CONNECTIONS (64), BENCH_THREADS (1),
# BENCH_WARMUP (10, seconds), BENCH_REDIS_CLIENTS (50), BENCH_EVENT_LOOPS (2).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench reserve-bench
wrk_settings 10 3 64 1 10
REDIS_CLIENTS="${BENCH_REDIS_CLIENTS:-50}"
SECKILL_HOME="${SECKILL_HOME:-$ROOT/.seckill}"
RUN_ID="$(date +%s)-$$"
SALE_HTTP="bench-http-$RUN_ID"
SALE_REDIS="bench-redis-$RUN_ID"

bench_cleanup() {
  for s in "$SALE_HTTP" "$SALE_REDIS"; do
    rcli SREM seckill:sales "$s" >/dev/null 2>&1 || true
    # shellcheck disable=SC2046
    rcli DEL $(sale_keys "$s") >/dev/null 2>&1 || true
  done
}

need_gateway_credential
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v redis-benchmark >/dev/null || die "redis-benchmark is not installed (apt-get install redis-tools)"
JAR="stock-service/target/stock-service.jar"
[[ -f "$JAR" ]] || die "$JAR is missing: build it first (mvn -B -pl stock-service -DskipTests package)"
rcli PING >/dev/null 2>&1 || die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT: ./seckill up --infra"
(exec 3<>"/dev/tcp/${NAMESRV%:*}/${NAMESRV##*:}") 2>/dev/null || die "RocketMQ namesrv $NAMESRV is down: ./seckill up --infra"
create_bench_topics "$SECKILL_HOME"

say "starting stock-service"
launch stock-service stock-service SECKILL_STOCK_INSTANCE="bench-$RUN_ID" \
  SECKILL_STOCK_EVENT_LOOPS="${BENCH_EVENT_LOOPS:-2}" \
  SECKILL_ORDER_CREATE_TOPIC=$CREATE_TOPIC SECKILL_ORDER_TIMEOUT_TOPIC=$TIMEOUT_TOPIC
say "stock-service on $URL"
warm_stock_sale "$URL" "$SALE_HTTP"
warm_stock_sale "$URL" "$SALE_REDIS"

SHA=$(sha1sum lua/reserve-5.lua | cut -d' ' -f1)
[[ "$(rcli -x SCRIPT LOAD < lua/reserve-5.lua)" == "$SHA" ]] || die "SCRIPT LOAD did not give the file's SHA-1"
say "warm-up: ${WARMUP}s of wrk"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s load-tests/bench/reserve-wrk.lua "$URL" -- "$SALE_HTTP" "$SECKILL_GATEWAY_CREDENTIAL" >/dev/null

engine_round() { # round
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s load-tests/bench/reserve-wrk.lua "$URL" -- "$SALE_HTTP" "$SECKILL_GATEWAY_CREDENTIAL" >"$WORK/wrk-$1.txt"
  grep -E "Requests/sec|Latency|Non-2xx" "$WORK/wrk-$1.txt" | sed "s/^/[engine round $1] /" >&2
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk-$1.txt")
  [[ -z "$non2xx" ]] || say "WARNING: $non2xx answers were not 2xx"
  awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt"
}
baseline_round() { # round requests
  # shellcheck disable=SC2046
  redis-benchmark -h "$REDIS_HOST" -p "$REDIS_PORT" ${SECKILL_REDIS_PASSWORD:+-a "$SECKILL_REDIS_PASSWORD"} -c "$REDIS_CLIENTS" -n "$2" -r 1000000000 --csv \
    EVALSHA "$SHA" 5 $(sale_keys "$SALE_REDIS") "u__rand_int__" 1 "$SALE_REDIS.__rand_int__" "" >"$WORK/redis-$1.txt"
  local rps; rps=$(tail -n 1 "$WORK/redis-$1.txt" | awk -F'","' '{print $2}' | tr -d '"')
  echo "[baseline round $1] EVALSHA reserve-5.lua: $rps/s ($2 calls, $REDIS_CLIENTS clients)" >&2
  echo "$rps"
}
# The machine is shared and load drifts (the outbox publisher drains both sales' backlogs all
# along), so engine and baseline alternate over ROUNDS rounds and each figure is the mean of its
# rounds, which keeps drift from favouring either side.
say "engine: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s POST /internal/sales/$SALE_HTTP/reservations;" \
  "baseline: redis-benchmark -c $REDIS_CLIENTS EVALSHA reserve-5.lua; $ROUNDS alternating rounds"
ENGINES=(); BASELINES=()
for round in $(seq 1 "$ROUNDS"); do
  e=$(engine_round "$round"); [[ -n "$e" ]] || die "no figure from wrk"
  ENGINES+=("$e")
  # about as many calls as the engine made, so both sides run for a similar time
  n=$(awk -v r="$e" -v d="$DURATION" 'BEGIN { n = int(r * d); if (n < 50000) n = 50000; print n }')
  b=$(baseline_round "$round" "$n"); [[ -n "$b" ]] || die "no figure from redis-benchmark"
  BASELINES+=("$b")
done
ENGINE=$(mean_of "${ENGINES[@]}")
BASELINE=$(mean_of "${BASELINES[@]}")

RESERVED_HTTP=$(rcli HGET "sale:{$SALE_HTTP}" reservations)
RESERVED_REDIS=$(rcli HGET "sale:{$SALE_REDIS}" reservations)
say "reservations made: HTTP path $RESERVED_HTTP, redis-benchmark $RESERVED_REDIS; outbox backlog now: $(rcli XLEN "sale:{$SALE_HTTP}:outbox") + $(rcli XLEN "sale:{$SALE_REDIS}:outbox")"
RATIO=$(awk -v e="$ENGINE" -v b="$BASELINE" 'BEGIN { printf "%.3f", e / b }')
printf 'reserve path (HTTP -> stock-service -> Redis): %s req/s (rounds: %s)\n' "$ENGINE" "${ENGINES[*]}"
printf 'redis-benchmark EVALSHA reserve-5.lua:          %s req/s (rounds: %s)\n' "$BASELINE" "${BASELINES[*]}"
printf 'ratio: %s (target >= 0.5)\n' "$RATIO"
printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s}\n' "$ENGINE" "$BASELINE" "$RATIO"
