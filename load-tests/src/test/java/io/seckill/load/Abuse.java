package io.seckill.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.time.Duration;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.uniformRandomSwitch;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * {@code abusers} clients each fire {@code abuserRequests} requests with no pause: purchases
 * with their own valid token far over the per-user rate, forged, expired and unsigned tokens,
 * no token, and malformed bodies. Meanwhile {@code honestUsers} buyers each try to buy one unit,
 * politely retrying a 429 after its Retry-After. The abuse must get 4xx answers only and leave
 * the honest buyers their fair share: every unit the abusers could not hold.
 */
public class Abuse extends SaleSimulation {

  private static final String HONEST = "honest";
  private static final String ABUSER = "abuser";
  private static final List<String> MALFORMED = List.of(
      "{\"quantity\":", "not json", "{\"quantity\":\"one\"}", "{\"quantity\":-1}", "{\"quantity\":0}",
      "{\"quantity\":99999999999}", "[1]", "{\"quantity\":1,\"price\":0}", "{}");

  private final int abusers = Settings.integer("abusers", 5);

  public Abuse() {
    super("abuse", 200, 2, 10, 1000);
    int honestUsers = Settings.integer("honestUsers", 400);
    int abuserRequests = Settings.integer("abuserRequests", 400);

    ScenarioBuilder honest = scenario("honest buyers")
        .exec(signIn(HONEST))
        .exec(session -> session.set("tries", 0))
        .exec(purchase("purchase"))
        .asLongAs(session -> session.contains("status") && session.getInt("status") == 429 && session.getInt("tries") < 5).on(
            pause(Duration.ofSeconds(1))
                .exec(session -> session.set("tries", session.getInt("tries") + 1))
                .exec(purchase("purchase")));

    ScenarioBuilder abuse = scenario("abusers")
        .exec(signIn(ABUSER))
        .exec(session -> session
            .set("forged", tokens.forged(session.getString("user")))
            .set("expired", tokens.expired(session.getString("user")))
            .set("unsigned", tokens.unsigned(session.getString("user"))))
        .repeat(abuserRequests).on(uniformRandomSwitch().on(
            exec(purchase("abuse: spam with own token")),
            exec(attack("abuse: forged token", "Bearer #{forged}", "{\"quantity\":1}", 401)),
            exec(attack("abuse: expired token", "Bearer #{expired}", "{\"quantity\":1}", 401)),
            exec(attack("abuse: unsigned admin token", "Bearer #{unsigned}", "{\"quantity\":1}", 401)),
            exec(attack("abuse: no token", null, "{\"quantity\":1}", 401)),
            malformedBody()));

    setUp(afterWarmUp(
        abuse.injectOpen(atOnceUsers(abusers)),
        honest.injectOpen(rampUsers(honestUsers).during(Duration.ofSeconds(10)))))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details("purchase").responseTime().percentile(99.0).lt(p99Ms));
  }

  private ChainBuilder malformedBody() {
    return exec(session -> session.set("malformed", MALFORMED.get((int) (Math.random() * MALFORMED.size()))))
        .exec(attack("abuse: malformed body", "Bearer #{token}", "#{malformed}", 400));
  }

  /** A request that must be refused with {@code expected} (or shed with 429), never 2xx or 5xx. */
  private ChainBuilder attack(String name, String authorization, String body, int expected) {
    HttpRequestActionBuilder request = http(name).post(sale.purchasePath())
        .header("Content-Type", "application/json")
        .body(StringBody(body))
        .check(status().saveAs("status"), status().in(expected, 429),
            jsonPath("$.code").optional().saveAs("code"));
    if (authorization != null) {
      request = request.header("Authorization", authorization);
    }
    return exec(session -> session.remove("status").remove("code"))
        .exec(request)
        .exec(session -> {
          ledger.answer(name, session.contains("status") ? session.getInt("status") : 0, session.getString("code"));
          return session;
        });
  }

  @Override
  protected void afterGuarantees() {
    long honestUnits = ledger.admittedIn(HONEST);
    long abuserUnits = ledger.admittedIn(ABUSER);
    long abuserCap = (long) abusers * sale.perUserLimit();
    long fairShare = sale.stock() - Math.min(abuserUnits, abuserCap);
    System.out.printf("[seckill] honest buyers got %d units, abusers %d (at most %d allowed)%n",
        honestUnits, abuserUnits, abuserCap);
    require(abuserUnits <= abuserCap, "abusers held at most their per-user limit (" + abuserUnits + " <= " + abuserCap + ")");
    require(honestUnits >= fairShare, "honest buyers got every unit the abusers could not take ("
        + honestUnits + " >= " + fairShare + ")");
  }
}
