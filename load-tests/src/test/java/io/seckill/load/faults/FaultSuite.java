package io.seckill.load.faults;

import io.seckill.testkit.ServiceProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./seckill faults [SCENARIO...] [--short]}: runs fault scenarios against the local stack
 * that {@code ./seckill up} started, prints one table and writes
 * {@code load-tests/results/faults.json}. Exits 1 when a scenario's check failed, 2 on bad usage.
 * Scenarios and their checks: docs/faults.md.
 */
public final class FaultSuite {

  private FaultSuite() {
  }

  public static void main(String[] args) {
    boolean quick = false;
    List<String> names = new ArrayList<>();
    for (String arg : args) {
      if ("--short".equals(arg)) {
        quick = true;
      } else {
        names.add(arg);
      }
    }
    FaultSettings settings = quick ? FaultSettings.quick() : FaultSettings.full();
    Map<String, Scenario> catalog = Scenario.catalog(settings);
    List<Scenario> chosen = new ArrayList<>();
    for (String name : names.isEmpty() ? List.copyOf(catalog.keySet()) : names) {
      Scenario scenario = catalog.get(name);
      if (scenario == null) {
        System.err.println("unknown scenario '" + name + "'; one of: " + String.join(" ", catalog.keySet()));
        System.exit(2);
      }
      chosen.add(scenario);
    }
    System.out.println("[faults] " + chosen.size() + " scenario(s), " + settings.form() + " durations: " + settings.asMap());
    List<ScenarioResult> results;
    try (Stack stack = ScriptedStack.requireRunning()) {
      results = new FaultRunner(stack, settings).run(chosen);
    }
    FaultReport.print(System.out, results);
    FaultReport.write(ServiceProcess.repoRoot().resolve("load-tests/results/faults.json"), settings, results);
    boolean passed = results.size() == chosen.size() && results.stream().allMatch(ScenarioResult::passed);
    System.exit(passed ? 0 : 1);
  }
}
