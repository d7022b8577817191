package io.seckill.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import io.seckill.testkit.PowSolver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
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
 *
 * <p>A bot farm of {@code bots} accounts (each with a valid token) fires {@code botRequests}
 * purchases each the moment the sale opens. With {@code powDifficulty} &gt; 0 the sale has
 * proof-of-work bot defence: honest buyers ask for a challenge, solve it in full (the median solve
 * time is reported), trade it for a ticket and buy with it; half the farm never solves (no ticket,
 * or a made-up one) and the other half searches only {@code botBudget} numbers per challenge
 * before giving up. With {@code powDifficulty=0} the same farm simply buys. Either way honest buyers
 * must get every unit the bots and abusers could not take, and with the defence the farm that
 * never solves gets nothing.
 */
public class Abuse extends SaleSimulation {

  private static final String HONEST = "honest";
  private static final String ABUSER = "abuser";
  private static final String BOT = "bot";
  private static final String BOT_SOLVER = "bot-lowbudget";
  private static final Integer[] DEFENDED_ANSWERS = {202, 403, 409, 429};
  /**
   * A purchase without a valid token: 401, or 409 SOLD_OUT once the gateway has flagged the sale
   * sold out (an un-keyed purchase of a sold-out sale is answered before its token is checked; a
   * 409 with any other code fails the run in {@link #afterGuarantees}), or shed with 429.
   */
  private static final Integer[] BAD_TOKEN_ANSWERS = {401, 409, 429};
  private static final List<String> BAD_TOKEN_ATTACKS = List.of("abuse: forged token", "abuse: expired token",
      "abuse: unsigned admin token", "abuse: no token");
  // An honest buyer asks for one challenge and one ticket, far inside its own bucket for them; a
  // bot trying ten times as fast as it can meets that bucket (429).
  private static final Integer[] HONEST_CHALLENGE = {200, 409};
  private static final Integer[] BOT_CHALLENGE = {200, 409, 429};
  private static final Integer[] HONEST_TICKET = {200};
  private static final Integer[] BOT_TICKET = {200, 429};
  private static final List<String> MALFORMED = List.of(
      "{\"quantity\":", "not json", "{\"quantity\":\"one\"}", "{\"quantity\":-1}", "{\"quantity\":0}",
      "{\"quantity\":99999999999}", "[1]", "{\"quantity\":1,\"price\":0}", "{}");

