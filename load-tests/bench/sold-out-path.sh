#!/usr/bin/env bash
# Sold-out fast path vs a bare Vert.x endpoint, measured with the same wrk in the same run.
#
# Starts stock-service, order-worker and a gateway (rate limits off) on free ports against the
# running infrastructure (./seckill up --infra), creates a sale through the admin API, buys it out,
# then runs wrk against POST /api/sales/{id}/purchase with one buyer's valid JWT on every request
# (every answer: 409 SOLD_OUT from the gateway's local flag; any other fails the run) and against a
# bare Vert.x server that answers a constant (io.seckill.gateway.bench.ConstantServer, 2 event
# loops, from the gateway's test classpath). One token means the gateway's verified-token memo
# answers every request: sold-out-crowd.sh measures the same path with a token per buyer.
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
sold_out_prerequisites
start_sold_out_stack SECKILL_RATE_PER_SALE=0 SECKILL_RATE_PER_USER=0 SECKILL_RATE_PER_IP=0 \
  SECKILL_TOKEN_CACHE_SIZE="${BENCH_TOKEN_CACHE:-1024}"
start_constant_baseline
create_sold_out_sale
echo "$USER_TOKEN" >"$WORK/one-token.txt"

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

# the defended sale swaps places with the undefended one every other round, so neither always runs
# right after the other
TARGETS=(engine="$GW/api/sales/$SALE/purchase")
if (( POW > 0 )); then TARGETS+=(defended="$GW/api/sales/$DSALE/purchase"); fi
sold_out_rounds "$WORK/one-token.txt" "${TARGETS[@]}" baseline="$BASE/api/sales/$SALE/purchase"
sold_out_figures
printf 'sold-out fast path: %s req/s; bare Vert.x constant: %s req/s; ratio %s\n' "$ENGINE" "$BASELINE" "$RATIO"
if (( POW > 0 )); then
  DEFENDED=$(sold_out_mean defended)
  DRATIO=$(awk -v d="$DEFENDED" -v e="$ENGINE" 'BEGIN { printf "%.3f", d / e }')
  printf 'sold-out path of a proof-of-work sale (difficulty %s, no ticket sent): %s req/s; defended / undefended %s\n' \
    "$POW" "$DEFENDED" "$DRATIO"
  printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s,"defended":%s,"defendedRatio":%s}\n' "$ENGINE" "$BASELINE" \
    "$RATIO" "$DEFENDED" "$DRATIO"
else
  printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s}\n' "$ENGINE" "$BASELINE" "$RATIO"
fi
