package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.gateway.support.Tokens;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error of the public API table, produced over HTTP against the real stack with its exact
 * status and code, and a table of malformed requests that each get a 4xx problem and change nothing.
 */
class PublicApiErrorsIT {

  /** Every client here is 127.0.0.1; 5 purchases per user per second. */
  private static final Map<String, String> GATEWAY_ENV = Map.of("SECKILL_RATE_PER_IP", "0", "SECKILL_RATE_PER_USER", "5");
  private static Stack stack;
  private static Api api;
  private static Tokens tokens;
  private static String admin;

  @BeforeAll
  static void startStack() {
    stack = Stack.start(GATEWAY_ENV);
    api = stack.api();
    tokens = stack.tokens;
    admin = tokens.admin("errors-admin");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String openSale(int stock, int perUserLimit, Duration paymentWindow) {
    String id = Api.uniqueId("err");
    api.createSale(admin, Api.openSale(id, stock, perUserLimit, paymentWindow));
    return id;
  }

  private static void problem(Answer answer, int status, String code) {
    assertAll(answer.text(),
        () -> assertEquals(status, answer.status()),
        () -> assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType()),
        () -> assertEquals(code, answer.code()),
        () -> assertEquals(status, answer.json().getInteger("status")),
        () -> assertNotNull(answer.json().getString("type")),
        () -> assertNotNull(answer.json().getString("title")),
        () -> assertNotNull(answer.json().getString("detail")));
  }

  @Test
  @DisplayName("Admin routes answer 201, 400, 401, 403, 409 SALE_EXISTS and 404 SALE_NOT_FOUND")
  void adminErrors() {
    String id = Api.uniqueId("adm");
    JsonObject sale = Api.openSale(id, 10, 2, Duration.ofMinutes(5));
    Answer created = api.post("/admin/sales", admin, sale.encode());
    assertEquals(201, created.status(), created.text());
    assertEquals(id, created.json().getString("id"));
    problem(api.post("/admin/sales", admin, sale.encode()), 409, "SALE_EXISTS");
    problem(api.post("/admin/sales", admin, sale.copy().put("stock", 11).encode()), 409, "SALE_EXISTS");
    problem(api.post("/admin/sales", admin, sale.copy().put("stock", "ten").encode()), 400, "BAD_REQUEST");
    problem(api.post("/admin/sales", null, sale.encode()), 401, "UNAUTHORIZED");
    problem(api.post("/admin/sales", tokens.user("not-an-admin"), sale.encode()), 403, "FORBIDDEN");
    problem(api.get("/admin/sales/" + id, tokens.user("not-an-admin")), 403, "FORBIDDEN");
    problem(api.get("/admin/sales/" + Api.uniqueId("missing"), admin), 404, "SALE_NOT_FOUND");
    Answer view = api.get("/admin/sales/" + id, admin);
    assertEquals(200, view.status(), view.text());
    JsonObject stats = view.json();
    assertEquals(10, stats.getInteger("stock"));
    assertEquals(10, stats.getInteger("available"));
    assertEquals(0, stats.getInteger("reserved"));
    assertEquals(0, stats.getInteger("awaitingPayment"));
    assertEquals(0, stats.getInteger("paid"));
    assertEquals(0, stats.getInteger("cancelled"));
    assertNotNull(stats.getValue("reconciliation"), stats.encode());
  }