  private final int abusers = Settings.integer("abusers", 5);
  private final int bots = Settings.integer("bots", 100);
  private final int difficulty;
  private final int botBudget;
  private final ConcurrentLinkedQueue<Long> solveMillis = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> solveTries = new ConcurrentLinkedQueue<>();
  /** The clients' CPU: solves run here, off Gatling's event loops (one thread per core of this machine). */
  private final ExecutorService solvers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());

  public Abuse() {
    super("abuse", 200, 2, 10, 1000, Settings.integer("powDifficulty", 50_000));
    this.difficulty = sale.powDifficulty();
    this.botBudget = Settings.integer("botBudget", Math.max(1, difficulty / 20));
    int honestUsers = Settings.integer("honestUsers", 400);
    int abuserRequests = Settings.integer("abuserRequests", 400);
    int botRequests = Settings.integer("botRequests", 10);
    boolean defended = difficulty > 0;

    ChainBuilder honestTry = defended ? solveAndBuy(HONEST, "purchase", Long.MAX_VALUE) : purchase("purchase");
    ScenarioBuilder honest = scenario("honest buyers")
        .exec(signIn(HONEST))
        .exec(session -> session.set("tries", 0))
        .exec(honestTry)
        .asLongAs(session -> session.contains("status") && session.getInt("status") == 429 && session.getInt("tries") < 5).on(
            pause(Duration.ofSeconds(1))
                .exec(session -> session.set("tries", session.getInt("tries") + 1))
                .exec(defended ? purchase("purchase", true, PURCHASE_ANSWERS) : purchase("purchase")));

    // the farm that never solves: no ticket, or one it made up
    ScenarioBuilder farm = scenario("bot farm")
        .exec(signIn(BOT))
        .exec(session -> session.set("ticket", "9999999999.bm90LWEtdGlja2V0LWJ1dC1pdC1pcy00My1jaGFycy1sb25n"))
        .repeat(botRequests).on(defended
            ? uniformRandomSwitch().on(purchase("bot: no ticket", false, DEFENDED_ANSWERS),
                purchase("bot: made-up ticket", true, DEFENDED_ANSWERS))
            : purchase("bot: purchase", false, PURCHASE_ANSWERS));
    // the farm that solves on a small budget (with no defence it is the same farm again)
    ScenarioBuilder lowBudget = scenario("bot farm, low budget")
        .exec(signIn(BOT_SOLVER))
        .repeat(botRequests).on(defended
            ? solveAndBuy(BOT_SOLVER, "bot: low-budget purchase", botBudget)
            : purchase("bot: purchase", false, PURCHASE_ANSWERS));

    ScenarioBuilder abuse = scenario("abusers")
        .exec(signIn(ABUSER))
        .exec(session -> session
            .set("forged", tokens.forged(session.getString("user")))
            .set("expired", tokens.expired(session.getString("user")))
            .set("unsigned", tokens.unsigned(session.getString("user"))))
        .repeat(abuserRequests).on(uniformRandomSwitch().on(
            exec(defended ? purchase("abuse: spam with own token", false, DEFENDED_ANSWERS)
                : purchase("abuse: spam with own token")),
            exec(attack("abuse: forged token", "Bearer #{forged}", "{\"quantity\":1}", BAD_TOKEN_ANSWERS)),
            exec(attack("abuse: expired token", "Bearer #{expired}", "{\"quantity\":1}", BAD_TOKEN_ANSWERS)),
            exec(attack("abuse: unsigned admin token", "Bearer #{unsigned}", "{\"quantity\":1}", BAD_TOKEN_ANSWERS)),
            exec(attack("abuse: no token", null, "{\"quantity\":1}", BAD_TOKEN_ANSWERS)),
            malformedBody()));

    setUpRun(
        abuse.injectOpen(atOnceUsers(abusers)),
        farm.injectOpen(atOnceUsers(bots / 2)),
        lowBudget.injectOpen(atOnceUsers(bots - bots / 2)),
        honest.injectOpen(rampUsers(honestUsers).during(Duration.ofSeconds(10))));
  }

  /**
   * Challenge, solve (searching at most {@code budget} numbers), ticket, purchase with it. A
   * solver out of budget, or a challenge refused (sold out), ends the try without a purchase;
   * the purchase's answer is then left as the challenge's.
   */
  private ChainBuilder solveAndBuy(String group, String purchaseName, long budget) {
    boolean honest = group.equals(HONEST);
    return exec(session -> session.remove("challengeJson").remove("solution").remove("ticket").remove("status"))
        .exec(http(group + ": challenge").post(sale.challengePath())
            .header("Authorization", "Bearer #{token}")
            .check(status().saveAs("status"), status().in(honest ? HONEST_CHALLENGE : BOT_CHALLENGE),
                bodyString().saveAs("challengeJson")))
        .doIf(session -> session.contains("status") && session.getInt("status") == 200).then(
            // Solving is a client's CPU, not the load generator's: it runs on a pool of its own while
            // the virtual user waits, so Gatling's event loops keep timing the other requests.
            exec(session -> session.set("solving",
                CompletableFuture.supplyAsync(() -> solve(group, session.getString("challengeJson"), budget), solvers)))
            .asLongAs(session -> !((CompletableFuture<?>) session.get("solving")).isDone()).on(pause(Duration.ofMillis(5)))
            .exec(session -> {
              String solution = (String) ((CompletableFuture<?>) session.get("solving")).join();
              Session done = session.remove("solving");
              return solution == null ? done.set("status", 0) : done.set("solution", solution);
            })
            .doIf(session -> session.contains("solution")).then(
                exec(http(group + ": ticket").post(sale.ticketPath())
                    .header("Authorization", "Bearer #{token}")
                    .body(StringBody("#{solution}")).asJson()
                    .check(status().saveAs("status"), status().in(honest ? HONEST_TICKET : BOT_TICKET),
                        jsonPath("$.ticket").optional().saveAs("ticket")))
                .doIf(session -> session.contains("ticket")).then(
                    exec(purchase(purchaseName, true, honest ? PURCHASE_ANSWERS : DEFENDED_ANSWERS)))));
  }

  private String solve(String group, String challengeJson, long budget) {
    long start = System.nanoTime();
    String solution = PowSolver.solveJson(challengeJson, budget);
    if (HONEST.equals(group) && solution != null) {
      solveMillis.add((System.nanoTime() - start) / 1_000_000);
      solveTries.add(numberOf(solution) + 1);
    }
    return solution;
  }

  @Override
  public void after() {
    solvers.shutdownNow();
    super.after();
  }

  private static long numberOf(String payload) {
    Matcher m = Pattern.compile("\"number\":(\\d+)").matcher(payload);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private ChainBuilder malformedBody() {
    return exec(session -> session.set("malformed", MALFORMED.get((int) (Math.random() * MALFORMED.size()))))
        .exec(attack("abuse: malformed body", "Bearer #{token}", "#{malformed}", 400, 429));
  }

  /** A request that must be refused with one of {@code answers}, never 2xx or 5xx. */
  private ChainBuilder attack(String name, String authorization, String body, Integer... answers) {
    HttpRequestActionBuilder request = http(name).post(sale.purchasePath())
        .header("Content-Type", "application/json")
        .body(StringBody(body))
        .check(status().saveAs("status"), status().in(answers),
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
    long farmUnits = ledger.admittedIn(BOT);
    long lowBudgetUnits = ledger.admittedIn(BOT_SOLVER);
    long abuserCap = (long) abusers * sale.perUserLimit();
    long fairShare = sale.stock() - Math.min(abuserUnits, abuserCap) - farmUnits - lowBudgetUnits;
    System.out.printf("[seckill] defence %s; honest buyers got %d units, abusers %d (at most %d allowed),"
            + " bot farm %d, low-budget bots %d%n", difficulty > 0 ? "proof-of-work, difficulty " + difficulty
            + ", bot budget " + botBudget : "none", honestUnits, abuserUnits, abuserCap, farmUnits, lowBudgetUnits);
    if (difficulty > 0) {
      long[] millis = solveMillis.stream().mapToLong(Long::longValue).sorted().toArray();
      long[] tries = solveTries.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("[seckill] honest solves: %d, median %d ms (p90 %d ms, max %d ms), median %d hashes%n",
          millis.length, RunLedger.percentileOf(millis, 50), RunLedger.percentileOf(millis, 90),
          millis.length == 0 ? 0 : millis[millis.length - 1], RunLedger.percentileOf(tries, 50));
      printGatewayCost();
      require(farmUnits == 0, "the bot farm that never solves got no unit (" + farmUnits + ")");
    }
    List<String> wrongNo = ledger.answers().keySet().stream()
        .filter(label -> BAD_TOKEN_ATTACKS.stream().anyMatch(attack -> label.startsWith(attack + " 409"))
            && !label.endsWith(" 409 SOLD_OUT"))
        .toList();
    require(wrongNo.isEmpty(), "a request without a valid token was refused 409 only as SOLD_OUT (" + wrongNo + ")");
    require(abuserUnits <= abuserCap, "abusers held at most their per-user limit (" + abuserUnits + " <= " + abuserCap + ")");
    require(honestUnits >= fairShare, "honest buyers got every unit the bots and abusers could not take ("
        + honestUnits + " >= " + fairShare + ")");
  }

  /**
   * The gateway's own mean time per ticket trade (verify the solution, mark it used in Redis through
   * stock-service, sign the ticket) and per purchase, from its request-latency metrics. The cost of
   * one ticket check alone is measured by {@code gateway/.../bench/BotDefenseCost}.
   */
  private void printGatewayCost() {
    String port = System.getenv().getOrDefault("SECKILL_GATEWAY_MANAGEMENT_PORT", "9080");
    try {
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String route : new String[] {"/api/sales/:id/challenge", "/api/sales/:id/ticket", "/api/sales/:id/purchase"}) {
        double sum = metric(text, "seckill_gateway_request_latency_seconds_sum", route);
        double count = metric(text, "seckill_gateway_request_latency_seconds_count", route);
        System.out.printf("[seckill] gateway %s: %.0f answers, mean %.3f ms (whole run, every sale)%n", route, count,
            count == 0 ? 0 : sum / count * 1000);
      }
    } catch (Exception e) {
      System.out.println("[seckill] gateway metrics not read: " + e);
    }
  }

  private static double metric(String text, String name, String route) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains("route=\"" + route + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
