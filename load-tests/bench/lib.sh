# shellcheck shell=bash
# What the bench scripts share. Each sources it first, naming the prefix of its messages and its
# scratch folder under /tmp:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench reserve-bench
#
# It puts the shell in the repository root (ROOT) and gives: say/die; WORK, the scratch folder;
# PIDS, the processes that cleanup stops; cleanup (stops PIDS, runs the script's bench_cleanup if
# it defines one, removes WORK unless BENCH_KEEP is set), trapped on EXIT; wrk_settings (the
# BENCH_* knobs of the wrk runs); free_port; start NAME CMD... (CMD in the background, its output in
# WORK/NAME.log); launch NAME WHAT [VAR=value...], which starts
# services the way the tests do; need_gateway_credential and INTERNAL_AUTH, the
# header stock-service's and order-worker's /internal routes require; sale_keys, warm_stock_sale,
# create_bench_topics and mean_of; and, at the end, what the two sold-out benches share: listening,
# sold_out_prerequisites, start_sold_out_stack, start_constant_baseline, create_sold_out_sale,
# sold_out_rounds (with sold-out-wrk.lua), sold_out_mean and sold_out_figures.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BENCH_TAG="${1:-bench}"
WORK="$(mktemp -d "/tmp/${2:-bench}.XXXXXX")"
PIDS=()
# A bench is a local run: the development secrets unless set (./seckill exports the same), so a
# script also runs on its own
export SECKILL_ENV="${SECKILL_ENV:-local}"
# shellcheck source=infra/local-env.sh
[[ "$SECKILL_ENV" != local ]] || source "$ROOT/infra/local-env.sh"

say() { printf '[%s] %s\n' "$BENCH_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$BENCH_TAG" "$*" >&2; exit 1; }

# TERM to every process in PIDS, then up to 10 s for each to go before KILL
stop_pids() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

