#!/usr/bin/env bash
# What the proof-of-work bot defence costs: the gateway's ticket check (one HMAC, on every purchase
# of a defended sale), its solution check (the ticket route, without the Redis mark), challenge
# creation, a JWT verification without the memo for scale, and a client's solve time at two
# difficulties (the JDK-only PowSolver, one thread). No servers needed.
#
# Settings: BENCH_POW_DIFFICULTIES (50000,500000), BENCH_POW_SOLVES (21 per difficulty).
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CP=$(./seckill classpath gateway) || { echo "[bench] cannot compute the gateway's test classpath" >&2; exit 1; }
exec java -Xmx256m -cp "$CP" io.seckill.gateway.bench.BotDefenseCost \
  "${BENCH_POW_DIFFICULTIES:-50000,500000}" "${BENCH_POW_SOLVES:-21}"
