package io.seckill.order;

import java.util.Map;

/**
 * How the worker rides out faults: the backoff between attempts of work that failed for a reason
 * that can pass, the sweep that stands in for lost payment-timeout timers, and how long SIGTERM
 * waits for work in flight. See docs/order-worker-faults.md.
 */
public record RecoveryConfig(int retryBaseMillis, int retryMaxMillis, int sweepSeconds, int sweepGraceSeconds,
                             int shutdownGraceMillis) {

  static RecoveryConfig fromEnv(Map<String, String> env) {
    int base = Env.integer(env, "SECKILL_ORDER_RETRY_BASE_MS", 100, 1, 60_000);
    return new RecoveryConfig(base,
        Env.integer(env, "SECKILL_ORDER_RETRY_MAX_MS", 10_000, base, 600_000),
        Env.integer(env, "SECKILL_ORDER_SWEEP_SECONDS", 30, 0, 3_600),
        Env.integer(env, "SECKILL_ORDER_SWEEP_GRACE_SECONDS", 60, 0, 86_400),
        Env.integer(env, "SECKILL_ORDER_SHUTDOWN_GRACE_MS", 15_000, 0, 120_000));
  }
}
