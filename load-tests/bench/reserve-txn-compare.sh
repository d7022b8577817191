#!/usr/bin/env bash
# Cost of the two crash-safe publication designs on the reserve step (docs/publication.md):
# outbox XADD inside reserve-5.lua vs a synchronous RocketMQ transactional half message per
# reservation. Same Redis, same broker, same client threads, no HTTP. Uses the classes inside
# stock-service/target/stock-service.jar (build it first); publishes to seckill-bench-order-create,
# which reserve-path.sh creates. Settings: BENCH_THREADS (64), BENCH_DURATION (10, seconds).
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAR="stock-service/target/stock-service.jar"
[[ -f "$JAR" ]] || { echo "$JAR is missing: mvn -B -pl stock-service -DskipTests package" >&2; exit 1; }
java -Xmx512m -cp "$JAR" load-tests/bench/reserve-txn-compare.java \
  "${SECKILL_REDIS_HOST:-127.0.0.1}" "${SECKILL_REDIS_PORT:-16379}" \
  "${SECKILL_NAMESRV_ADDR:-127.0.0.1:${SECKILL_NAMESRV_PORT:-19876}}" seckill-bench-order-create \
  "${BENCH_THREADS:-64}" "${BENCH_DURATION:-10}"
