package io.seckill.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What every scenario shares: a fresh sale created in {@code before()}, the purchase / poll /
 * pay steps that record every answer in a {@link RunLedger}, and the guarantee check in
 * {@code after()} that fails the run when a guarantee broke.
 */
abstract class SaleSimulation extends Simulation {

  /** Purchase answers a well-behaved client may get; anything else (5xx above all) is a KO. */
  static final Integer[] PURCHASE_ANSWERS = {202, 409, 429};

  protected final Sale sale;
  /**
   * The sale the warm-up traffic buys out (then hammers, sold out); never checked, never the run's
   * sale. Its answers go to a ledger of their own.
   */
  private final Sale warmUpSale;
  private final RunLedger warmUpLedger = new RunLedger();
  private final int warmUpSeconds = Settings.integer("warmUpSeconds", 10);
  protected final Tokens tokens = Tokens.fromSettings();
  protected final RunLedger ledger = new RunLedger();
  protected final GatewayClient gateway = new GatewayClient(Settings.gatewayUrl());
  protected final HttpProtocolBuilder protocol;
  /** The stated bound on the p99 of purchase answers, in ms (system property {@code p99Ms}). */
  protected final int p99Ms;
  private final Duration settle;
  private final int preOpenConnections;

  SaleSimulation(String salePrefix, int defaultStock, int defaultLimit, int defaultPaymentWindowSeconds,
                 int defaultP99Ms) {
    this(salePrefix, defaultStock, defaultLimit, defaultPaymentWindowSeconds, defaultP99Ms, 0);
  }

  /** {@code powDifficulty}: the sale's proof-of-work bot defence; 0 = none. */
  SaleSimulation(String salePrefix, int defaultStock, int defaultLimit, int defaultPaymentWindowSeconds,
                 int defaultP99Ms, int powDifficulty) {
    this.sale = Sale.openNow(salePrefix, Settings.integer("stock", defaultStock),
        Settings.integer("perUserLimit", defaultLimit),
        Settings.seconds("paymentWindowSeconds", defaultPaymentWindowSeconds)).withProofOfWork(powDifficulty);
    this.warmUpSale = Sale.openNow(salePrefix + "-warmup", Settings.integer("warmUpStock", 300), 1, Duration.ofMinutes(1));
    this.p99Ms = Settings.integer("p99Ms", defaultP99Ms);
    this.settle = sale.paymentWindow().plus(Settings.seconds("settleSeconds", 90));
    // One shared pool, as a load balancer keeps to the gateway. Gatling does not cap it
    // (maxConnectionsPerHost only bounds a virtual user's resource fetches): when answers slowed
    // for a moment, the spike opened ~14,000 connections at once, the gateway's accept queue
    // overflowed (ListenOverflows) and the kernel's 1 s, 3 s, 7 s SYN retries became the
    // measured p99. So the pool is opened before the run (preOpenConnections) and reused.
    this.preOpenConnections = Settings.integer("preOpenConnections", 1000);
    this.protocol = http.baseUrl(gateway.baseUrl()).shareConnections()
        .disableWarmUp()
        .disableCaching()
        .acceptHeader("application/json, application/problem+json")
        .userAgentHeader("seckill-load");
  }

  @Override
  public void before() {
    if (warmUpSeconds > 0) {
      SaleSetup.create(gateway, tokens, warmUpSale);
    }
    SaleSetup.create(gateway, tokens, sale);
  }

  /**
   * The scenario's populations, preceded by {@code warmUpSeconds} of buyers on a separate sale of
   * {@code warmUpStock} units: they buy it out, poll and pay, as the measured buyers will, and the
   * later ones hit the sold-out path. A real sale opens on servers that are already serving; with
   * a sold-out warm-up only, the measured spike's first second ran the reserve, publish, persist
   * and lookup paths of four JVMs cold (p99 0.4-1 s in that second, ms afterwards).
   */
  protected List<PopulationBuilder> afterWarmUp(PopulationBuilder... populations) {
    PopulationBuilder connect = scenario("open connections")
        .exec(http("connect").get("/health/live").check(status().is(200)))
        .injectOpen(atOnceUsers(Math.max(1, preOpenConnections)));
    if (warmUpSeconds <= 0) {
      return List.of(connect.andThen(populations));
    }
    PopulationBuilder warmUp = scenario("warm-up")
        .exec(signIn("warmup"))
        .exec(purchase("warm-up", warmUpSale, warmUpLedger))
        .doIf(session -> session.contains("orderId")).then(
            awaitPersisted(40, "warm-up order").exec(pay(4, "warm-up pay", warmUpLedger)))
        .injectOpen(constantUsersPerSec(Settings.decimal("warmUpRate", 500)).during(Duration.ofSeconds(warmUpSeconds)));
    return List.of(connect.andThen(warmUp).andThen(populations));
  }

