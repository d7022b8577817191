#!/usr/bin/env bash
# The sold-out path for a real crowd (issue 14's soldOutCrowd): sold-out-path.sh's measurement,
# but each request carries the next of BENCH_CROWD_USERS distinct buyers' tokens, so the gateway
# verifies a JWT almost every time instead of finding it in its verified-token memo
# (SECKILL_TOKEN_CACHE_SIZE slots, 1024 by default, far fewer than the buyers).
#
# Starts stock-service, order-worker and a gateway on free ports against the running
# infrastructure (./seckill up --infra), with the gateway's rate limits as configured (by default
# 5 purchases/s per user) except per IP, which is off: the whole load comes from one address.
# Mints the buyers' tokens with ./seckill token --users (the project's one minter), creates a
# sale through the admin API, buys it out, then runs wrk (sold-out-wrk.lua, rotating through the
# tokens) against POST /api/sales/{id}/purchase and against the bare Vert.x baseline
# (io.seckill.gateway.bench.ConstantServer) in alternating rounds. At R req/s each buyer sends
# R / BENCH_CROWD_USERS a second (about 1.5 at 30,000 req/s with 20,000 buyers), under the
# per-user limit; every answer must be 409 SOLD_OUT and any other fails the run. Prints both
# req/s, the ratio, and as its last line:
#   RESULT {"engine":<req/s>,"baseline":<req/s>,"ratio":<0..1>}
#
# Settings: BENCH_CROWD_USERS (20000), BENCH_DURATION (10s per run), BENCH_ROUNDS (3),
# BENCH_CONNECTIONS (64), BENCH_THREADS (1), BENCH_WARMUP (15s).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" crowd sold-out-crowd
wrk_settings 10s 3 64 1 15s
USERS="${BENCH_CROWD_USERS:-20000}"
[[ "$USERS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CROWD_USERS must be a positive number, not '$USERS'"
sold_out_prerequisites

say "minting $USERS buyers' tokens"
./seckill token --users bench-crowd "$USERS" >"$WORK/crowd-tokens.txt" || die "minting the tokens failed"
distinct=$(sort -u "$WORK/crowd-tokens.txt" | wc -l)
(( distinct == USERS )) || die "minted $distinct distinct tokens, not $USERS"

start_sold_out_stack SECKILL_RATE_PER_IP=0
start_constant_baseline
create_sold_out_sale
sold_out_rounds "$WORK/crowd-tokens.txt" engine="$GW/api/sales/$SALE/purchase" baseline="$BASE/api/sales/$SALE/purchase"
sold_out_figures
printf 'sold-out path, %s distinct buyers: %s req/s; bare Vert.x constant: %s req/s; ratio %s\n' \
  "$USERS" "$ENGINE" "$BASELINE" "$RATIO"
printf 'RESULT {"engine":%s,"baseline":%s,"ratio":%s}\n' "$ENGINE" "$BASELINE" "$RATIO"
