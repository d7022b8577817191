package io.seckill.load.faults;

import io.seckill.load.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The suite's knobs: the durations for {@code ./seckill faults}, short ones for
 * {@code --short} and for the smoke form in {@code ./seckill test}. Each one can be overridden by
 * a system property {@code -Dfaults.NAME=value} (seconds unless the name says otherwise).
 */
record FaultSettings(
    String form,
    int buyersPerSecond,
    int stock,
    Duration paymentWindow,
    Duration before,
    Duration after,
    Duration grace,
    Duration outage,
    Duration hang,
    Duration redisDown,
    Duration latency,
    Duration slowFor,
    Duration partitionFor,
    Duration endOutage,
    Duration endsAfterStrike,
    int burst) {

  /** The durations: 3-minute outages, a 90 s hang, a 30 s partition. */
  static FaultSettings full() {
    return withOverrides(new FaultSettings("full", 10, 200, seconds(20), seconds(20), seconds(15), seconds(120),
        seconds(180), seconds(90), seconds(30), Duration.ofMillis(200), seconds(60), seconds(30),
        seconds(180), seconds(30), 100));
  }

  /**
   * Short faults for a quicker pass of every scenario. The sale that ends in a broker outage still
   * needs the broker down for more than a minute after {@code endsAt}: that is when an outbox
   * entry of an ended sale used to be stranded.
   */
  static FaultSettings quick() {
    return withOverrides(new FaultSettings("short", 10, 60, seconds(20), seconds(5), seconds(5), seconds(90),
        seconds(20), seconds(15), seconds(5), Duration.ofMillis(200), seconds(15), seconds(15),
        seconds(80), seconds(10), 40));
  }

  /** The form inside {@code ./seckill test}: a few hundred purchases per scenario, under ~5 minutes in all. */
  static FaultSettings smoke() {
    return withOverrides(new FaultSettings("smoke", 8, 40, seconds(10), seconds(5), seconds(5), seconds(60),
        seconds(15), seconds(10), seconds(3), Duration.ofMillis(200), seconds(10), seconds(10),
        seconds(80), seconds(10), 20));
  }

  private static FaultSettings withOverrides(FaultSettings d) {
    return new FaultSettings(d.form,
        Settings.integer("faults.buyersPerSecond", d.buyersPerSecond),
        Settings.integer("faults.stock", d.stock),
        Settings.seconds("faults.paymentWindowSeconds", (int) d.paymentWindow.toSeconds()),
        Settings.seconds("faults.beforeSeconds", (int) d.before.toSeconds()),
        Settings.seconds("faults.afterSeconds", (int) d.after.toSeconds()),
        Settings.seconds("faults.graceSeconds", (int) d.grace.toSeconds()),
        Settings.seconds("faults.outageSeconds", (int) d.outage.toSeconds()),
        Settings.seconds("faults.hangSeconds", (int) d.hang.toSeconds()),
        Settings.seconds("faults.redisDownSeconds", (int) d.redisDown.toSeconds()),
        Duration.ofMillis(Settings.integer("faults.latencyMs", (int) d.latency.toMillis())),
        Settings.seconds("faults.slowSeconds", (int) d.slowFor.toSeconds()),
        Settings.seconds("faults.partitionSeconds", (int) d.partitionFor.toSeconds()),
        Settings.seconds("faults.endOutageSeconds", (int) d.endOutage.toSeconds()),
        Settings.seconds("faults.endsAfterStrikeSeconds", (int) d.endsAfterStrike.toSeconds()),
        Settings.integer("faults.burst", d.burst));
  }

  /** For the report: every knob by name. */
  Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("form", form);
    map.put("buyersPerSecond", buyersPerSecond);
    map.put("stock", stock);
    map.put("paymentWindowSeconds", paymentWindow.toSeconds());
    map.put("beforeSeconds", before.toSeconds());
    map.put("afterSeconds", after.toSeconds());
    map.put("graceSeconds", grace.toSeconds());
    map.put("outageSeconds", outage.toSeconds());
    map.put("hangSeconds", hang.toSeconds());
    map.put("redisDownSeconds", redisDown.toSeconds());
    map.put("latencyMs", latency.toMillis());
    map.put("slowSeconds", slowFor.toSeconds());
    map.put("partitionSeconds", partitionFor.toSeconds());
    map.put("endOutageSeconds", endOutage.toSeconds());
    map.put("endsAfterStrikeSeconds", endsAfterStrike.toSeconds());
    map.put("burst", burst);
    return map;
  }

  private static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
