#!/usr/bin/env bash
# Orders persisted per second by the order-worker on a 10,000-message backlog, next to a raw
# batched JDBC insert of 10,000 rows on the same MariaDB, and their ratio.
# Runs against the running local stack (./seckill up --infra); needs order-worker/target/order-worker.jar.
# Last line: RESULT {"engine":<orders/s>,"baseline":<rows/s>,"ratio":<0..1>}
# Settings: BENCH_ORDERS (10000), BENCH_BATCH (128, the worker's SECKILL_ORDER_BATCH_SIZE and the baseline's batch).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
jar="order-worker/target/order-worker.jar"
if [[ ! -f "$jar" ]]; then
  echo "missing $jar: build it first (mvn -B -o -pl order-worker package -DskipTests)" >&2
  exit 2
fi
# the bench main lives in the order-worker test sources and runs on their classpath
cp=$(./seckill classpath order-worker)
# a topic of its own, so the running stack's order-worker does not take the backlog
topic=seckill-bench-order-create
seckill_home="${SECKILL_HOME:-$root/.seckill}"
namesrv="${SECKILL_NAMESRV_ADDR:-127.0.0.1:${SECKILL_NAMESRV_PORT:-19876}}"
[[ -f "$seckill_home/rocketmq.classpath" ]] || { echo "$seckill_home/rocketmq.classpath is missing (written by ./seckill up --infra)" >&2; exit 2; }
java -cp "$(cat "$seckill_home/rocketmq.classpath")" infra/rocketmq/CreateTopics.java \
  "$namesrv" "127.0.0.1:${SECKILL_BROKER_PORT:-10911}" 8 "$topic" >/dev/null 2>&1 \
  || { echo "cannot create the bench topic $topic" >&2; exit 2; }
# from the module folder, so the worker's log lands in order-worker/target
cd order-worker
java -Xmx256m -cp "$cp" \
  -Dbench.orders="${BENCH_ORDERS:-10000}" -Dbench.topic="$topic" -Dbench.batch="${BENCH_BATCH:-128}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.seckill.order.bench.PersistenceBench
