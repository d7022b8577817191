#!/usr/bin/env bash
# purchaseEndToEnd and cpuPerPurchase (issue 14): purchases with stock through the gateway, every
# request a different buyer, with the outbox publisher, the broker, order-worker and MySQL keeping
# up, against a reference Vert.x server that does HTTP + one EVALSHA of lua/reserve-5.lua on the
# same Redis (io.seckill.stock.bench.ReserveReferenceServer), in alternating rounds.
#
# Starts order-worker, stock-service and a gateway on free ports against the running
# infrastructure (./seckill up --infra), with the per-IP limit off (the load comes from one
# address), the per-sale admission rate off (SECKILL_RATE_PER_SALE=0: this measures what the
# stack can take, which is what that setting should be sized from) and the gateway's cap on
# purchases waiting for stock-service raised to wrk's connections (SECKILL_STOCK_MAX_IN_FLIGHT,
# 32 by default, would shed the rest with 429). Creates a sale of 10,000,000
# units (one per buyer, payment window 1 h, so no timeout fires during the run) through the admin
# API, and mints BENCH_E2E_USERS buyers' tokens per round (./seckill token --users), never reused,
# so every answer must be 202; any other fails the run.
#
# How "keeping up" is checked: after each engine round the script waits until MySQL holds every
# order Redis reserved (GET /admin/sales/{id}: orders = reserved, with reserved unchanged between
# two reads), and counts that wait (the drain) in the round's time. The engine's figure is
#   units reserved in the round / (round duration + drain),
# so a backlog that grew during the round lowers it. The drain of each round is printed.
#
# cpuPerPurchase: CPU seconds (utime + stime from /proc/PID/stat) of the gateway, stock-service,
# order-worker, the broker, the name server, MariaDB and Redis, from just before each engine round to
# the end of its drain, summed over the rounds and divided by the units reserved in them, in
# microseconds per admitted purchase.
#
# Prints each round, the means, and as its LAST line:
#   RESULT {"engine":<purchases/s>,"baseline":<req/s>,"ratio":<0..1>,"drainSeconds":<max>,
#           "cpuPerPurchase":{"gateway":<µs>,...,"total":<µs>}}
#
# Settings: BENCH_DURATION (10s per round), BENCH_ROUNDS (3), BENCH_CONNECTIONS (64),
# BENCH_THREADS (1), BENCH_WARMUP (30s: fresh JVMs spend their first half minute compiling), BENCH_E2E_USERS (150000 buyers per round: more than a round
# can buy), BENCH_DRAIN_SECONDS (120: longer fails the run).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" e2e purchase-e2e
wrk_settings 10s 3 64 1 30s
USERS="${BENCH_E2E_USERS:-150000}"
DRAIN_LIMIT="${BENCH_DRAIN_SECONDS:-120}"
[[ "$USERS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_E2E_USERS must be a positive number, not '$USERS'"
SECKILL_HOME="${SECKILL_HOME:-$ROOT/.seckill}"
RUN_ID="$(date +%s)-$$"
REF_SALE="bench-ref-$RUN_ID"
bench_cleanup() {
  # shellcheck disable=SC2046
  rcli DEL $(sale_keys "$REF_SALE") >/dev/null 2>&1 || true
}

sold_out_prerequisites
[[ -z "${SECKILL_REDIS_NODES:-}" ]] || die "the reference server speaks to one Redis: run this on the one-node stack"
INFRA_PIDS=()
for part in broker namesrv mariadb redis; do
  [[ -f "$SECKILL_HOME/pids/$part.pid" ]] || die "no PID file for $part in $SECKILL_HOME/pids (./seckill up --infra)"
  INFRA_PIDS+=("$part=$(cat "$SECKILL_HOME/pids/$part.pid")")
done

for part in gateway stock-service order-worker; do
  # the stack's own services would share the work (its worker consumes the same topic) and not be counted
  if [[ -f "$SECKILL_HOME/pids/$part.pid" ]] && kill -0 "$(cat "$SECKILL_HOME/pids/$part.pid")" 2>/dev/null; then
    die "the stack's $part is running: stop the services first (./seckill down, then ./seckill up --infra)"
  fi
done

launch stack stack SECKILL_RATE_PER_IP=0 SECKILL_RATE_PER_SALE=0 SECKILL_STOCK_MAX_IN_FLIGHT="$CONNECTIONS"
GW="$GATEWAY_URL"
read -r GATEWAY_PID STOCK_PID ORDER_PID <<<"$STARTED"
PROCESSES=("gateway=$GATEWAY_PID" "stock-service=$STOCK_PID" "order-worker=$ORDER_PID" "${INFRA_PIDS[@]}")

ADMIN=$(./seckill token bench-admin --admin)
SALE="bench-e2e-$RUN_ID"
now=$(date -u +%s)
code=$(curl -sS -o "$WORK/create.json" -w '%{http_code}' -X POST "$GW/admin/sales" \
  -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$SALE\",\"item\":\"bench item\",\"stock\":10000000,\"perUserLimit\":1,\"startsAt\":\"$(date -u -d "@$((now - 5))" +%FT%TZ)\",\"endsAt\":\"$(date -u -d "@$((now + 3600))" +%FT%TZ)\",\"paymentWindow\":\"PT1H\"}")
[[ "$code" == 201 ]] || die "creating the sale answered $code: $(cat "$WORK/create.json")"

# the reference: its own sale in the same Redis, warmed the way stock-service warms one
SHA=$(sha1sum lua/reserve-5.lua | cut -d' ' -f1)
[[ "$(rcli -x SCRIPT LOAD < lua/reserve-5.lua)" == "$SHA" ]] || die "SCRIPT LOAD did not give the file's SHA-1"
now_ms=$(( $(date +%s) * 1000 ))
k="sale:{$REF_SALE}"
rcli EVAL "$(cat lua/warm-3.lua)" 3 "$k" "$k:res" "$k:outbox" bench 100000000 1 $(( now_ms - 1000 )) $(( now_ms + 3600000 )) 3600000 g >/dev/null \
  || die "cannot warm the reference sale"
REF_CP=$(./seckill classpath stock-service) || die "cannot compute stock-service's test classpath"
REF_PORT=$(free_port)
# shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
start reference java $BENCH_JVM_OPTS -cp "$REF_CP" io.seckill.stock.bench.ReserveReferenceServer "$REF_PORT" \
  "redis://:${SECKILL_REDIS_PASSWORD}@$REDIS_HOST:$REDIS_PORT" "$SHA" "$REF_SALE"
for _ in $(seq 1 100); do listening "$REF_PORT" && break; sleep 0.1; done
listening "$REF_PORT" || die "the reference server did not start"
REF="http://127.0.0.1:$REF_PORT"

# admin view of the sale: "reserved orders"
sale_counts() {
  curl -fsS "$GW/admin/sales/$SALE" -H "Authorization: Bearer $ADMIN" \
    | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s.get("reserved") or 0, s.get("orders") or 0)'
}
# clock ticks (utime + stime) of each process, "name=ticks" per line
cpu_ticks() {
  local p
  for p in "${PROCESSES[@]}"; do
    awk -v n="${p%%=*}" '{ sub(/^.*\) /, ""); print n "=" $12 + $13 }' "/proc/${p#*=}/stat" \
      || die "${p%%=*} (pid ${p#*=}) is gone"
  done
}
declare -A CPU
TOTAL_RESERVED=0
tokens_for() { # label: a file of USERS tokens no other round uses
  ./seckill token --users "e2e-$RUN_ID-$1" "$USERS" >"$WORK/tokens-$1.txt" || die "minting the tokens failed"
  echo "$WORK/tokens-$1.txt"
}
# until MySQL holds every reserved unit's order (and no reservation is still landing); prints the seconds waited
drain() {
  local start last="" counts
  start=$(date +%s.%N)
  while :; do
    counts=$(sale_counts) || die "cannot read the sale's counters"
    read -r reserved orders <<<"$counts"
    if [[ "$counts" == "$last" && "$orders" -ge "$reserved" ]]; then break; fi
    last="$counts"
    awk -v a="$start" -v b="$(date +%s.%N)" -v l="$DRAIN_LIMIT" 'BEGIN { exit !(b - a > l) }' \
      && die "orders did not catch up with reservations within ${DRAIN_LIMIT}s ($counts)"
    sleep 0.2
  done
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

engine_round() { # label duration; sets RATE, DRAIN and adds to CPU and TOTAL_RESERVED
  local tokens before after reserved0 reserved1 line
  tokens=$(tokens_for "$1")
  read -r reserved0 _ <<<"$(sale_counts)"
  before=$(cpu_ticks)
  sold_out_wrk "$tokens" "$2" "$GW/api/sales/$SALE/purchase" "$WORK/$1.wrk" 202
  DRAIN=$(drain)
  after=$(cpu_ticks)
  read -r reserved1 _ <<<"$(sale_counts)"
  RESERVED=$(( reserved1 - reserved0 ))
  RATE=$(awk -v n="$RESERVED" -v d="${2%s}" -v w="$DRAIN" 'BEGIN { printf "%.2f", n / (d + w) }')
  if [[ "$1" != warmup ]]; then
    TOTAL_RESERVED=$(( TOTAL_RESERVED + RESERVED ))
    while IFS='=' read -r name ticks; do
      line=$(grep "^$name=" <<<"$before"); CPU[$name]=$(( ${CPU[$name]:-0} + ticks - ${line#*=} ))
    done <<<"$after"
  fi
  grep -E "Requests/sec|requests in" "$WORK/$1.wrk" | sed "s/^/[$1] /" >&2
  say "$1: $RESERVED units reserved, all persisted ${DRAIN}s after the load stopped: $RATE purchases/s end to end"
}
reference_round() { # label duration; sets RATE
  sold_out_wrk "$WORK/tokens-warmup.txt" "$2" "$REF/purchase" "$WORK/$1.wrk" 202
  RATE=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/$1.wrk")
  say "$1: $RATE req/s"
}

say "warm-up: ${WARMUP} of each"
engine_round warmup "$WARMUP"
reference_round reference-warmup "$WARMUP"
ENGINES=(); BASELINES=(); DRAINS=()
say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds, $USERS new buyers per engine round"
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 == 1 )); then
    engine_round "engine-$r" "$DURATION"; ENGINES+=("$RATE"); DRAINS+=("$DRAIN")
    reference_round "reference-$r" "$DURATION"; BASELINES+=("$RATE")
  else
    reference_round "reference-$r" "$DURATION"; BASELINES+=("$RATE")
    engine_round "engine-$r" "$DURATION"; ENGINES+=("$RATE"); DRAINS+=("$DRAIN")
  fi
done
ENGINE=$(mean_of "${ENGINES[@]}"); BASELINE=$(mean_of "${BASELINES[@]}")
RATIO=$(awk -v e="$ENGINE" -v b="$BASELINE" 'BEGIN { printf "%.3f", e / b }')
MAX_DRAIN=$(printf '%s\n' "${DRAINS[@]}" | sort -g | tail -n 1)
(( TOTAL_RESERVED > 0 )) || die "no unit was reserved"

TICK=$(getconf CLK_TCK)
CPU_JSON=""; TOTAL_US=0
for p in "${PROCESSES[@]}"; do
  name=${p%%=*}
  us=$(awk -v t="${CPU[$name]}" -v hz="$TICK" -v n="$TOTAL_RESERVED" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  TOTAL_US=$(awk -v a="$TOTAL_US" -v b="$us" 'BEGIN { printf "%.1f", a + b }')
  CPU_JSON+="\"$name\":$us,"
  printf 'cpu per purchase %-14s %8s µs (%s s over %s purchases)\n' "$name" "$us" \
    "$(awk -v t="${CPU[$name]}" -v hz="$TICK" 'BEGIN { printf "%.2f", t / hz }')" "$TOTAL_RESERVED"
done
printf 'cpu per purchase %-14s %8s µs\n' total "$TOTAL_US"
printf 'purchases end to end: %s/s (rounds: %s; drains: %s s); reference HTTP + EVALSHA: %s req/s (rounds: %s); ratio %s\n' \
  "$ENGINE" "${ENGINES[*]}" "${DRAINS[*]}" "$BASELINE" "${BASELINES[*]}" "$RATIO"
printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s,"drainSeconds":%s,"cpuPerPurchase":{%s"total":%s}}\n' \
  "$ENGINE" "$BASELINE" "$RATIO" "$MAX_DRAIN" "$CPU_JSON" "$TOTAL_US"
