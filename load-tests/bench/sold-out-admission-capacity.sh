#!/usr/bin/env bash
# What one sale's reservations cost stock-service: the measurement behind the gateway's default
# SECKILL_RATE_PER_SALE (admissions per second passed on to stock-service for one sale).
#
# Starts stock-service and order-worker on free ports against the running infrastructure, creates
# a sale with far more stock than can sell in the run (both stores), then runs wrk straight at
# stock-service's POST /internal/sales/{id}/reservations with a new user per request and counts
# the 201s. Prints, as its last line: RESULT {"reservationsPerSecond":<n>,"errors":<n>}
# Settings: BENCH_DURATION (3s), BENCH_CONNECTIONS (32). Every reservation becomes a real order
# (payment window 1 h), so keep runs short.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DURATION="${BENCH_DURATION:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WORK="$(mktemp -d /tmp/sold-out-capacity.XXXXXX)"
PIDS=()
say() { printf '[capacity] %s\n' "$*" >&2; }
die() { printf '[capacity] ERROR: %s\n' "$*" >&2; exit 1; }
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [[ -n "${BENCH_KEEP:-}" ]] && say "logs kept in $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || die "wrk is not installed"
for m in stock-service order-worker; do
  [[ -f "$m/target/$m.jar" ]] || die "$m/target/$m.jar is missing: build the jars first"
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
STOCK_PORT=$(free_port); ORDER_PORT=$(free_port)
await_ready() {
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$2" 2>/dev/null && return 0; sleep 0.2; done
  tail -n 30 "$WORK/$1.log" >&2; die "$1 did not become ready"
}
SECKILL_STOCK_PORT=$STOCK_PORT SECKILL_ORDER_URL=http://127.0.0.1:$ORDER_PORT \
  java -Xmx512m -jar stock-service/target/stock-service.jar >"$WORK/stock-service.log" 2>&1 & PIDS+=($!)
await_ready stock-service "http://127.0.0.1:$STOCK_PORT/health/ready"
SECKILL_ORDER_PORT=$ORDER_PORT SECKILL_STOCK_URL=http://127.0.0.1:$STOCK_PORT \
  java -Xmx512m -jar order-worker/target/order-worker.jar >"$WORK/order-worker.log" 2>&1 & PIDS+=($!)
await_ready order-worker "http://127.0.0.1:$ORDER_PORT/health/ready"

SALE="capacity-$(date +%s)-$$"
NOW=$(date -u +%s)
DEF="{\"id\":\"$SALE\",\"item\":\"capacity\",\"stock\":1000000,\"perUserLimit\":1,\"startsAt\":\"$(date -u -d "@$((NOW - 5))" +%Y-%m-%dT%H:%M:%SZ)\",\"endsAt\":\"$(date -u -d "@$((NOW + 3600))" +%Y-%m-%dT%H:%M:%SZ)\",\"paymentWindow\":\"PT1H\"}"
curl -fsS -o /dev/null -X POST "http://127.0.0.1:$ORDER_PORT/internal/sales" -H 'Content-Type: application/json' -d "$DEF" \
  || die "order-worker refused the sale"
curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$STOCK_PORT/internal/sales/$SALE" -H 'Content-Type: application/json' -d "$DEF" \
  || die "stock-service refused the sale"

cat >"$WORK/reserve.lua" <<'LUA'
local counter = 0
local thread_id = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"},
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
  "http://127.0.0.1:$STOCK_PORT/internal/sales/$SALE/reservations" >"$WORK/wrk.txt"
grep -E "Requests/sec|Latency |requests in|Non-2xx|Socket errors|50%|99%" "$WORK/wrk.txt" | sed 's/^/[wrk] /' >&2
RATE=$(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.txt")
NON2XX=$(awk '/Non-2xx/ { print $5 }' "$WORK/wrk.txt"); NON2XX=${NON2XX:-0}
AVAILABLE=$(curl -fsS "http://127.0.0.1:$STOCK_PORT/internal/sales/$SALE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["available"])')
say "units reserved: $((1000000 - AVAILABLE)); non-2xx answers: $NON2XX"
printf 'stock-service sustains %s reservations/s for one sale (wrk -t1 -c%s -d%s)\n' "$RATE" "$CONNECTIONS" "$DURATION"
printf 'RESULT {"reservationsPerSecond":%s,"errors":%s}\n' "$RATE" "$NON2XX"