  @Test
  @DisplayName("Purchases answer 202 and every purchase error: 404, 409 SOLD_OUT / LIMIT_EXCEEDED / SALE_NOT_STARTED / SALE_ENDED, 429 with Retry-After, 400, 401")
  void purchaseErrors() {
    String single = openSale(1, 1, Duration.ofMinutes(5));
    Answer bought = api.purchase(single, tokens.user("pe-alice"), 1, null);
    assertEquals(202, bought.status(), bought.text());
    assertEquals("RESERVED", bought.json().getString("status"));
    problem(api.purchase(single, tokens.user("pe-alice"), 1, null), 409, "LIMIT_EXCEEDED");
    problem(api.purchase(single, tokens.user("pe-bob"), 1, null), 409, "SOLD_OUT");
    // The second SOLD_OUT comes from the gateway's flag, with the same status and code.
    problem(api.purchase(single, tokens.user("pe-carol"), 1, null), 409, "SOLD_OUT");
    problem(api.purchase(Api.uniqueId("nosuchsale"), tokens.user("pe-bob"), 1, null), 404, "SALE_NOT_FOUND");
    problem(api.purchase(single, tokens.user("pe-bob"), 2, null), 400, "BAD_REQUEST");
    // Without a token: the flagged sale's SOLD_OUT comes first (nothing to change there, see
    // SecurityIT.soldOutIsAnsweredBeforeTheTokenAndChangesNothing); anywhere else, 401 first.
    problem(api.purchase(single, null, 1, null), 409, "SOLD_OUT");

    Instant now = Instant.now();
    String later = Api.uniqueId("later");
    api.createSale(admin, Api.sale(later, 5, 1, now.plusSeconds(3600), now.plusSeconds(7200), Duration.ofMinutes(5)));
    problem(api.purchase(later, null, 1, null), 401, "UNAUTHORIZED");
    problem(api.purchase(later, tokens.user("pe-bob"), 1, null), 409, "SALE_NOT_STARTED");

    String brief = Api.uniqueId("brief");
    Instant endsAt = Instant.now().plusSeconds(2);
    api.createSale(admin, Api.sale(brief, 5, 1, now.minusSeconds(1), endsAt, Duration.ofMinutes(5)));
    Poll.until(Duration.ofSeconds(10), Instant::now, t -> t.isAfter(endsAt.plusMillis(100)));
    problem(api.purchase(brief, tokens.user("pe-bob"), 1, null), 409, "SALE_ENDED");

    String busy = openSale(100, 1, Duration.ofMinutes(5));
    String dave = tokens.user("pe-dave");
    // Twelve at once: well over the per-user bucket of 5, however slow the machine is.
    List<CompletableFuture<Answer>> sent = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    for (int i = 0; i < 12; i++) {
      sent.add(CompletableFuture.supplyAsync(() -> api.purchase(busy, dave, 1, null), pool));
    }
    List<Answer> burst = sent.stream().map(CompletableFuture::join).toList();
    pool.shutdownNow();
    Answer limited = burst.stream().filter(a -> a.status() == 429).findFirst()
        .orElseThrow(() -> new AssertionError("no 429 in " + burst));
    problem(limited, 429, "RATE_LIMITED");
    assertTrue(Integer.parseInt(limited.retryAfter()) >= 1, "Retry-After: " + limited.retryAfter());
  }

  @Test
  @DisplayName("Idempotency-Key: the same key from the same user gets the same order, even after sell-out")
  void idempotentPurchasesReplay() {
    String sale = openSale(1, 1, Duration.ofMinutes(5));
    String erin = tokens.user("pe-erin");
    String orderId = admitted(api, sale, erin, "erin-key-1");
    problem(api.purchase(sale, tokens.user("pe-frank"), 1, null), 409, "SOLD_OUT");
    assertEquals(orderId, admitted(api, sale, erin, "erin-key-1"));
    // A new key is a new purchase of a sold-out sale: the gateway answers it once it holds the
    // sale's keyed reservations (it waits for them), always SOLD_OUT.
    problem(api.purchase(sale, erin, 1, "erin-key-2"), 409, "SOLD_OUT");
  }

