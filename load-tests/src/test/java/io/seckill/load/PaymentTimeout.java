package io.seckill.load;

import io.gatling.javaapi.core.ScenarioBuilder;

import java.time.Duration;
import java.util.Set;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * A first wave buys all {@code stock} units and never pays. When their payment window
 * ({@code paymentWindowSeconds}) has passed, the orders must be cancelled and the units come
 * back; a second wave of as many buyers, retrying on SOLD_OUT, must then buy and pay every one.
 */
public class PaymentTimeout extends SaleSimulation {

  private static final String FIRST = "first";
  private static final String SECOND = "second";

  public PaymentTimeout() {
    super("timeout", 100, 1, 5, 1000);
    int stock = sale.stock();
    int retrySeconds = Settings.integer("secondWaveRetrySeconds", 60);

    ScenarioBuilder firstWave = scenario("first wave (never pays)")
        .exec(signIn(FIRST))
        .exec(purchase("purchase"))
        .doIf(session -> session.contains("orderId")).then(awaitPersisted(120));

    // Units come back asynchronously (timer message, cancellation, release), so a second-wave
    // buyer keeps trying at a polite pace until it is admitted or the retry budget is spent.
    int maxAttempts = retrySeconds * 2;
    ScenarioBuilder secondWave = scenario("second wave (buys the returned units)")
        .exec(signIn(SECOND))
        .exec(session -> session.set("bought", false))
        .asLongAs(session -> !session.getBoolean("bought"), "attempts").on(
            doIf(session -> session.getInt("attempts") > 0).then(pause(Duration.ofMillis(500)))
                .exec(purchase("purchase"))
                .exec(session -> session.set("bought", session.contains("orderId")
                    || session.getInt("attempts") + 1 >= maxAttempts)))
        .doIf(session -> session.contains("orderId")).then(
            awaitPersisted(120)
                .doIf(session -> "AWAITING_PAYMENT".equals(session.getString("orderStatus"))).then(pay(40)));

    Duration secondWaveAt = sale.paymentWindow().plusSeconds(2);
    setUpRun(
        firstWave.injectOpen(rampUsers(stock).during(Duration.ofSeconds(2))),
        secondWave.injectOpen(nothingFor(secondWaveAt), rampUsers(stock).during(Duration.ofSeconds(2))));
  }

  @Override
  protected void afterGuarantees() {
    long first = ledger.admittedIn(FIRST);
    long second = ledger.admittedIn(SECOND);
    Set<String> secondIds = ledger.admittedIdsIn(SECOND);
    long secondPaid = ledger.paid().stream().filter(secondIds::contains).count();
    System.out.printf("[seckill] first wave held %d units and let them expire; second wave bought %d, paid %d%n",
        first, second, secondPaid);
    require(first == sale.stock(), "the first wave bought all " + sale.stock() + " units (" + first + ")");
    require(second == first, "the second wave bought every returned unit (" + second + " of " + first + ")");
    require(secondPaid == second, "the second wave paid for all its orders (" + secondPaid + " of " + second + ")");
  }
}
