package io.seckill.stock;

import java.util.Map;

/**
 * How the outbox publisher drains reservations to RocketMQ.
 *
 * @param consumer    this instance's stable consumer name in each outbox stream's group: a
 *                    restarted instance reads back its own pending entries under it
 * @param batch       entries read per XREADGROUP
 * @param pollMillis  pause between two passes that found nothing
 * @param claimIdleMillis entries pending longer than this (a crashed instance's) are reclaimed
 * @param sweepMillis how often the reclaim sweep runs
 */
public record OutboxConfig(String consumer, int batch, int pollMillis, int claimIdleMillis, int sweepMillis) {

  /** The consumer group every stock-service instance shares on each sale's outbox stream. */
  public static final String GROUP = "publisher";

  static OutboxConfig fromEnv(Map<String, String> env, int httpPort) {
    return new OutboxConfig(
        env.getOrDefault("SECKILL_STOCK_INSTANCE", hostName() + "-" + httpPort),
        Env.intVar(env, "SECKILL_OUTBOX_BATCH", 256, 1, 1000),
        Env.intVar(env, "SECKILL_OUTBOX_POLL_MS", 10, 1, 10_000),
        Env.intVar(env, "SECKILL_OUTBOX_CLAIM_IDLE_MS", 10_000, 1_000, 600_000),
        Env.intVar(env, "SECKILL_OUTBOX_SWEEP_MS", 5_000, 100, 600_000));
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "stock";
    }
  }
}
