#!/usr/bin/env bash
# Orders persisted per second by the order-worker on a 10,000-message backlog, next to a raw
# batched JDBC insert of 10,000 rows on the same MariaDB, and their ratio.
# Runs against the running local stack (./seckill up --infra); needs order-worker/target/order-worker.jar.
# Last line: RESULT {"engine":<orders/s>,"baseline":<rows/s>,"ratio":<0..1>}
# Settings: BENCH_ORDERS (10000), BENCH_BATCH (128, the worker's SECKILL_ORDER_BATCH_SIZE and the baseline's batch).
set -Eeuo pipefail

# shellcheck source=load-tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench persistence-bench
jar="order-worker/target/order-worker.jar"
[[ -f "$jar" ]] || die "$jar is missing: build it first (mvn -B -o -pl order-worker package -DskipTests)"
# the bench main lives in the order-worker test sources and runs on their classpath
cp=$(./seckill classpath order-worker) || die "cannot compute order-worker's test classpath"
# a topic of its own (lib.sh's bench topic), so the running stack's order-worker does not take the backlog
create_bench_topics "${SECKILL_HOME:-$ROOT/.seckill}"
topic=$CREATE_TOPIC
# from the module folder, so the worker's log lands in order-worker/target
cd order-worker
java -Xmx256m -cp "$cp" \
  -Dbench.orders="${BENCH_ORDERS:-10000}" -Dbench.topic="$topic" -Dbench.batch="${BENCH_BATCH:-128}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.seckill.order.bench.PersistenceBench