  @Test
  @DisplayName("Idempotency-Key across gateway replicas: a retry on another replica after sell-out gets its order, no second unit")
  void idempotentRetriesReplayOnAnotherReplica() {
    String sale = openSale(2, 1, Duration.ofMinutes(5));
    String erin = tokens.user("pr-erin");
    String orderId = admitted(api, sale, erin, "erin-replica-key");
    try (ServiceProcess other = Stack.startGateway(stack.local, stack.stock.baseUrl(), stack.order.baseUrl(), GATEWAY_ENV)) {
      Api replica = new Api(other);
      admitted(replica, sale, tokens.user("pr-frank"), null);
      // This answer comes from stock-service and raises the replica's own sold-out flag.
      problem(replica.purchase(sale, tokens.user("pr-gina"), 1, null), 409, "SOLD_OUT");
      // Each retry gets erin's order: from stock-service until the replica has fetched the sale's
      // keyed reservations, from that list afterwards (counted as a replay).
      Poll.until(Duration.ofSeconds(20), () -> {
        assertEquals(orderId, admitted(replica, sale, erin, "erin-replica-key"));
        return replays(replica);
      }, replays -> replays >= 1);
      problem(replica.purchase(sale, erin, 1, "erin-other-key"), 409, "SOLD_OUT");
      problem(replica.purchase(sale, tokens.user("pr-hank"), 1, "hank-key"), 409, "SOLD_OUT");
    }
    JsonObject stats = api.get("/admin/sales/" + sale, admin).json();
    assertEquals(0, stats.getInteger("available"), stats.encode());
  }

  /** A purchase that must be admitted (202); its order id. */
  private static String admitted(Api gateway, String sale, String token, String key) {
    Answer answer = gateway.purchase(sale, token, 1, key);
    assertEquals(202, answer.status(), answer.text());
    return answer.json().getString("orderId");
  }

