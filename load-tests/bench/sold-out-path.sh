#!/usr/bin/env bash
# Sold-out fast path vs a bare Vert.x endpoint, measured with the same wrk in the same run.
#
# Starts stock-service, order-worker and a gateway (rate limits off) on free ports against the
# running infrastructure (./seckill up --infra), creates a sale through the admin API, buys it out,
# then runs wrk against POST /api/sales/{id}/purchase with a valid JWT (every answer: 409 SOLD_OUT
# from the gateway's local flag) and against a bare Vert.x server that answers a constant
# (io.seckill.gateway.bench.ConstantServer, 2 event loops, from the gateway's test classpath).
# Prints both req/s, the ratio, and as its last line:
#   RESULT {"engine":<req/s>,"baseline":<req/s>,"ratio":<0..1>}
#
# Settings: BENCH_DURATION (10s per run), BENCH_ROUNDS (3), BENCH_CONNECTIONS (64), BENCH_THREADS (1), BENCH_WARMUP (15s),
# BENCH_TOKEN_CACHE (gateway SECKILL_TOKEN_CACHE_SIZE; 0 = verify every token),
# BENCH_POW_DIFFICULTY (0 = off; N > 0 also bench a second sold-out sale with proof-of-work bot
# defence at difficulty N in the same alternating rounds: its sold-out answer must cost no ticket
# check, so its rate should match the undefended one; RESULT then also has "defended" and
# "defendedRatio" = defended / engine).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench sold-out-bench
wrk_settings 10s 3 64 1 15s
export SECKILL_JWT_SECRET="${SECKILL_JWT_SECRET:-seckill-local-development-secret-change-me-0123456789}"
export SECKILL_ENV="${SECKILL_ENV:-local}"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
for m in stock-service order-worker gateway; do
  [[ -f "$m/target/$m.jar" ]] || die "$m/target/$m.jar is missing: build the jars first (mvn -DskipTests package)"
done
[[ -d gateway/target/test-classes/io/seckill/gateway/bench ]] \
  || die "gateway test classes are missing: run mvn -pl gateway test-compile first"
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
listening "${SECKILL_REDIS_PORT:-16379}" && listening "${SECKILL_MYSQL_PORT:-13306}" \
  && listening "${SECKILL_NAMESRV_PORT:-19876}" || die "infrastructure is down: ./seckill up --infra"

STOCK_PORT=$(free_port); ORDER_PORT=$(free_port); GATEWAY_PORT=$(free_port); BASE_PORT=$(free_port)

JAVA=(java -Xmx512m -XX:+UseParallelGC)
say "starting stock-service :$STOCK_PORT, order-worker :$ORDER_PORT, gateway :$GATEWAY_PORT"
SECKILL_STOCK_PORT=$STOCK_PORT SECKILL_ORDER_URL=http://127.0.0.1:$ORDER_PORT \
  start stock-service "${JAVA[@]}" -jar stock-service/target/stock-service.jar
await_ready stock-service "http://127.0.0.1:$STOCK_PORT/health/ready"
SECKILL_ORDER_PORT=$ORDER_PORT SECKILL_STOCK_URL=http://127.0.0.1:$STOCK_PORT \
  start order-worker "${JAVA[@]}" -jar order-worker/target/order-worker.jar
await_ready order-worker "http://127.0.0.1:$ORDER_PORT/health/ready"
SECKILL_GATEWAY_PORT=$GATEWAY_PORT SECKILL_STOCK_URL=http://127.0.0.1:$STOCK_PORT \
  SECKILL_ORDER_URL=http://127.0.0.1:$ORDER_PORT SECKILL_EVENT_LOOPS=2 \
  SECKILL_RATE_PER_SALE=0 SECKILL_RATE_PER_USER=0 SECKILL_RATE_PER_IP=0 \
  SECKILL_TOKEN_CACHE_SIZE="${BENCH_TOKEN_CACHE:-1024}" \
  start gateway "${JAVA[@]}" -jar gateway/target/gateway.jar
await_ready gateway "http://127.0.0.1:$GATEWAY_PORT/health/ready"

say "starting the bare Vert.x baseline :$BASE_PORT"
GATEWAY_CP=$(./seckill classpath gateway) || die "cannot compute the gateway's test classpath"
start baseline "${JAVA[@]}" -cp "$GATEWAY_CP" io.seckill.gateway.bench.ConstantServer "$BASE_PORT"
for _ in $(seq 1 100); do listening "$BASE_PORT" && break; sleep 0.1; done
listening "$BASE_PORT" || die "the baseline server did not start"

