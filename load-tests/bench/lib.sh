# shellcheck shell=bash
# What the bench scripts share. Each sources it first, naming the prefix of its messages and its
# scratch folder under /tmp:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" bench reserve-bench
#
# It puts the shell in the repository root (ROOT) and gives: say/die; WORK, the scratch folder;
# PIDS, the processes that cleanup stops; cleanup (stops PIDS, runs the script's bench_cleanup if
# it defines one, removes WORK unless BENCH_KEEP is set), trapped on EXIT; wrk_settings (the
# BENCH_* knobs of the wrk runs); free_port; start NAME CMD... (CMD in the background, its output in
# WORK/NAME.log); await_ready NAME URL [PID [TRIES]]; need_gateway_credential and INTERNAL_AUTH, the
# header stock-service's and order-worker's /internal routes require; sale_keys, warm_stock_sale,
# create_bench_topics and mean_of.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BENCH_TAG="${1:-bench}"
WORK="$(mktemp -d "/tmp/${2:-bench}.XXXXXX")"
PIDS=()

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

# Polls URL every 0.2 s, TRIES times (300: one minute); with PID, stops early when that process exited.
await_ready() { # name url [pid [tries]]
  local pid="${3:-}"
  for _ in $(seq 1 "${4:-300}"); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$WORK/$1.log" >&2
      die "$1 exited"
    fi
    sleep 0.2
  done
  tail -n 30 "$WORK/$1.log" >&2
  die "$1 did not become ready ($2)"
}

# The /internal routes of stock-service and order-worker want the gateway's credential. The
# services these scripts start read the same variable (./seckill exports infra/local.env's).
need_gateway_credential() {
  [[ -n "${SECKILL_GATEWAY_CREDENTIAL:-}" ]] \
    || die "SECKILL_GATEWAY_CREDENTIAL is not set (run from ./seckill, or source infra/local.env with SECKILL_ENV=local)"
  INTERNAL_AUTH=(-H "Authorization: Bearer $SECKILL_GATEWAY_CREDENTIAL")
}

# The keys of one sale in Redis (stock-service's SaleKeys), for DEL when a run is over.
sale_keys() { local k="sale:{$1}"; echo "$k" "$k:held" "$k:res" "$k:idem" "$k:outbox"; }

# Warms SALE on the stock-service at URL: 10,000,000 units, one per user, open for an hour.
# Every reservation also sends its payment-timeout timer message (part of the measured cost).
# A 1 h window keeps their delivery out of this run and the benchmarks after it: with 5 s, the
# broker was still delivering ~500,000 of them while ./seckill bench ran FlashCrowd.
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
