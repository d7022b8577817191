package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.gateway.support.Tokens;
import io.seckill.testkit.Poll;
import io.seckill.testkit.PowSolver;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof-of-work bot defence against the real stack: a sale created with it, the challenge,
 * the ticket and the purchase, and every refusal with its status and code. A second gateway
 * replica with the same secret and 5-second lifetimes shows that a solution is accepted once
 * across replicas and that challenges and tickets expire.
 */
class BotDefenseIT {

  private static final int CHALLENGES_PER_USER = 6;
  private static final Map<String, String> GATEWAY_ENV = Map.of("SECKILL_RATE_PER_IP", "0", "SECKILL_RATE_PER_USER", "50",
      "SECKILL_RATE_CHALLENGES_PER_USER", Integer.toString(CHALLENGES_PER_USER));
  private static final int DIFFICULTY = 5_000;
  private static Stack stack;
  private static Api api;
  private static ServiceProcess shortLived;
  private static Api replica;
  private static Tokens tokens;
  private static String admin;

  @BeforeAll
  static void startStack() {
    stack = Stack.start(GATEWAY_ENV);
    api = stack.api();
    tokens = stack.tokens;
    admin = tokens.admin("bots-admin");
    Map<String, String> env = new java.util.HashMap<>(GATEWAY_ENV);
    env.put("SECKILL_POW_CHALLENGE_TTL_SECONDS", "5");
    env.put("SECKILL_POW_TICKET_TTL_SECONDS", "5");
    shortLived = Stack.startGateway(stack.local, stack.stock.baseUrl(), stack.order.baseUrl(), env);
    replica = new Api(shortLived);
  }