GW="http://127.0.0.1:$GATEWAY_PORT"
ADMIN=$(./seckill token bench-admin --admin)
USER_TOKEN=$(./seckill token bench-user)
SALE="bench-$(date +%s)-$$"
NOW=$(date -u +%s)
STARTS=$(date -u -d "@$((NOW - 5))" +%Y-%m-%dT%H:%M:%SZ); ENDS=$(date -u -d "@$((NOW + 3600))" +%Y-%m-%dT%H:%M:%SZ)
code=$(curl -sS -o "$WORK/create.json" -w '%{http_code}' -X POST "$GW/admin/sales" \
  -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$SALE\",\"item\":\"bench item\",\"stock\":5,\"perUserLimit\":1,\"startsAt\":\"$STARTS\",\"endsAt\":\"$ENDS\",\"paymentWindow\":\"PT1H\"}")
[[ "$code" == 201 ]] || die "creating the sale answered $code: $(cat "$WORK/create.json")"
for i in 1 2 3 4 5; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$GW/api/sales/$SALE/purchase" \
    -H "Authorization: Bearer $(./seckill token "bench-buyer-$i")" -H 'Content-Type: application/json' -d '{"quantity":1}')
  [[ "$code" == 202 ]] || die "buying unit $i answered $code"
done
code=$(curl -sS -o "$WORK/soldout.json" -w '%{http_code}' -X POST "$GW/api/sales/$SALE/purchase" \
  -H "Authorization: Bearer $USER_TOKEN" -H 'Content-Type: application/json' -d '{"quantity":1}')
grep -q SOLD_OUT "$WORK/soldout.json" || die "the sale is not sold out: $code $(cat "$WORK/soldout.json")"
say "sale $SALE bought out; the gateway now answers: $code $(cat "$WORK/soldout.json")"

POW="${BENCH_POW_DIFFICULTY:-0}"
if (( POW > 0 )); then
  DSALE="$SALE-pow"
  code=$(curl -sS -o "$WORK/create-pow.json" -w '%{http_code}' -X POST "$GW/admin/sales" \
    -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$DSALE\",\"item\":\"bench item\",\"stock\":5,\"perUserLimit\":1,\"startsAt\":\"$STARTS\",\"endsAt\":\"$ENDS\",\"paymentWindow\":\"PT1H\",\"botDefense\":{\"type\":\"proof-of-work\",\"difficulty\":$POW}}")
  [[ "$code" == 201 ]] || die "creating the defended sale answered $code: $(cat "$WORK/create-pow.json")"
  [[ -d testkit/target/classes/io/seckill/testkit ]] || die "testkit classes are missing: mvn -pl testkit compile"
  for i in 1 2 3 4 5; do
    buyer=$(./seckill token "bench-pow-buyer-$i")
    curl -sS -X POST "$GW/api/sales/$DSALE/challenge" -H "Authorization: Bearer $buyer" \
      | java -cp testkit/target/classes io.seckill.testkit.PowSolver >"$WORK/solution.json" 2>/dev/null \
      || die "solving the challenge for unit $i failed"
    ticket=$(curl -sS -X POST "$GW/api/sales/$DSALE/ticket" -H "Authorization: Bearer $buyer" \
      -H 'Content-Type: application/json' -d @"$WORK/solution.json" | sed -n 's/.*"ticket":"\([^"]*\)".*/\1/p')
    [[ -n "$ticket" ]] || die "no ticket for unit $i"
    code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$GW/api/sales/$DSALE/purchase" \
      -H "Authorization: Bearer $buyer" -H "Seckill-Ticket: $ticket" -H 'Content-Type: application/json' -d '{"quantity":1}')
    [[ "$code" == 202 ]] || die "buying defended unit $i answered $code"
  done
  # the sold-out flag may need a refused purchase to rise; that one needs a ticket of its own
  buyer=$(./seckill token bench-pow-buyer-6)
  curl -sS -X POST "$GW/api/sales/$DSALE/challenge" -H "Authorization: Bearer $buyer" \
    | java -cp testkit/target/classes io.seckill.testkit.PowSolver >"$WORK/solution.json" 2>/dev/null || true
  ticket=$(curl -sS -X POST "$GW/api/sales/$DSALE/ticket" -H "Authorization: Bearer $buyer" \
    -H 'Content-Type: application/json' -d @"$WORK/solution.json" | sed -n 's/.*"ticket":"\([^"]*\)".*/\1/p')
  curl -sS -o /dev/null -X POST "$GW/api/sales/$DSALE/purchase" -H "Authorization: Bearer $buyer" \
    -H "Seckill-Ticket: ${ticket:-none}" -H 'Content-Type: application/json' -d '{"quantity":1}'
  curl -sS -o "$WORK/soldout-pow.json" -X POST "$GW/api/sales/$DSALE/purchase" \
    -H "Authorization: Bearer $USER_TOKEN" -H 'Content-Type: application/json' -d '{"quantity":1}'
  grep -q SOLD_OUT "$WORK/soldout-pow.json" || die "the defended sale does not answer SOLD_OUT without a ticket: $(cat "$WORK/soldout-pow.json")"
  say "defended sale $DSALE bought out; without a ticket the gateway answers: $(cat "$WORK/soldout-pow.json")"
