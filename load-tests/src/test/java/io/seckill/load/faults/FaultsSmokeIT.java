package io.seckill.load.faults;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short form of the fault suite in {@code ./seckill test}: the three services as this test's
 * own processes, Redis, MariaDB and the broker as {@code ./seckill up --infra} started them (killed
 * by their recorded PIDs, brought back by {@code ./seckill up --infra} on their own data), and four
 * scenarios with short faults. Writes {@code target/faults-smoke.json}.
 */
class FaultsSmokeIT {

  private static final List<String> SHORT_FORM = List.of("broker-down", "mariadb-down", "redis-empty", "rolling-restart");

  @Test
  @DisplayName("Broker down, MariaDB down, Redis back empty with the operator's restore, and a rolling restart: "
      + "after each, every 202 is one order, paid or cancelled with its unit back, Redis and MySQL agree, no dead letter")
  void everyGuaranteeHoldsAfterShortFaults() {
    FaultSettings settings = FaultSettings.smoke();
    Map<String, Scenario> catalog = Scenario.catalog(settings);
    List<Scenario> scenarios = SHORT_FORM.stream().map(catalog::get).toList();
    List<ScenarioResult> results;
    // every buyer comes from 127.0.0.1: a per-IP limit would shed them
    try (Stack stack = TestServicesStack.start(Map.of("SECKILL_RATE_PER_IP", "0"))) {
      results = new FaultRunner(stack, settings).run(scenarios);
    }
    FaultReport.print(System.out, results);
    FaultReport.write(Path.of("target", "faults-smoke.json"), settings, results);
    assertEquals(SHORT_FORM, results.stream().map(ScenarioResult::scenario).toList(), "every scenario ran");
    assertTrue(results.stream().allMatch(ScenarioResult::passed), "fault scenarios failed:\n" + FaultReport.failures(results));
  }
}