  /**
   * The run: {@code populations} after the warm-up ({@link #afterWarmUp}), on the shared protocol,
   * asserting that no request failed and that the p99 of purchase answers stays under {@code p99Ms}.
   */
  protected void setUpRun(PopulationBuilder... populations) {
    setUp(afterWarmUp(populations))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            details("purchase").responseTime().percentile(99.0).lt(p99Ms));
  }

  /**
   * The p99 of the last run's purchase answers in this JVM (nearest rank over every answer, as
   * Gatling's {@code purchase} percentile counts them), for {@code ./seckill bench}, which runs the
   * simulations in-process; -1 before any run.
   */
  static final AtomicLong LAST_PURCHASE_P99_MS = new AtomicLong(-1);

  @Override
  public void after() {
    LAST_PURCHASE_P99_MS.set(ledger.purchasePercentile(99.0));
    System.out.println("[seckill] answers: " + ledger.answers() + "; purchase p99 " + LAST_PURCHASE_P99_MS.get() + " ms");
    GuaranteeCheck.Report report = new GuaranteeCheck(gateway, tokens, Settings.stack())
        .check(sale, ledger, settle)
        .print(System.out);
    report.requireAllHeld();
    afterGuarantees();
  }

  /** Scenario-specific checks after the shared guarantees; throw to fail the run. */
  protected void afterGuarantees() {
  }

  /** A user id unique within this run, from the virtual user's id. */
  protected String userId(String group, Session session) {
    return group + "-" + sale.id().substring(sale.id().length() - 6) + "-" + session.userId();
  }

  /** Gives the virtual user an identity and a valid token. */
  protected ChainBuilder signIn(String group) {
    return exec(session -> {
      String user = userId(group, session);
      return session.set("user", user).set("token", tokens.user(user)).set("group", group);
    });
  }

  /** One purchase of one unit; saves {@code orderId} on 202 and records the answer. */
  protected ChainBuilder purchase(String requestName) {
    return purchase(requestName, sale, ledger);
  }

  private ChainBuilder purchase(String requestName, Sale target, RunLedger record) {
    return purchase(requestName, target, record, null, PURCHASE_ANSWERS);
  }

  /**
   * One purchase of one unit, with the session's {@code #{ticket}} in the {@code Seckill-Ticket}
   * header when {@code ticketed}; {@code answers} are the statuses that are not a KO.
   */
  protected ChainBuilder purchase(String requestName, boolean ticketed, Integer... answers) {
    return purchase(requestName, sale, ledger, ticketed ? "#{ticket}" : null, answers);
  }

  private ChainBuilder purchase(String requestName, Sale target, RunLedger record, String ticket, Integer[] answers) {
    var request = http(requestName).post(target.purchasePath())
        .header("Authorization", "Bearer #{token}");
    if (ticket != null) {
      request = request.header("Seckill-Ticket", ticket);
    }
    return exec(session -> session.remove("orderId").remove("code"))
        .exec(request
            .body(StringBody("{\"quantity\":1}")).asJson()
            .check(
                status().saveAs("status"),
                responseTimeInMillis().saveAs("millis"),
                status().in(answers),
                jsonPath("$.orderId").optional().saveAs("orderId"),
                jsonPath("$.code").optional().saveAs("code")))
        .exec(session -> {
          record.purchase(session.getString("group"), session.getString("user"),
              session.contains("status") ? session.getInt("status") : 0,
              session.getString("orderId"), session.getString("code"),
              session.contains("millis") ? session.getInt("millis") : 0);
          return session;
        });
  }

  /** Polls the order until MySQL holds it (AWAITING_PAYMENT or later), at most {@code maxPolls} times. */
  protected ChainBuilder awaitPersisted(int maxPolls) {
    return awaitPersisted(maxPolls, "order");
  }

  private ChainBuilder awaitPersisted(int maxPolls, String requestName) {
    return exec(session -> session.set("orderStatus", "RESERVED"))
        .asLongAs(session -> "RESERVED".equals(session.getString("orderStatus")), "polls").on(
            pause(Duration.ofMillis(250))
                .exec(http(requestName).get("/api/orders/#{orderId}")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().is(200), jsonPath("$.status").saveAs("orderStatus")))
                .exec(session -> session.getInt("polls") + 1 >= maxPolls
                    ? session.set("orderStatus", "GAVE_UP") : session));
  }

  /** Pays the order, retrying while the gateway answers ORDER_NOT_READY; records a confirmed payment. */
  protected ChainBuilder pay(int maxTries) {
    return pay(maxTries, "pay", ledger);
  }

  private ChainBuilder pay(int maxTries, String requestName, RunLedger record) {
    return exec(session -> session.set("payCode", "ORDER_NOT_READY"))
        .asLongAs(session -> "ORDER_NOT_READY".equals(session.getString("payCode")), "payTries").on(
            doIf(session -> session.getInt("payTries") > 0).then(pause(Duration.ofMillis(250)))
                .exec(session -> session.remove("payCode").remove("payStatus"))
                .exec(http(requestName).post("/api/orders/#{orderId}/pay")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().saveAs("payStatus"), status().in(200, 409),
                        jsonPath("$.code").optional().saveAs("payCode")))
                .exec(session -> {
                  int status = session.contains("payStatus") ? session.getInt("payStatus") : 0;
                  record.answer("pay", status, session.getString("payCode"));
                  if (status == 200) {
                    record.paid(session.getString("orderId"));
                  }
                  return session.getInt("payTries") + 1 >= maxTries && "ORDER_NOT_READY".equals(session.getString("payCode"))
                      ? session.set("payCode", "GAVE_UP") : session;
                }));
  }

  /** Fails the run with {@code message} unless {@code condition} holds. */
  protected static void require(boolean condition, String message) {
    System.out.println("[seckill] " + (condition ? "OK   " : "FAIL ") + message);
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