fi

cat >"$WORK/purchase.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"quantity":1}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $USER_TOKEN"
local non409 = 0
response = function(status, headers, body)
  if status ~= 409 then non409 = non409 + 1 end
end
LUA

rate() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
run() { # label url round
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/purchase.lua" "$2" >"$WORK/$1-$3.wrk"
  grep -E "Requests/sec|Latency |Non-2xx|Socket errors|requests in" "$WORK/$1-$3.wrk" | sed "s/^/[$1 round $3] /" >&2
}
# The machine is shared, so load drifts: the two servers alternate over ROUNDS rounds and each
# figure is the mean of its rounds, which keeps drift from favouring either side.
say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds (after a $WARMUP warm-up of each)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$WORK/purchase.lua" "$GW/api/sales/$SALE/purchase" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$WORK/purchase.lua" "http://127.0.0.1:$BASE_PORT/api/sales/$SALE/purchase" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  # the defended sale swaps places with the undefended one every other round, so neither always
  # runs right after the other
  if (( POW > 0 && round % 2 == 0 )); then run defended "$GW/api/sales/$DSALE/purchase" "$round"; fi
  run engine "$GW/api/sales/$SALE/purchase" "$round"
  if (( POW > 0 && round % 2 == 1 )); then run defended "$GW/api/sales/$DSALE/purchase" "$round"; fi
  run baseline "http://127.0.0.1:$BASE_PORT/api/sales/$SALE/purchase" "$round"
done
mean() { for f in "$WORK"/$1-*.wrk; do rate "$f"; done | awk '{ s += $1; n++ } END { if (n) printf "%.2f", s / n }'; }
ENGINE=$(mean engine); BASELINE=$(mean baseline)
[[ -n "$ENGINE" && -n "$BASELINE" ]] || die "wrk printed no rate"
# Every engine answer must really be the sold-out problem, not an error answered fast.
after=$(curl -sS -X POST "$GW/api/sales/$SALE/purchase" -H "Authorization: Bearer $USER_TOKEN" \
  -H 'Content-Type: application/json' -d '{"quantity":1}')
grep -q '"code":"SOLD_OUT"' <<<"$after" || die "after the run the gateway answered: $after"
statuses=$(curl -sS "$GW/metrics" | grep '^seckill_gateway_requests_total{.*route="/api/sales/:id/purchase"' || true)
echo "$statuses" | sed 's/^/[engine metrics] /' >&2
RATIO=$(awk -v e="$ENGINE" -v b="$BASELINE" 'BEGIN { printf "%.3f", e / b }')
printf 'sold-out fast path: %s req/s; bare Vert.x constant: %s req/s; ratio %s\n' "$ENGINE" "$BASELINE" "$RATIO"
if (( POW > 0 )); then
  DEFENDED=$(mean defended)
  DRATIO=$(awk -v d="$DEFENDED" -v e="$ENGINE" 'BEGIN { printf "%.3f", d / e }')
  printf 'sold-out path of a proof-of-work sale (difficulty %s, no ticket sent): %s req/s; defended / undefended %s\n' \
    "$POW" "$DEFENDED" "$DRATIO"
  printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s,"defended":%s,"defendedRatio":%s}\n' "$ENGINE" "$BASELINE" \
    "$RATIO" "$DEFENDED" "$DRATIO"
else
  printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s}\n' "$ENGINE" "$BASELINE" "$RATIO"
fi
