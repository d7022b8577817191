#!/usr/bin/env bash
# What one sale's reservations cost stock-service: the measurement behind the gateway's default
# SECKILL_RATE_PER_SALE (admissions per second passed on to stock-service for one sale).
#
# Starts stock-service and order-worker on free ports against the running infrastructure, creates
# a sale with far more stock than can sell in the run (both stores), then runs wrk straight at
# stock-service's POST /internal/sales/{id}/reservations with a new user per request and counts
# the 201s. Prints, as its last line: RESULT {"reservationsPerSecond":<n>,"errors":<n>}
# Needs SECKILL_GATEWAY_CREDENTIAL (lib.sh exports infra/local.env's for a local run): the internal routes want it.
# Settings: BENCH_DURATION (3s), BENCH_CONNECTIONS (32). Every reservation becomes a real order
# (payment window 1 h), so keep runs short.
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" capacity sold-out-capacity
DURATION="${BENCH_DURATION:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"

need_gateway_credential
command -v wrk >/dev/null || die "wrk is not installed"
for m in stock-service order-worker; do
  [[ -f "$m/target/$m.jar" ]] || die "$m/target/$m.jar is missing: build the jars first"
done
launch order-worker order-worker
ORDER_URL="$URL"
launch stock-service stock-service
STOCK_URL="$URL"

SALE="capacity-$(date +%s)-$$"
NOW=$(date -u +%s)
DEF="{\"id\":\"$SALE\",\"item\":\"capacity\",\"stock\":1000000,\"perUserLimit\":1,\"startsAt\":\"$(date -u -d "@$((NOW - 5))" +%Y-%m-%dT%H:%M:%SZ)\",\"endsAt\":\"$(date -u -d "@$((NOW + 3600))" +%Y-%m-%dT%H:%M:%SZ)\",\"paymentWindow\":\"PT1H\"}"
curl -fsS -o /dev/null -X POST "$ORDER_URL/internal/sales" -H 'Content-Type: application/json' "${INTERNAL_AUTH[@]}" -d "$DEF" \
  || die "order-worker refused the sale"
curl -fsS -o /dev/null -X PUT "$STOCK_URL/internal/sales/$SALE" -H 'Content-Type: application/json' "${INTERNAL_AUTH[@]}" -d "$DEF" \
  || die "stock-service refused the sale"

cat >"$WORK/reserve.lua" <<LUA
local counter = 0
local thread_id = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $SECKILL_GATEWAY_CREDENTIAL"},
    '{"userId":"cap-' .. thread_id .. '-' .. counter .. '","quantity":1}')
end
local errors = 0
response = function(status, headers, body)
  if status ~= 201 then errors = errors + 1 end
end
done = function(summary, latency, requests)
end
LUA
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/reserve.lua" \
  "$STOCK_URL/internal/sales/$SALE/reservations" >"$WORK/wrk.txt"
grep -E "Requests/sec|Latency |requests in|Non-2xx|Socket errors|50%|99%" "$WORK/wrk.txt" | sed 's/^/[wrk] /' >&2
RATE=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.txt")
NON2XX=$(awk '/Non-2xx/ { print $5 }' "$WORK/wrk.txt"); NON2XX=${NON2XX:-0}
AVAILABLE=$(curl -fsS "${INTERNAL_AUTH[@]}" "$STOCK_URL/internal/sales/$SALE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["available"])')
say "units reserved: $((1000000 - AVAILABLE)); non-2xx answers: $NON2XX"
printf 'stock-service sustains %s reservations/s for one sale (wrk -t1 -c%s -d%s)\n' "$RATE" "$CONNECTIONS" "$DURATION"
printf 'RESULT {"reservationsPerSecond":%s,"errors":%s}\n' "$RATE" "$NON2XX"
