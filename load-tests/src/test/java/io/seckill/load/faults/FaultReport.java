package io.seckill.load.faults;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.seckill.load.GatewayClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The suite's one table, and {@code faults.json} with every number and verdict behind it. */
final class FaultReport {

  private static final String ROW = "%-24s %9s %6s %7s %5s %9s %13s %10s  %s%n";

  private FaultReport() {
  }

  static void print(PrintStream out, List<ScenarioResult> results) {
    out.println();
    out.printf(ROW, "scenario", "requests", "202s", "orders", "lost", "oversold", "dead letters", "recover s", "result");
    for (ScenarioResult r : results) {
      out.printf(ROW, r.scenario(), r.requests(), r.accepted(), count(r.orders()), count(r.lost()), r.oversold(),
          r.deadLetters(), r.recoverySeconds() == null ? "-" : String.format("%.1f", r.recoverySeconds()),
          r.passed() ? "PASS" : "FAIL");
    }
    for (ScenarioResult r : results) {
      if (!r.passed()) {
        out.println();
        out.println(r.scenario() + " FAILED (" + r.fault() + "; sale " + r.saleId() + "):");
        r.problems().forEach(p -> out.println("  - " + p));
      }
    }
    out.println();
  }

  /** What failed, in one string: the message of an assertion over the whole run. */
  static String failures(List<ScenarioResult> results) {
    StringBuilder text = new StringBuilder();
    results.stream().filter(r -> !r.passed())
        .forEach(r -> text.append(r.scenario()).append(": ").append(String.join("; ", r.problems())).append('\n'));
    return text.toString();
  }

  static void write(Path file, FaultSettings settings, List<ScenarioResult> results) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("generatedAt", Instant.now().toString());
    json.put("allPassed", results.stream().allMatch(ScenarioResult::passed));
    json.put("settings", settings.asMap());
    json.put("scenarios", results);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      GatewayClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
      System.out.println("[faults] results written to " + file.toAbsolutePath());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e, e);
    }
  }

  private static String count(int n) {
    return n < 0 ? "?" : Integer.toString(n);
  }
}