  @AfterAll
  static void stopStack() {
    if (shortLived != null) {
      shortLived.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private static JsonObject pow(int difficulty) {
    return new JsonObject().put("type", "proof-of-work").put("difficulty", difficulty);
  }

  private static String defendedSale(int stock, Instant startsAt) {
    String id = Api.uniqueId("bots");
    // an hour after the start, whenever that is (a start an hour away must not end as it starts)
    api.createSale(admin, Api.sale(id, stock, 1, startsAt, startsAt.plusSeconds(3600), Duration.ofMinutes(5))
        .put("botDefense", pow(DIFFICULTY)));
    // the other replica learns the sale from its catalog refresh
    Poll.await(Duration.ofSeconds(30), "the replica knows " + id,
        () -> replica.post("/api/sales/" + id + "/challenge", tokens.user("probe"), null).status() != 404);
    return id;
  }

  private static Answer challenge(Api via, String sale, String token) {
    return via.post("/api/sales/" + sale + "/challenge", token, null);
  }

  private static String solved(Answer challenge) {
    assertEquals(200, challenge.status(), challenge.text());
    String payload = PowSolver.solveJson(challenge.text(), Long.MAX_VALUE);
    assertNotNull(payload, "the solver finds the number");
    return payload;
  }

  private static Answer ticket(Api via, String sale, String token, String payload) {
    return via.post("/api/sales/" + sale + "/ticket", token, payload);
  }

  private static String ticketFor(Api via, String sale, String token) {
    Answer answer = ticket(via, sale, token, solved(challenge(via, sale, token)));
    assertEquals(200, answer.status(), answer.text());
    return answer.json().getString("ticket");
  }

  private static Answer purchase(Api via, String sale, String token, String ticket) {
    return via.send("POST", "/api/sales/" + sale + "/purchase", token, "{\"quantity\":1}",
        ticket == null ? Map.of() : Map.of("Seckill-Ticket", ticket));
  }

  private static long available(String sale) {
    Answer answer = api.get("/admin/sales/" + sale, admin);
    assertEquals(200, answer.status(), answer.text());
    return answer.json().getLong("available");
  }

  private static void problem(Answer answer, int status, String code) {
    assertAll(answer.text(),
        () -> assertEquals(status, answer.status()),
        () -> assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType()),
        () -> assertEquals(code, answer.code()),
        () -> assertNotNull(answer.json().getString("detail")));
  }

  @Test
  @DisplayName("The admin API takes, validates and shows botDefense; absent means none")
  void adminApiTakesValidatesAndShowsTheDefence() {
    String sale = defendedSale(5, Instant.now().minusSeconds(1));
    assertEquals(pow(DIFFICULTY), api.get("/admin/sales/" + sale, admin).json().getJsonObject("botDefense"));

    String plain = Api.uniqueId("bots-plain");
    Instant now = Instant.now();
    api.createSale(admin, Api.sale(plain, 5, 1, now, now.plusSeconds(3600), Duration.ofMinutes(5)));
    assertEquals(new JsonObject().put("type", "none"), api.get("/admin/sales/" + plain, admin).json().getJsonObject("botDefense"));
    problem(challenge(api, plain, tokens.user("carol")), 409, "NO_BOT_DEFENSE");
    assertEquals(202, purchase(api, plain, tokens.user("carol"), null).status(), "a sale without defence needs no ticket");

    for (Object bad : new Object[] {"proof-of-work", new JsonObject().put("type", "captcha"), pow(999), pow(10_000_001),
        new JsonObject().put("type", "proof-of-work"), pow(5_000).put("algorithm", "SHA-1"),
        new JsonObject().put("type", "none").put("difficulty", 5_000)}) {
      String id = Api.uniqueId("bots-bad");
      JsonObject body = Api.sale(id, 5, 1, now, now.plusSeconds(3600), Duration.ofMinutes(5)).put("botDefense", bad);
      problem(api.post("/admin/sales", admin, body.encode()), 400, "BAD_REQUEST");
      problem(api.get("/admin/sales/" + id, admin), 404, "SALE_NOT_FOUND");
    }
  }

  @Test
  @DisplayName("Challenge, solve, ticket, purchase; a ticket is good at every replica and for retries")
  void aSolvedChallengeBuysAUnit() {
    String sale = defendedSale(5, Instant.now().minusSeconds(1));
    String alice = tokens.user("alice");
    Answer challenge = challenge(api, sale, alice);
    assertEquals(DIFFICULTY, challenge.json().getInteger("maxnumber"));
    Answer ticket = ticket(api, sale, alice, solved(challenge));
    assertEquals(200, ticket.status(), ticket.text());
    assertTrue(Instant.parse(ticket.json().getString("expiresAt")).isAfter(Instant.now()));
    String t = ticket.json().getString("ticket");
    Answer bought = purchase(replica, sale, alice, t);
    assertEquals(202, bought.status(), "another replica takes the ticket: " + bought.text());
    problem(purchase(api, sale, alice, t), 409, "LIMIT_EXCEEDED");
    assertEquals(4, available(sale));
  }

  @Test
  @DisplayName("Refused: a challenge before startsAt, a purchase without a ticket, a forged ticket, bad input; nothing changes")
  void refusalsBeforeTheStartAndWithoutATicket() {
    String later = defendedSale(5, Instant.now().plusSeconds(3600));
    problem(challenge(api, later, tokens.user("dave")), 409, "SALE_NOT_STARTED");

    String sale = defendedSale(5, Instant.now().minusSeconds(1));
    String dave = tokens.user("dave");
    problem(purchase(api, sale, dave, null), 403, "TICKET_REQUIRED");
    problem(purchase(api, sale, dave, "not-a-ticket"), 403, "TICKET_INVALID");
    problem(purchase(api, sale, dave, "99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 403, "TICKET_INVALID");

    String payload = solved(challenge(api, sale, dave));
    JsonObject good = new JsonObject(payload);
    for (String bad : new String[] {"", "[]", "{", "{}", good.copy().put("extra", 1).encode(),
        good.copy().put("number", -1).encode(), good.copy().put("number", "1").encode(),
        good.copy().put("challenge", "XYZ").encode(), good.copy().put("salt", "s".repeat(600)).encode()}) {
      problem(ticket(api, sale, dave, bad), 400, "BAD_REQUEST");
    }
    problem(api.post("/api/sales/bad%20id/challenge", dave, null), 400, "BAD_REQUEST");
    problem(challenge(api, Api.uniqueId("none"), dave), 404, "SALE_NOT_FOUND");
    problem(ticket(api, sale, dave, good.copy().put("number", good.getLong("number") + 1).encode()), 403,
        "SOLUTION_INVALID");
    assertEquals(5, available(sale), "no refusal took a unit");
    assertEquals(200, ticket(api, sale, dave, payload).status(), "no refusal used the solution up");
  }

  @Test
  @DisplayName("Refused: a reused solution (also at another replica), another user's or sale's solution and ticket")
  void solutionsAndTicketsAreBoundAndUsedOnce() {
    String sale = defendedSale(5, Instant.now().minusSeconds(1));
    String other = defendedSale(5, Instant.now().minusSeconds(1));
    String erin = tokens.user("erin");
    String frank = tokens.user("frank");

    String payload = solved(challenge(api, sale, erin));
    problem(ticket(api, sale, frank, payload), 403, "SOLUTION_INVALID");
    problem(ticket(api, other, erin, payload), 403, "SOLUTION_INVALID");
    Answer first = ticket(api, sale, erin, payload);
    assertEquals(200, first.status(), first.text());
    problem(ticket(api, sale, erin, payload), 403, "SOLUTION_USED");
    problem(ticket(replica, sale, erin, payload), 403, "SOLUTION_USED");

    String erinsTicket = first.json().getString("ticket");
    problem(purchase(api, sale, frank, erinsTicket), 403, "TICKET_INVALID");
    problem(purchase(api, other, erin, erinsTicket), 403, "TICKET_INVALID");
    assertEquals(5, available(sale));
    assertEquals(5, available(other));
  }

  @Test
  @DisplayName("Refused: an expired challenge and an expired ticket (5-second lifetimes)")
  void challengesAndTicketsExpire() {
    String sale = defendedSale(5, Instant.now().minusSeconds(1));
    String gina = tokens.user("gina");
    String payload = solved(challenge(replica, sale, gina));
    long expires = expiresOf(new JsonObject(payload).getString("salt"));
    Poll.await(Duration.ofSeconds(15), "the challenge's expiry has passed",
        () -> Instant.now().getEpochSecond() > expires);
    problem(ticket(replica, sale, gina, payload), 403, "SOLUTION_INVALID");

    Answer ticket = ticket(replica, sale, gina, solved(challenge(replica, sale, gina)));
    assertEquals(200, ticket.status(), ticket.text());
    Instant ticketExpires = Instant.parse(ticket.json().getString("expiresAt"));
    Poll.await(Duration.ofSeconds(15), "the ticket's expiry has passed", () -> !Instant.now().isBefore(ticketExpires));
    Answer late = purchase(replica, sale, gina, ticket.json().getString("ticket"));
    problem(late, 403, "TICKET_INVALID");
    assertTrue(late.json().getString("detail").contains("expired"), late.text());
    assertEquals(5, available(sale));
  }

  @Test
  @DisplayName("A sold-out defended sale answers SOLD_OUT before asking for a ticket or serving a challenge")
  void soldOutComesBeforeTheTicket() {
    String sale = defendedSale(1, Instant.now().minusSeconds(1));
    assertEquals(202, purchase(api, sale, tokens.user("hank"), ticketFor(api, sale, tokens.user("hank"))).status());
    String ivy = tokens.user("ivy");
    problem(purchase(api, sale, ivy, ticketFor(api, sale, ivy)), 409, "SOLD_OUT");
    problem(purchase(api, sale, ivy, null), 409, "SOLD_OUT");
    problem(challenge(api, sale, ivy), 409, "SOLD_OUT");
  }

  @Test
  @DisplayName("A sale restored after Redis lost it keeps its defence")
  void restoreKeepsTheDefence() throws Exception {
    String sale = defendedSale(3, Instant.now().minusSeconds(1));
    stack.forgetSaleInRedis(sale);
    Answer restored = api.restore(sale, admin);
    assertEquals(201, restored.status(), restored.text());
    assertEquals(pow(DIFFICULTY), restored.json().getJsonObject("botDefense"), restored.text());
    assertEquals(pow(DIFFICULTY), api.get("/admin/sales/" + sale, admin).json().getJsonObject("botDefense"));
    problem(purchase(api, sale, tokens.user("jack"), null), 403, "TICKET_REQUIRED");
    assertEquals(202, purchase(api, sale, tokens.user("jack"), ticketFor(api, sale, tokens.user("jack"))).status());
  }

  @Test
  @DisplayName("One user's flood of challenges or ticket trades is refused with 429 and Retry-After; others are served")
  void challengesAndTicketsAreRateLimitedPerUser() {
    String sale = defendedSale(5, Instant.now().minusSeconds(1));
    String kate = tokens.user("kate");
    // Twenty at once: well over kate's bucket, however slow the machine is.
    List<Answer> challenges = atOnce(20, () -> challenge(api, sale, kate));
    long served = challenges.stream().filter(a -> a.status() == 200).count();
    Answer limited = challenges.stream().filter(a -> a.status() == 429).findFirst()
        .orElseThrow(() -> new AssertionError("no 429 among " + challenges));
    problem(limited, 429, "RATE_LIMITED");
    assertTrue(Integer.parseInt(limited.retryAfter()) >= 1, "Retry-After: " + limited.retryAfter());
    assertTrue(served >= 1 && challenges.stream().allMatch(a -> a.status() == 200 || a.status() == 429),
        "each challenge served or refused for the rate: " + challenges);
    assertEquals(200, challenge(api, sale, tokens.user("liam")).status(), "another user's bucket is untouched");

    // One solution of mia's (one token of her bucket) traded twenty times at once: the bucket
    // refuses some before any hashing, exactly one gets the ticket, the rest find the solution used.
    String mia = tokens.user("mia");
    String payload = solved(challenge(api, sale, mia));
    List<Answer> trades = atOnce(20, () -> ticket(api, sale, mia, payload));
    assertEquals(1, trades.stream().filter(a -> a.status() == 200).count(), trades.toString());
    assertTrue(trades.stream().anyMatch(a -> a.status() == 429), "no 429 among " + trades);
    assertTrue(trades.stream().allMatch(a -> a.status() == 200 || a.status() == 429
        || "SOLUTION_USED".equals(a.code())), trades.toString());
    assertEquals(5, available(sale), "no refusal took a unit");
  }

  private static List<Answer> atOnce(int count, Supplier<Answer> request) {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<CompletableFuture<Answer>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(CompletableFuture.supplyAsync(request, pool));
      }
      return sent.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdownNow();
    }
  }

  private static long expiresOf(String salt) {
    Matcher m = Pattern.compile("expires=(\\d+)").matcher(salt);
    assertTrue(m.find(), salt);
    return Long.parseLong(m.group(1));
  }
}
