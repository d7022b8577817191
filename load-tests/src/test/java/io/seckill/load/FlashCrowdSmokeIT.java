package io.seckill.load;

import io.seckill.testkit.LocalServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke load test of {@code ./seckill test}: a short FlashCrowd against the three service
 * jars, failing the build when a Gatling assertion or a guarantee fails.
 */
class FlashCrowdSmokeIT {

  private static final Map<String, String> SMOKE = Map.of(
      "stock", "100",
      "users", "2000",
      "spikeSeconds", "10",
      "paymentWindowSeconds", "10",
      "settleSeconds", "30",
      "warmUpSeconds", "5",
      "warmUpStock", "50",
      "preOpenConnections", "300",
      "p99Ms", "5000");

  @AfterEach
  void clearSettings() {
    SMOKE.keySet().forEach(System::clearProperty);
    System.clearProperty("gatewayUrl");
  }

  @Test
  @DisplayName("A short flash crowd of 2,000 buyers for 100 units passes its assertions and every guarantee")
  void shortFlashCrowdHoldsEveryGuarantee() {
    // every virtual user comes from 127.0.0.1: a per-IP limit would shed them all
    try (LocalServices stack = LocalServices.start(Map.of("SECKILL_RATE_PER_IP", "0"))) {
      SMOKE.forEach(System::setProperty);
      System.setProperty("gatewayUrl", stack.gateway.baseUrl());
      GatlingRun.Outcome outcome = GatlingRun.run(FlashCrowd.class, Path.of("target", "gatling"));
      assertTrue(outcome.passed(), "FlashCrowd failed (Gatling status " + outcome.status()
          + "): a Gatling assertion or a guarantee check failed; see the output above and the report "
          + outcome.report().map(Path::toString).orElse("(none)"));
    }
  }
}