  private static double replays(Api gateway) {
    for (String line : gateway.metrics().text().split("\n")) {
      if (line.startsWith("seckill_gateway_idempotent_replays_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  @DisplayName("Idempotency-Key: retries past the user's rate limit still get their order, and no second unit")
  void idempotentRetriesAreNotRateLimited() {
    String sale = openSale(10, 1, Duration.ofMinutes(5));
    String gina = tokens.user("pe-gina");
    String orderId = admitted(api, sale, gina, "gina-key");
    // The stack runs with 5 purchases per user per second; 12 quick retries are more than that, and
    // every one gets the order: a replay is answered before the rate limits and spends none of them.
    for (int i = 0; i < 12; i++) {
      assertEquals(orderId, admitted(api, sale, gina, "gina-key"), "retry " + i);
    }
    // A new key is a new purchase: the second token of gina's bucket admits it, and stock-service
    // refuses it for the per-user limit of 1 that her first unit fills.
    Answer other = api.purchase(sale, gina, 1, "gina-key-2");
    problem(other, 409, "LIMIT_EXCEEDED");
    assertEquals(9, api.get("/admin/sales/" + sale, admin).json().getInteger("available"));
  }

  @Test
  @DisplayName("Orders: owner only (another user's order is 404), ORDER_NOT_READY with Retry-After, PAID twice, ORDER_EXPIRED")
  void orderErrors() {
    String sale = openSale(30, 1, Duration.ofSeconds(2));
    problem(api.get("/api/orders/" + sale + ".01ARZ3NDEKTSV4RRFFQ69G5FAV", tokens.user("po-a")), 404, "ORDER_NOT_FOUND");
    problem(api.post("/api/orders/" + sale + ".01ARZ3NDEKTSV4RRFFQ69G5FAV/pay", tokens.user("po-a"), null), 404, "ORDER_NOT_FOUND");

    // Paying straight after buying usually finds the order not yet recorded in MySQL.
    Answer notReady = null;
    String orderId = null;
    String owner = null;
    for (int i = 0; i < 20 && notReady == null; i++) {
      owner = tokens.user("po-buyer-" + i);
      Answer bought = api.purchase(sale, owner, 1, null);
      assertEquals(202, bought.status(), bought.text());
      orderId = bought.json().getString("orderId");
      Answer pay = api.post("/api/orders/" + orderId + "/pay", owner, null);
      if (pay.status() == 409) {
        notReady = pay;
      } else {
        assertEquals(200, pay.status(), pay.text());
      }
    }
    assertNotNull(notReady, "paying at once never met an order still being recorded");
    problem(notReady, 409, "ORDER_NOT_READY");
    assertEquals("1", notReady.retryAfter());

    String id = orderId;
    String buyer = owner;
    Answer seen = api.get("/api/orders/" + id, buyer);
    assertEquals(200, seen.status(), seen.text());
    assertTrue(List.of("RESERVED", "AWAITING_PAYMENT").contains(seen.json().getString("status")), seen.text());
    problem(api.get("/api/orders/" + id, tokens.user("po-intruder")), 404, "ORDER_NOT_FOUND");
    problem(api.post("/api/orders/" + id + "/pay", tokens.user("po-intruder"), null), 404, "ORDER_NOT_FOUND");

    // Left unpaid past its two-second window, the order is cancelled; paying it then is too late.
    Answer cancelled = Poll.until(Duration.ofSeconds(30), () -> api.get("/api/orders/" + id, buyer),
        a -> "CANCELLED".equals(a.json().getString("status")));
    assertEquals("CANCELLED", cancelled.json().getString("status"), cancelled.text());
    problem(api.post("/api/orders/" + id + "/pay", buyer, null), 409, "ORDER_EXPIRED");
  }

  @Test
  @DisplayName("Health and metrics answer; metrics count answers by route and code, rejections by reason, and the sold-out flags")
  void healthAndMetrics() {
    assertEquals(200, api.get("/health/live", null).status());
    assertEquals(200, api.get("/health/ready", null).status());
    String sale = openSale(1, 1, Duration.ofMinutes(5));
    api.purchase(sale, tokens.user("pm-a"), 1, null);
    api.purchase(sale, tokens.user("pm-b"), 1, null);
    api.purchase(sale, tokens.user("pm-c"), 1, null);
    Answer metrics = api.metrics();
    assertEquals(200, metrics.status());
    String text = metrics.text();
    assertTrue(text.contains("seckill_gateway_requests_total{code=\"SOLD_OUT\",route=\"/api/sales/:id/purchase\"}"), text);
    assertTrue(text.contains("seckill_gateway_request_latency_seconds_bucket{route=\"/api/sales/:id/purchase\""), "latency histogram");
    assertTrue(text.contains("seckill_gateway_rejections_total{reason=\"sold_out\"}"), "rejections by reason");
    assertTrue(text.contains("seckill_gateway_admissions_total"), "admissions");
    assertTrue(text.contains("seckill_gateway_sold_out_flag{sale=\"" + sale + "\"} 1.0"), "flag state");
    assertTrue(text.contains("vertx_http_server_requests_total"), "Vert.x HTTP metrics");
  }

  @Test
  @DisplayName("Every gateway rejection is answered without asking stock-service (admissions stay put)")
  void rejectionsNeverReachStockService() throws Exception {
    String soldOut = openSale(1, 1, Duration.ofMinutes(5));
    assertEquals(202, api.purchase(soldOut, tokens.user("rj-a"), 1, null).status());
    problem(api.purchase(soldOut, tokens.user("rj-b"), 1, null), 409, "SOLD_OUT"); // raises the flag
    Instant now = Instant.now();
    String later = Api.uniqueId("rj-later");
    api.createSale(admin, Api.sale(later, 5, 1, now.plusSeconds(3600), now.plusSeconds(7200), Duration.ofMinutes(5)));
    String open = openSale(100, 1, Duration.ofMinutes(5));
    JsonObject before = internalSale(open);
    double admitted = admissions();
    String user = tokens.user("rj-c");
    for (int i = 0; i < 20; i++) {
      problem(api.purchase(soldOut, user, 1, null), 409, "SOLD_OUT");
      problem(api.purchase(Api.uniqueId("rj-none"), user, 1, null), 404, "SALE_NOT_FOUND");
      problem(api.purchase(later, user, 1, null), 409, "SALE_NOT_STARTED");
      problem(api.purchase(open, user, 0, null), 400, "BAD_REQUEST");
      problem(api.purchase(open, "forged." + user, 1, null), 401, "UNAUTHORIZED");
    }
    assertEquals(admitted, admissions(), "a rejected purchase was passed on to stock-service");
    assertEquals(before.getValue("reservations"), internalSale(open).getValue("reservations"));
  }

  private static double admissions() {
    String metrics = api.metrics().text();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("seckill_gateway_admissions_total ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no seckill_gateway_admissions_total in /metrics");
  }

  private record Case(String name, String method, String path, String token, Map<String, String> headers,
                      byte[] body, int status, String code) {
  }

  @Test
  @DisplayName("At least 40 malformed requests each get their 4xx problem+json and change nothing")
  void badInputChangesNothing() throws Exception {
    String sale = openSale(5, 2, Duration.ofMinutes(5));
    String user = tokens.user("bad-input-user");
    String purchase = "/api/sales/" + sale + "/purchase";
    String order = "/api/orders/" + sale + ".01ARZ3NDEKTSV4RRFFQ69G5FAV";
    Map<String, String> json = Map.of("Content-Type", "application/json");
    long now = System.currentTimeMillis() / 1000;
    String secret = stack.local.jwtSecret();
    JsonObject valid = Tokens.claims("bad-input-user", false, 3600);

    List<Case> cases = new ArrayList<>();
    cases.add(new Case("broken JSON", "POST", purchase, user, json, b("{\"quantity\":"), 400, "BAD_REQUEST"));
    cases.add(new Case("not JSON", "POST", purchase, user, json, b("quantity=1"), 400, "BAD_REQUEST"));
    cases.add(new Case("empty body", "POST", purchase, user, json, b(""), 400, "BAD_REQUEST"));
    cases.add(new Case("JSON array", "POST", purchase, user, json, b("[1]"), 400, "BAD_REQUEST"));
    cases.add(new Case("JSON null", "POST", purchase, user, json, b("null"), 400, "BAD_REQUEST"));
    cases.add(new Case("JSON string", "POST", purchase, user, json, b("\"1\""), 400, "BAD_REQUEST"));
    cases.add(new Case("missing quantity", "POST", purchase, user, json, b("{}"), 400, "BAD_REQUEST"));
    cases.add(new Case("null quantity", "POST", purchase, user, json, b("{\"quantity\":null}"), 400, "BAD_REQUEST"));
    cases.add(new Case("string quantity", "POST", purchase, user, json, b("{\"quantity\":\"1\"}"), 400, "BAD_REQUEST"));
    cases.add(new Case("boolean quantity", "POST", purchase, user, json, b("{\"quantity\":true}"), 400, "BAD_REQUEST"));
    cases.add(new Case("fractional quantity", "POST", purchase, user, json, b("{\"quantity\":1.5}"), 400, "BAD_REQUEST"));
    cases.add(new Case("array quantity", "POST", purchase, user, json, b("{\"quantity\":[1]}"), 400, "BAD_REQUEST"));
    cases.add(new Case("zero quantity", "POST", purchase, user, json, b("{\"quantity\":0}"), 400, "BAD_REQUEST"));
    cases.add(new Case("negative quantity", "POST", purchase, user, json, b("{\"quantity\":-1}"), 400, "BAD_REQUEST"));
    cases.add(new Case("quantity over the per-user limit", "POST", purchase, user, json, b("{\"quantity\":3}"), 400, "BAD_REQUEST"));
    cases.add(new Case("huge quantity", "POST", purchase, user, json, b("{\"quantity\":99999999999999999999999}"), 400, "BAD_REQUEST"));
    cases.add(new Case("long overflow quantity", "POST", purchase, user, json, b("{\"quantity\":9223372036854775807}"), 400, "BAD_REQUEST"));
    cases.add(new Case("exponent quantity", "POST", purchase, user, json, b("{\"quantity\":1e9}"), 400, "BAD_REQUEST"));
    cases.add(new Case("unknown field", "POST", purchase, user, json, b("{\"quantity\":1,\"price\":0}"), 400, "BAD_REQUEST"));
    cases.add(new Case("body over 4 KiB", "POST", purchase, user, json,
        b("{\"quantity\":1,\"pad\":\"" + "x".repeat(5000) + "\"}"), 413, "PAYLOAD_TOO_LARGE"));
    cases.add(new Case("huge body", "POST", purchase, user, json, new byte[1024 * 1024], 413, "PAYLOAD_TOO_LARGE"));
    cases.add(new Case("form content type", "POST", purchase, user, Map.of("Content-Type", "application/x-www-form-urlencoded"),
        b("quantity=1"), 415, "UNSUPPORTED_MEDIA_TYPE"));
    cases.add(new Case("bad Idempotency-Key", "POST", purchase, user,
        Map.of("Content-Type", "application/json", "Idempotency-Key", "x".repeat(129)), b("{\"quantity\":1}"), 400, "BAD_REQUEST"));
    cases.add(new Case("unicode sale id", "POST", "/api/sales/s%C3%A4le/purchase", user, json, b("{\"quantity\":1}"), 400, "BAD_REQUEST"));
    cases.add(new Case("over-long sale id", "POST", "/api/sales/" + "a".repeat(65) + "/purchase", user, json, b("{\"quantity\":1}"), 400, "BAD_REQUEST"));
    cases.add(new Case("encoded path traversal sale id", "POST", "/api/sales/..%2F..%2Fetc%2Fpasswd/purchase", user, json, b("{\"quantity\":1}"), 400, "BAD_REQUEST"));
    cases.add(new Case("dotted sale id", "POST", "/api/sales/a.b/purchase", user, json, b("{\"quantity\":1}"), 400, "BAD_REQUEST"));
    cases.add(new Case("unicode order id", "GET", "/api/orders/%E2%98%83", user, Map.of(), null, 400, "BAD_REQUEST"));
    cases.add(new Case("order id without sale", "GET", "/api/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV", user, Map.of(), null, 400, "BAD_REQUEST"));
    cases.add(new Case("order id with bad ULID", "GET", "/api/orders/" + sale + ".01ARZ3NDEKTSV4RRFFQ69G5FAU", user, Map.of(), null, 400, "BAD_REQUEST"));
    cases.add(new Case("path traversal order id", "POST", "/api/orders/..%2F..%2Fadmin/pay", user, Map.of(), null, 400, "BAD_REQUEST"));
    cases.add(new Case("admin sale id traversal", "GET", "/admin/sales/..%2Fx", admin, Map.of(), null, 400, "BAD_REQUEST"));
    cases.add(new Case("missing token", "POST", purchase, null, json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("Basic scheme", "POST", purchase, null, Map.of("Content-Type", "application/json", "Authorization", "Basic YWxpY2U6eA=="),
        b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("garbage token", "POST", purchase, "garbage", json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("alg none token", "POST", purchase, Tokens.unsecured(valid), json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("forged signature", "POST", purchase, Tokens.signed(new JsonObject().put("alg", "HS256"), valid,
        "not-the-secret-but-long-enough-0123456789"), json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("HS512 token", "POST", purchase, tokens.hs512(valid), json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("expired token", "POST", purchase, tokens.signed(Tokens.claims("bad-input-user", false, -10)), json,
        b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("token without exp", "POST", purchase, tokens.signed(new JsonObject().put("sub", "bad-input-user").put("iat", now)),
        json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("token with unicode sub", "POST", purchase, tokens.signed(Tokens.claims("ällice", false, 3600)), json,
        b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("token with traversal sub", "POST", purchase, tokens.signed(Tokens.claims("../../root", false, 3600)), json,
        b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("token from the future (nbf)", "POST", purchase, tokens.signed(Tokens.claims("bad-input-user", false, 3600).put("nbf", now + 600)),
        json, b("{\"quantity\":1}"), 401, "UNAUTHORIZED"));
    cases.add(new Case("user token on admin route", "POST", "/admin/sales", user, json, b("{}"), 403, "FORBIDDEN"));
    cases.add(new Case("admin create with wrong types", "POST", "/admin/sales", admin, json,
        b(Api.sale("x", 1, 1, Instant.now(), Instant.now().plusSeconds(60), Duration.ofMinutes(1)).put("stock", "1").encode()), 400, "BAD_REQUEST"));
    cases.add(new Case("admin create with zero stock", "POST", "/admin/sales", admin, json,
        b(Api.sale(Api.uniqueId("zero"), 0, 1, Instant.now(), Instant.now().plusSeconds(60), Duration.ofMinutes(1)).encode()), 400, "BAD_REQUEST"));
    cases.add(new Case("admin create ending before start", "POST", "/admin/sales", admin, json,
        b(Api.sale(Api.uniqueId("back"), 1, 1, Instant.now(), Instant.now().minusSeconds(60), Duration.ofMinutes(1)).encode()), 400, "BAD_REQUEST"));
    cases.add(new Case("admin create with a bad id", "POST", "/admin/sales", admin, json,
        b(Api.sale("../x", 1, 1, Instant.now(), Instant.now().plusSeconds(60), Duration.ofMinutes(1)).encode()), 400, "BAD_REQUEST"));
    cases.add(new Case("admin create broken JSON", "POST", "/admin/sales", admin, json, b("{\"id\":"), 400, "BAD_REQUEST"));
    cases.add(new Case("GET on purchase", "GET", purchase, user, Map.of(), null, 405, "METHOD_NOT_ALLOWED"));
    cases.add(new Case("DELETE on an order", "DELETE", order, user, Map.of(), null, 405, "METHOD_NOT_ALLOWED"));
    cases.add(new Case("PUT on admin sales", "PUT", "/admin/sales", admin, json, b("{}"), 405, "METHOD_NOT_ALLOWED"));
    cases.add(new Case("unknown route", "GET", "/api/nothing-here", user, Map.of(), null, 404, "NOT_FOUND"));
    cases.add(new Case("traversal route", "GET", "/api/../../etc/passwd", user, Map.of(), null, 404, "NOT_FOUND"));

    JsonObject before = internalSale(sale);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + c.path()))
          .timeout(Duration.ofSeconds(10))
          .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
      if (c.token() != null) {
        request.header("Authorization", "Bearer " + c.token());
      }
      c.headers().forEach(request::header);
      HttpResponse<String> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        failures.add(c.name() + ": " + e);
        continue;
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      String code = response.body().startsWith("{") ? new JsonObject(response.body()).getString("code") : null;
      if (response.statusCode() != c.status() || !c.code().equals(code) || !type.startsWith("application/problem+json")) {
        failures.add(c.name() + ": expected " + c.status() + " " + c.code() + ", got " + response.statusCode()
            + " " + type + " " + response.body());
      }
    }
    assertTrue(cases.size() >= 40, "only " + cases.size() + " cases");
    assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));
    JsonObject after = internalSale(sale);
    assertEquals(before.getInteger("available"), after.getInteger("available"), "Redis stock changed");
    assertEquals(before.getValue("reservations"), after.getValue("reservations"), "reservations changed");
    assertEquals(5, after.getInteger("available"));
    Answer stats = api.get("/admin/sales/" + sale, admin);
    assertEquals(0, stats.json().getInteger("awaitingPayment"), stats.text());
    System.out.println("bad input: " + cases.size() + " malformed requests, all answered as expected");
  }

  private static JsonObject internalSale(String sale) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = client.send(HttpRequest.newBuilder(URI.create(stack.stock.baseUrl() + "/internal/sales/" + sale))
            .header("Authorization", stack.local.gatewayAuthorization()).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new JsonObject(body);
  }

  private static byte[] b(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