cleanup() {
  stop_pids
  if declare -F bench_cleanup >/dev/null; then bench_cleanup; fi
  [[ -n "${BENCH_KEEP:-}" ]] && say "logs kept in $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
# Ctrl-C or a TERM ends the script (and so runs cleanup) once the command in the foreground returns;
# without these, bash goes on when that command did not die of the signal itself.
trap 'exit 130' INT
trap 'exit 143' TERM

# The knobs of the wrk runs, from BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_THREADS and
# BENCH_WARMUP, else the script's defaults, in that order.
wrk_settings() { # duration rounds connections threads warmup
  DURATION="${BENCH_DURATION:-$1}"
  ROUNDS="${BENCH_ROUNDS:-$2}"
  CONNECTIONS="${BENCH_CONNECTIONS:-$3}"
  THREADS="${BENCH_THREADS:-$4}"
  WARMUP="${BENCH_WARMUP:-$5}"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start() { # name, then command; its environment comes from the caller (VAR=value start ...)
  local name="$1"; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}


# launch NAME WHAT [VAR=value...]: starts WHAT (stack: order-worker, stock-service and a gateway
# in front of them; or one module, stock-service or order-worker) the way the tests start them, on
# free ports, through io.seckill.testkit.LaunchServices, in JVMs run with BENCH_JVM_OPTS; each
# VAR=value goes to every service it starts. Returns once all are ready, with what it started in
# the caller's variables: GATEWAY_URL, STOCK_URL and ORDER_URL for a stack, URL and MANAGEMENT_URL
# for one module. cleanup stops the launcher (which stops its services gracefully) and, should it
# have died, the services themselves by their PIDs.
BENCH_JVM_OPTS="${BENCH_JVM_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC}"
launch() {
  local name="$1" out="$WORK/$1.env" pid; shift
  if [[ -z "${LAUNCH_CP:-}" ]]; then
    LAUNCH_CP=$(./seckill classpath testkit) || die "cannot compute testkit's classpath"
  fi
  start "$name" java -Xmx64m -cp "$LAUNCH_CP" io.seckill.testkit.LaunchServices "$out" "$WORK" "$BENCH_JVM_OPTS" "$@"
  pid=${PIDS[-1]}
  for _ in $(seq 1 1500); do
    [[ -f "$out" ]] && break
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$WORK/$name.log" >&2; die "$name did not start"; }
    sleep 0.2
  done
  [[ -f "$out" ]] || { tail -n 40 "$WORK/$name.log" >&2; die "$name was not ready within 5 minutes"; }
  # shellcheck disable=SC1090
  source "$out"
  # shellcheck disable=SC2206 # STARTED is a list of PIDs
  PIDS+=($STARTED)
}

# The /internal routes of stock-service and order-worker want the gateway's credential. The
# services these scripts start read the same variable (./seckill exports infra/local.env's).
need_gateway_credential() {
  [[ -n "${SECKILL_GATEWAY_CREDENTIAL:-}" ]] \
    || die "SECKILL_GATEWAY_CREDENTIAL is not set (a run with SECKILL_ENV other than local must set it)"
  INTERNAL_AUTH=(-H "Authorization: Bearer $SECKILL_GATEWAY_CREDENTIAL")
}

# The stack's one Redis (./seckill up --infra without SECKILL_REDIS_CLUSTER) and redis-cli on it;
# the password comes from REDISCLI_AUTH. redis-wait.sh, on the cluster, defines its own rcli.
REDIS_HOST="${SECKILL_REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${SECKILL_REDIS_PORT:-16379}"
rcli() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }

# The keys of one sale in Redis (stock-service's SaleKeys), for DEL when a run is over.
sale_keys() { local k="sale:{$1}"; echo "$k" "$k:held" "$k:res" "$k:idem" "$k:outbox"; }

# Warms SALE on the stock-service at URL: 10,000,000 units, one per user, open for an hour.
# Every reservation also sends its payment-timeout timer message (part of the measured cost).
# A 1 h window keeps their delivery out of this run and the benchmarks after it: with 5 s, the
# broker was still delivering them by the hundred thousand while ./seckill bench ran FlashCrowd.
warm_stock_sale() { # url sale
  local now end
  now=$(date -u -d '-1 minute' +%FT%TZ); end=$(date -u -d '+1 hour' +%FT%TZ)
  curl -fsS -o /dev/null -X PUT "$1/internal/sales/$2" -H 'Content-Type: application/json' "${INTERNAL_AUTH[@]}" \
    -d "{\"id\":\"$2\",\"item\":\"bench\",\"stock\":10000000,\"perUserLimit\":1,\"startsAt\":\"$now\",\"endsAt\":\"$end\",\"paymentWindow\":\"PT1H\"}" \
    || die "cannot warm sale $2"
}

# Two bench topics, created here if missing (the broker does not auto-create topics), that the
# stock-services these scripts start publish to and no order-worker consumes.
NAMESRV="${SECKILL_NAMESRV_ADDR:-127.0.0.1:${SECKILL_NAMESRV_PORT:-19876}}"
BROKER="127.0.0.1:${SECKILL_BROKER_PORT:-10911}"
CREATE_TOPIC=seckill-bench-order-create
TIMEOUT_TOPIC=seckill-bench-order-timeout
create_bench_topics() { # rocketmq home (SECKILL_HOME)
  [[ -f "$1/rocketmq.classpath" ]] || die "$1/rocketmq.classpath is missing (written by ./seckill up --infra)"
  say "creating topics $CREATE_TOPIC, $TIMEOUT_TOPIC (if missing)"
  java -cp "$(cat "$1/rocketmq.classpath")" infra/rocketmq/CreateTopics.java \
    "$NAMESRV" "$BROKER" 8 "$CREATE_TOPIC" "$TIMEOUT_TOPIC" >"$WORK/topics.log" 2>&1 \
    || { tail -n 20 "$WORK/topics.log" >&2; die "cannot create the bench topics"; }
}

mean_of() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.2f", s / NR }'; }

# ---------------------------------------------------------------------------------------------
# The sold-out benches (sold-out-path.sh, sold-out-crowd.sh): the gateway's sold-out answer
# against a bare Vert.x server, measured with the same wrk in the same run.

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wrk, the three jars, the gateway's test classes (the baseline) and the infrastructure
# (./seckill up --infra).
sold_out_prerequisites() {
  command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
  local m
  for m in stock-service order-worker gateway; do
    [[ -f "$m/target/$m.jar" ]] || die "$m/target/$m.jar is missing: build the jars first (mvn -DskipTests package)"
  done
  [[ -d gateway/target/test-classes/io/seckill/gateway/bench ]] \
    || die "gateway test classes are missing: run mvn -pl gateway test-compile first"
  listening "${SECKILL_REDIS_PORT:-16379}" && listening "${SECKILL_MYSQL_PORT:-13306}" \
    && listening "${SECKILL_NAMESRV_PORT:-19876}" || die "infrastructure is down: ./seckill up --infra"
}

# start_sold_out_stack [VAR=value...]: stock-service, order-worker and a gateway (2 event loops)
# on free ports (launch stack); the arguments are settings for the gateway (rate limits, token
# memo), which the other two do not read. Sets GW, the gateway's URL.
start_sold_out_stack() {
  say "starting order-worker, stock-service and a gateway ($*)"
  launch stack stack "$@"
  GW="$GATEWAY_URL"
  say "gateway on $GW"
}

# The baseline: a bare Vert.x server that answers a constant, the gateway's sold-out 409 body
# (io.seckill.gateway.bench.ConstantServer, 2 event loops, from the gateway's test classpath), on
# a free port. Sets BASE, its URL.
start_constant_baseline() {
  local port cp
  port=$(free_port)
  say "starting the bare Vert.x baseline :$port"
  cp=$(./seckill classpath gateway) || die "cannot compute the gateway's test classpath"
  # shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
  start baseline java $BENCH_JVM_OPTS -cp "$cp" io.seckill.gateway.bench.ConstantServer "$port"
  for _ in $(seq 1 100); do listening "$port" && break; sleep 0.1; done
  listening "$port" || die "the baseline server did not start"
  # shellcheck disable=SC2034 # for the scripts that source this
  BASE="http://127.0.0.1:$port"
}

# A sale of 5 units, open from 5 s ago for an hour, created through the gateway's admin API and
# bought out by five buyers, so that the gateway answers 409 SOLD_OUT from its local flag. Sets
# SALE, ADMIN (an admin's token), USER_TOKEN (a buyer who bought nothing), STARTS and ENDS.
create_sold_out_sale() {
  local now code i
  ADMIN=$(./seckill token bench-admin --admin)
  USER_TOKEN=$(./seckill token bench-user)
  SALE="bench-$(date +%s)-$$"
  now=$(date -u +%s)
  STARTS=$(date -u -d "@$((now - 5))" +%Y-%m-%dT%H:%M:%SZ); ENDS=$(date -u -d "@$((now + 3600))" +%Y-%m-%dT%H:%M:%SZ)
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
}

# sold_out_wrk TOKENS DURATION URL OUT [EXPECTED]: one wrk run (sold-out-wrk.lua: each request the
# next buyer's token from the file TOKENS) into OUT; dies when an answer was not EXPECTED (409).
sold_out_wrk() {
  local expected="${5:-409}" bad
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s load-tests/bench/sold-out-wrk.lua "$3" -- "$1" "$THREADS" "$expected" >"$4"
  bad=$(awk -v e="non-$expected" '$1 == e && $2 == "answers:" { print $3 }' "$4")
  [[ -n "$bad" ]] || die "wrk printed no count of non-$expected answers ($4)"
  (( bad == 0 )) || die "$bad answers from $3 were not $expected ($(grep '^last unexpected' "$4"); $4)"
}

# sold_out_rounds TOKENS LABEL=URL...: a WARMUP run against each URL, then ROUNDS rounds of one
# DURATION run against each (WORK/LABEL-ROUND.wrk). The machine is shared, so load drifts: the
# servers alternate and each figure is the mean of its rounds (sold_out_mean LABEL), which keeps
# drift from favouring either side. Every other round runs the targets before the last (the
# baseline) in reverse order, so none of them always runs right after another.
sold_out_rounds() {
  local tokens="$1" round i t; shift
  local targets=("$@") order=()
  local n=${#targets[@]}
  say "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds (after a $WARMUP warm-up of each)"
  for t in "${targets[@]}"; do sold_out_wrk "$tokens" "$WARMUP" "${t#*=}" "$WORK/warmup-${t%%=*}.txt"; done
  for round in $(seq 1 "$ROUNDS"); do
    order=("${targets[@]}")
    if (( round % 2 == 0 )); then
      order=()
      for (( i = n - 2; i >= 0; i-- )); do order+=("${targets[i]}"); done
      order+=("${targets[n - 1]}")
    fi
    for t in "${order[@]}"; do
      sold_out_wrk "$tokens" "$DURATION" "${t#*=}" "$WORK/${t%%=*}-$round.wrk"
      grep -E "Requests/sec|Latency |Non-2xx|Socket errors|requests in" "$WORK/${t%%=*}-$round.wrk" \
        | sed "s/^/[${t%%=*} round $round] /" >&2
    done
  done
}

# The mean req/s of LABEL's rounds.
sold_out_mean() {
  local f
  for f in "$WORK/$1"-*.wrk; do awk '/^Requests\/sec:/ { print $2 }' "$f"; done \
    | awk '{ s += $1; n++ } END { if (n) printf "%.2f", s / n }'
}

# After the rounds: ENGINE and BASELINE (the means of the labels engine and baseline) and RATIO;
# the gateway must still answer the sold-out problem, and its purchase counters are printed.
sold_out_figures() {
  local after
  ENGINE=$(sold_out_mean engine); BASELINE=$(sold_out_mean baseline)
  [[ -n "$ENGINE" && -n "$BASELINE" ]] || die "wrk printed no rate"
  after=$(curl -sS -X POST "$GW/api/sales/$SALE/purchase" -H "Authorization: Bearer $USER_TOKEN" \
    -H 'Content-Type: application/json' -d '{"quantity":1}')
  grep -q '"code":"SOLD_OUT"' <<<"$after" || die "after the run the gateway answered: $after"
  curl -sS "$GW/metrics" | grep '^seckill_gateway_requests_total{.*route="/api/sales/:id/purchase"' \
    | sed 's/^/[engine metrics] /' >&2 || true
  # shellcheck disable=SC2034 # for the scripts that source this
  RATIO=$(awk -v e="$ENGINE" -v b="$BASELINE" 'BEGIN { printf "%.3f", e / b }')
}
