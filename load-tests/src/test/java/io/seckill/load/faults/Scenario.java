package io.seckill.load.faults;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One fault scenario: its nemesis, how long the fault is planned to last (it sizes the load and
 * the keyed clients' retry budget), the share of buyers that send an {@code Idempotency-Key}, and
 * for a sale that must end inside the fault, how long after the fault begins it ends.
 */
record Scenario(String name, Supplier<Nemesis> nemesis, Duration plannedFault, double keyedShare,
                Duration endsAfterStrike) {

  /** Every scenario, in the order {@code ./seckill faults} runs them. */
  static Map<String, Scenario> catalog(FaultSettings s) {
    Map<String, Scenario> all = new LinkedHashMap<>();
    add(all, "broker-down", () -> new Outage(Part.BROKER, s.outage(), false, 0), s.outage());
    add(all, "mariadb-down", () -> new Outage(Part.MARIADB, s.outage(), false, 0), s.outage());
    add(all, "mariadb-hung", () -> new Hang(Part.MARIADB, s.hang()), s.hang());
    add(all, "redis-restart", () -> new Outage(Part.REDIS, s.redisDown(), false, 0), s.redisDown());
    add(all, "redis-empty", () -> new Outage(Part.REDIS, s.redisDown(), true, 0), s.redisDown());
    add(all, "kill-gateway", () -> new Outage(Part.GATEWAY, Duration.ZERO, false, s.burst()), Duration.ZERO);
    add(all, "kill-stock", () -> new Outage(Part.STOCK, Duration.ZERO, false, s.burst()), Duration.ZERO);
    add(all, "kill-order", () -> new Outage(Part.ORDER, Duration.ZERO, false, s.burst()), Duration.ZERO);
    // every buyer sends a key: the claim is that a retry with it resolves every 5xx of a deploy
    all.put("rolling-restart", new Scenario("rolling-restart",
        () -> new RollingRestart(List.of(Part.STOCK, Part.ORDER, Part.GATEWAY), s.burst()),
        Duration.ofSeconds(90), 1.0, null));
    Duration degraded = s.slowFor().plus(s.partitionFor());
    add(all, "stock-redis-partition",
        () -> new Degraded(Part.STOCK, Part.REDIS, s.latency(), s.slowFor(), s.partitionFor()), degraded);
    add(all, "worker-mysql-partition",
        () -> new Degraded(Part.ORDER, Part.MARIADB, s.latency(), s.slowFor(), s.partitionFor()), degraded);
    all.put("ends-in-broker-outage", new Scenario("ends-in-broker-outage",
        () -> new Outage(Part.BROKER, s.endOutage(), false, 0), s.endOutage(), 0.5, s.endsAfterStrike()));
    return all;
  }

  private static void add(Map<String, Scenario> all, String name, Supplier<Nemesis> nemesis, Duration planned) {
    all.put(name, new Scenario(name, nemesis, planned, 0.5, null));
  }
}
