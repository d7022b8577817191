package io.seckill.load;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * A constant arrival of {@code rate} new buyers per second for {@code durationSeconds}, above
 * what the gateway admits (its {@code SECKILL_RATE_PER_SALE}). The excess must be shed with 429
 * while the p99 of the admitted (202) purchases stays under {@code admittedP99Ms}.
 */
public class SustainedPeak extends SaleSimulation {

  private final int admittedP99Ms = Settings.integer("admittedP99Ms", 1000);
  private final boolean expectShedding = Boolean.parseBoolean(Settings.text("expectShedding", "true"));
  private final double rate = Settings.decimal("rate", 1000);

  public SustainedPeak() {
    super("peak", 1_000_000, 1, 10, 1000);
    int seconds = Settings.integer("durationSeconds", 60);

    ScenarioBuilder buyers = scenario("sustained peak")
        .exec(signIn("buyer"))
        .exec(purchase("purchase"));

    setUpRun(buyers.injectOpen(constantUsersPerSec(rate).during(Duration.ofSeconds(seconds))));
  }

  @Override
  protected void afterGuarantees() {
    long admitted = ledger.count("202");
    long shed = ledger.count("429 RATE_LIMITED");
    long p99 = ledger.admittedPercentile(99.0);
    System.out.printf("[seckill] arrival %.0f/s: %d admitted, %d shed with 429; admitted p99 %d ms%n",
        rate, admitted, shed, p99);
    require(admitted > 0, "some purchases were admitted");
    require(p99 < admittedP99Ms, "p99 of admitted purchases " + p99 + " ms < " + admittedP99Ms + " ms");
    if (expectShedding) {
      require(shed > 0, shed > 0 ? "the excess was shed with 429 (" + shed + " answers)"
          : "the excess was shed with 429: none seen, the arrival rate " + rate
              + "/s never exceeded the gateway's admission rate; lower SECKILL_RATE_PER_SALE or raise -Drate");
    }
  }
}
