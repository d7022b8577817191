#!/usr/bin/env bash
# The reserve script's cost under each Redis durability choice: appendfsync always vs everysec
# (README "Redis durability"). Two throw-away Redis servers on free loopback ports, each with AOF,
# the same reservation script (lua/reserve-5.lua) driven by redis-benchmark, rounds alternating
# between the two so that drift on a shared machine favours neither. Prints ops/s per round, the
# mean of each and the ratio always/everysec. Stops both servers on any exit (lib.sh's cleanup).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench redis-aof
ROUNDS="${ROUNDS:-3}"; REQUESTS="${REQUESTS:-20000}"; CLIENTS="${CLIENTS:-50}"

declare -A PORT
for mode in always everysec; do
  PORT[$mode]=$(free_port); mkdir -p "$WORK/$mode"
  start "redis-$mode" redis-server --port "${PORT[$mode]}" --bind 127.0.0.1 --save '' --appendonly yes \
    --appendfsync "$mode" --dir "$WORK/$mode" --daemonize no
done
for mode in always everysec; do
  until redis-cli -p "${PORT[$mode]}" ping >/dev/null 2>&1; do sleep 0.1; done
  now=$(( $(date +%s) * 1000 ))
  redis-cli -p "${PORT[$mode]}" EVAL "$(cat lua/warm-3.lua)" 3 'sale:{b}' 'sale:{b}:res' 'sale:{b}:outbox' \
    bench 100000000 1 $(( now - 1000 )) $(( now + 3600000 )) 3600000 g >/dev/null
  redis-cli -p "${PORT[$mode]}" -x SCRIPT LOAD < lua/reserve-5.lua >/dev/null
done
SHA=$(sha1sum lua/reserve-5.lua | cut -d' ' -f1)
round() { # mode
  redis-benchmark -p "${PORT[$1]}" -c "$CLIENTS" -n "$REQUESTS" -r 1000000000 --csv \
    EVALSHA "$SHA" 5 'sale:{b}' 'sale:{b}:held' 'sale:{b}:res' 'sale:{b}:idem' 'sale:{b}:outbox' \
    "u__rand_int__" 1 "b.__rand_int__" "" | tail -n 1 | awk -F'","' '{print $2}' | tr -d '"'
}
declare -A SUM
for r in $(seq 1 "$ROUNDS"); do
  for mode in always everysec; do
    ops=$(round "$mode"); SUM[$mode]=$(awk -v a="${SUM[$mode]:-0}" -v b="$ops" 'BEGIN{print a+b}')
    echo "round $r appendfsync $mode: $ops reservations/s"
  done
done
awk -v a="${SUM[always]}" -v e="${SUM[everysec]}" -v n="$ROUNDS" \
  'BEGIN { printf "mean: always %.0f/s, everysec %.0f/s, always/everysec %.2f\n", a/n, e/n, a/e }'
