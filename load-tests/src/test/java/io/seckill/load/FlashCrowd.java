package io.seckill.load;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;

/**
 * A sale of {@code stock} units opens and {@code users} buyers arrive in a spike over
 * {@code spikeSeconds}. Each tries to buy one unit, polls its order until it is persisted and
 * pays with probability {@code payProbability}; the rest let their payment window run out.
 */
public class FlashCrowd extends SaleSimulation {

  public FlashCrowd() {
    super("flash", 500, 1, 20, 2000);
    int users = Settings.integer("users", 20_000);
    int spikeSeconds = Settings.integer("spikeSeconds", 10);
    double payProbability = Settings.decimal("payProbability", 0.5);

    ScenarioBuilder buyers = scenario("flash crowd")
        .exec(signIn("buyer"))
        .exec(purchase("purchase"))
        .doIf(session -> session.contains("orderId")).then(
            awaitPersisted(120)
                .doIf(session -> "AWAITING_PAYMENT".equals(session.getString("orderStatus"))
                    && ThreadLocalRandom.current().nextDouble() < payProbability)
                .then(pay(40)));

    setUpRun(buyers.injectOpen(stressPeakUsers(users).during(Duration.ofSeconds(spikeSeconds))));
  }
}
