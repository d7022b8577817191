package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.gateway.support.Tokens;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The attacks of issue 12 and more, as someone on the same network, in the same cluster or with
 * a stolen user token would send them, against the real processes: every one is refused with the
 * right 4xx, and afterwards no sale, reservation or order has changed.
 */
class SecurityIT {

  private static final String ISSUER = "https://id.seckill.test";
  private static final String AUDIENCE = "seckill-api";
  /** Issuer and audience are checked; every client is 127.0.0.1, so no per-IP limit here. */
  private static final Map<String, String> GATEWAY_ENV = Map.of("SECKILL_RATE_PER_IP", "0",
      "SECKILL_JWT_ISSUER", ISSUER, "SECKILL_JWT_AUDIENCE", AUDIENCE);

  private static Stack stack;
  private static Api api;
  private static Tokens tokens;
  private static Api stock;
  private static Api order;
  private static String gatewayCredential;
  private static String workerCredential;

  /** One attack: which route it goes for, what it sends, what it must be answered. */
  private record Attack(String route, String what, int status, String code, Supplier<Answer> send) {
  }

  @BeforeAll
  static void startStack() {
    stack = Stack.start(GATEWAY_ENV);
    api = stack.api();
    tokens = stack.tokens;
    stock = new Api(stack.stock.baseUrl(), stack.stock.managementUrl());
    order = new Api(stack.order.baseUrl(), stack.order.managementUrl());
    gatewayCredential = stack.local.gatewayCredential();
    workerCredential = stack.local.workerCredential();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /** A valid user token for this gateway (issuer and audience set). */
  private static String user(String userId) {
    return tokens.signed(claims(userId, false));
  }

  private static String admin(String userId) {
    return tokens.signed(claims(userId, true));
  }

  private static JsonObject claims(String userId, boolean admin) {
    return Tokens.claims(userId, admin, 3600).put("iss", ISSUER).put("aud", new JsonArray().add(AUDIENCE));
  }

  @Test
  @DisplayName("Every attack on the public and internal routes is refused with the right 4xx and changes nothing")
  void everyAttackIsRefusedAndChangesNothing() throws Exception {
    Instant now = Instant.now();
    String sale = Api.uniqueId("sec");
    api.createSale(admin("sec-admin"), Api.sale(sale, 10, 2, now.minusSeconds(1), now.plusSeconds(3600),
        Duration.ofMinutes(10)));
    Answer bought = api.purchase(sale, user("alice"), 1, "alice-key-1");
    assertEquals(202, bought.status(), bought.text());
    String aliceOrder = bought.json().getString("orderId");
    JsonObject saleBefore = internal(stock, "/internal/sales/" + sale);
    String orderBefore = awaitPersisted(aliceOrder);

    String reserve = "{\"userId\":\"mallory\",\"quantity\":1}";
    String definition = Api.sale(sale, 1000, 1000, now, now.plusSeconds(60), Duration.ofMinutes(1)).encode();
    // A different first character of the signature: all six of its bits are signature bits (the
    // last character's low bits are padding, so replacing it could leave the signature as it was).
    String genuine = tokens.signed(claims("alice", false));
    int sig = genuine.lastIndexOf('.') + 1;
    String forged = genuine.substring(0, sig) + (genuine.charAt(sig) == 'A' ? 'B' : 'A') + genuine.substring(sig + 1);
    List<Attack> attacks = new ArrayList<>();

    // stock-service: no credential, a wrong one, the other caller's where it is not allowed, tricks
    String reservations = "/internal/sales/" + sale + "/reservations";
    attacks.add(new Attack("stock POST reservations", "no credential (issue 12: answered 201 RESERVED)", 401,
        "UNAUTHORIZED", () -> stock.send("POST", reservations, null, reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "a wrong bearer credential", 401, "UNAUTHORIZED",
        () -> stock.send("POST", reservations, "x".repeat(48), reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "the order-worker's credential (it may only read)", 403,
        "FORBIDDEN", () -> stock.send("POST", reservations, workerCredential, reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "the gateway's credential as Basic auth", 401, "UNAUTHORIZED",
        () -> stock.send("POST", reservations, null, reserve, Map.of("Authorization", "Basic " + gatewayCredential))));
    attacks.add(new Attack("stock POST reservations", "the credential with a suffix", 401, "UNAUTHORIZED",
        () -> stock.send("POST", reservations, gatewayCredential + "x", reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "a prefix of the credential", 401, "UNAUTHORIZED",
        () -> stock.send("POST", reservations, gatewayCredential.substring(0, 20), reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "the credential in a query parameter", 401, "UNAUTHORIZED",
        () -> stock.send("POST", reservations + "?access_token=" + gatewayCredential, null, reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "a user's JWT instead of a service credential", 401,
        "UNAUTHORIZED", () -> stock.send("POST", reservations, user("mallory"), reserve, Map.of())));
    attacks.add(new Attack("stock POST reservations", "worker credential, path with ../ to a write route", 403,
        "FORBIDDEN", () -> raw(stack.stock.baseUrl(), "POST /internal/sales/" + sale + "/x/../reservations HTTP/1.1",
            Map.of("Authorization", "Bearer " + workerCredential, "Content-Type", "application/json"), reserve)));
    attacks.add(new Attack("stock POST reservations", "no credential, double slash", 401, "UNAUTHORIZED",
        () -> raw(stack.stock.baseUrl(), "POST /internal//sales/" + sale + "/reservations HTTP/1.1",
            Map.of("Content-Type", "application/json"), reserve)));
    attacks.add(new Attack("stock POST reservations", "no credential, percent-encoded path", 401, "UNAUTHORIZED",
        () -> raw(stack.stock.baseUrl(), "POST /%69nternal/sales/" + sale + "/reservations HTTP/1.1",
            Map.of("Content-Type", "application/json"), reserve)));
    attacks.add(new Attack("stock PUT sale", "no credential (re-define the sale)", 401, "UNAUTHORIZED",
        () -> stock.send("PUT", "/internal/sales/" + sale, null, definition, Map.of())));
    attacks.add(new Attack("stock PUT sale", "the order-worker's credential", 403, "FORBIDDEN",
        () -> stock.send("PUT", "/internal/sales/" + sale, workerCredential, definition, Map.of())));
    attacks.add(new Attack("stock GET keyed-reservations", "no credential (read every buyer's keys)", 401,
        "UNAUTHORIZED", () -> stock.send("GET", "/internal/sales/" + sale + "/keyed-reservations", null, null, Map.of())));
    attacks.add(new Attack("stock GET keyed-reservations", "the order-worker's credential", 403, "FORBIDDEN",
        () -> stock.send("GET", "/internal/sales/" + sale + "/keyed-reservations", workerCredential, null, Map.of())));
    attacks.add(new Attack("stock GET reservation", "no credential (read another user's reservation)", 401,
        "UNAUTHORIZED", () -> stock.send("GET", "/internal/reservations/" + aliceOrder, null, null, Map.of())));
    attacks.add(new Attack("stock GET sale", "no credential", 401, "UNAUTHORIZED",
        () -> stock.send("GET", "/internal/sales/" + sale, null, null, Map.of())));
    attacks.add(new Attack("stock GET metrics", "metrics on the service port, reached through /internal/..", 404,
        "NOT_FOUND",
        () -> stock.send("GET", "/internal/../metrics", null, null, Map.of())));

    // order-worker: the pay-any-order attack and the other routes
    String pay = "/internal/orders/" + aliceOrder + "/pay";
    attacks.add(new Attack("order POST pay", "no credential, someone else's userId (issue 12)", 401, "UNAUTHORIZED",
        () -> order.send("POST", pay, null, "{\"userId\":\"alice\"}", Map.of())));
    attacks.add(new Attack("order POST pay", "the order-worker's own credential (not a caller here)", 401,
        "UNAUTHORIZED", () -> order.send("POST", pay, workerCredential, "{\"userId\":\"alice\"}", Map.of())));
    attacks.add(new Attack("order POST pay", "a wrong credential", 401, "UNAUTHORIZED",
        () -> order.send("POST", pay, "y".repeat(48), "{\"userId\":\"alice\"}", Map.of())));
    attacks.add(new Attack("order GET order", "no credential", 401, "UNAUTHORIZED",
        () -> order.send("GET", "/internal/orders/" + aliceOrder, null, null, Map.of())));
    attacks.add(new Attack("order POST sales", "no credential (create a sale past the admin role)", 401,
        "UNAUTHORIZED", () -> order.send("POST", "/internal/sales", null, definition, Map.of())));
    attacks.add(new Attack("order GET sales", "no credential", 401, "UNAUTHORIZED",
        () -> order.send("GET", "/internal/sales", null, null, Map.of())));
    attacks.add(new Attack("order GET sale", "no credential", 401, "UNAUTHORIZED",
        () -> order.send("GET", "/internal/sales/" + sale, null, null, Map.of())));

    // the public door: tokens forged, replayed across users, for the wrong audience, and tricks
    String purchase = "/api/sales/" + sale + "/purchase";
    attacks.add(new Attack("gateway POST purchase", "a token with a forged signature", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, forged, 1, null)));
    attacks.add(new Attack("gateway POST purchase", "alg none", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, Tokens.unsecured(claims("mallory", true)), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "HS512 with the right secret", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.hs512(claims("mallory", false)), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "an expired token", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.signed(claims("mallory", false).put("exp", now.getEpochSecond() - 5)), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "a token not valid yet (nbf)", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.signed(claims("mallory", false).put("nbf", now.getEpochSecond() + 600)), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "a token without exp", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.signed(without(claims("mallory", false), "exp")), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "another issuer", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.signed(claims("mallory", false).put("iss", "https://evil.test")), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "no issuer", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.signed(without(claims("mallory", false), "iss")), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "another audience", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, tokens.signed(claims("mallory", false).put("aud", new JsonArray().add("other"))), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "a token signed with another secret", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, Tokens.signed(new JsonObject().put("alg", "HS256"), claims("mallory", false),
            "z".repeat(40)), 1, null)));
    attacks.add(new Attack("gateway POST purchase", "the token in the query string", 401, "UNAUTHORIZED",
        () -> api.send("POST", purchase + "?access_token=" + user("mallory"), null, "{\"quantity\":1}", Map.of())));
    attacks.add(new Attack("gateway POST purchase", "the service credential as a user token", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, gatewayCredential, 1, null)));
    attacks.add(new Attack("gateway POST purchase", "an 8 KiB bearer token", 401, "UNAUTHORIZED",
        () -> api.purchase(sale, "a".repeat(8 * 1024), 1, null)));
    // Vert.x answers 431 itself, before any route, and closes the connection: read byte for byte
    attacks.add(new Attack("gateway POST purchase", "a 20 KiB header", 431, null,
        () -> raw(api.baseUrl(), "POST " + purchase + " HTTP/1.1", Map.of("Authorization", "Bearer " + user("mallory"),
            "Content-Type", "application/json", "X-Pad", "p".repeat(20_000)), "{\"quantity\":1}")));
    attacks.add(new Attack("gateway POST purchase", "a body of 5 KiB", 413, "PAYLOAD_TOO_LARGE",
        () -> api.send("POST", purchase, user("mallory"), "{\"quantity\":1,\"p\":\"" + "p".repeat(5_000) + "\"}", Map.of())));
    attacks.add(new Attack("gateway POST purchase", "a made-up method", 405, "METHOD_NOT_ALLOWED",
        () -> api.send("FOO", purchase, user("mallory"), "{\"quantity\":1}", Map.of())));
    attacks.add(new Attack("gateway POST purchase", "another user's id smuggled into the body", 400,
        "BAD_REQUEST", () -> api.send("POST", purchase, user("mallory"), "{\"quantity\":1,\"userId\":\"alice\"}", Map.of())));
    attacks.add(new Attack("gateway GET order", "another user's order", 404, "ORDER_NOT_FOUND",
        () -> api.get("/api/orders/" + aliceOrder, user("mallory"))));
    attacks.add(new Attack("gateway POST pay", "pay another user's order", 404, "ORDER_NOT_FOUND",
        () -> api.post("/api/orders/" + aliceOrder + "/pay", user("mallory"), "{}")));
    attacks.add(new Attack("gateway POST pay", "pay another user's order, owner named in the body", 404,
        "ORDER_NOT_FOUND", () -> api.post("/api/orders/" + aliceOrder + "/pay", user("mallory"), "{\"userId\":\"alice\"}")));
    attacks.add(new Attack("gateway POST admin sales", "a user token", 403, "FORBIDDEN",
        () -> api.post("/admin/sales", user("mallory"), definition)));
    attacks.add(new Attack("gateway POST admin sales", "roles claimed in an unsigned token", 401, "UNAUTHORIZED",
        () -> api.post("/admin/sales", Tokens.unsecured(claims("mallory", true)), definition)));
    attacks.add(new Attack("gateway POST admin sales", "a path with ../ from a public route", 403, "FORBIDDEN",
        () -> raw(api.baseUrl(), "POST /api/sales/../../admin/sales HTTP/1.1",
            Map.of("Authorization", "Bearer " + user("mallory"), "Content-Type", "application/json"), definition)));
    attacks.add(new Attack("gateway POST admin sales", "endsAt in the year 10000 (issue 12: was 503)", 400,
        "BAD_REQUEST", () -> api.post("/admin/sales", admin("sec-admin"),
            Api.sale(Api.uniqueId("sec-far"), 5, 1, now, now, Duration.ofMinutes(1))
                .put("endsAt", "+10000-01-01T00:00:00Z").encode())));
    attacks.add(new Attack("gateway POST admin sales", "startsAt before 1970", 400, "BAD_REQUEST",
        () -> api.post("/admin/sales", admin("sec-admin"), Api.sale(Api.uniqueId("sec-old"), 5, 1, now,
            now.plusSeconds(60), Duration.ofMinutes(1)).put("startsAt", "0001-01-01T00:00:00Z").encode())));
    attacks.add(new Attack("gateway POST admin sales", "a payment window of two days", 400, "BAD_REQUEST",
        () -> api.post("/admin/sales", admin("sec-admin"), Api.sale(Api.uniqueId("sec-win"), 5, 1, now,
            now.plusSeconds(60), Duration.ofDays(2)).encode())));
    attacks.add(new Attack("gateway GET admin sale", "a user token", 403, "FORBIDDEN",
        () -> api.get("/admin/sales/" + sale, user("mallory"))));
    attacks.add(new Attack("gateway GET metrics", "metrics on the public port", 404, "NOT_FOUND",
        () -> api.get("/metrics", null)));
    attacks.add(new Attack("gateway /internal", "internal routes through the public port", 404, "NOT_FOUND",
        () -> api.send("POST", "/internal/sales/" + sale + "/reservations", null, reserve, Map.of())));

    Map<String, Integer> perRoute = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Attack attack : attacks) {
      Answer answer = attack.send().get();
      perRoute.merge(attack.route(), 1, Integer::sum);
      boolean codeOk = attack.code() == null
          || (answer.contentType().startsWith("application/problem+json") && attack.code().equals(answer.code()));
      if (answer.status() != attack.status() || !codeOk) {
        failures.add(attack.route() + " / " + attack.what() + ": expected " + attack.status() + " "
            + attack.code() + ", got " + answer.status() + " " + answer.text());
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " attacks were not refused as expected:\n"
        + String.join("\n", failures));
    System.out.println("security: " + attacks.size() + " attacks refused; by route: " + perRoute);

    assertEquals(saleBefore.encode(), internal(stock, "/internal/sales/" + sale).encode(),
        "an attack changed the sale in Redis");
    assertEquals(orderBefore, internal(order, "/internal/orders/" + aliceOrder).encode(),
        "an attack changed alice's order");
    JsonObject stats = api.get("/admin/sales/" + sale, admin("sec-admin")).json();
    assertEquals(9, stats.getInteger("available"), stats.encode());
    assertEquals(1, stats.getInteger("awaitingPayment"), stats.encode());
    assertEquals(0, stats.getInteger("paid"), stats.encode());
    for (String far : List.of("sec-far", "sec-old", "sec-win")) {
      assertFalse(internal(order, "/internal/sales").encode().contains(far), "a refused sale was created: " + far);
    }
  }

  @Test
  @DisplayName("A flagged sold-out sale answers an un-keyed purchase SOLD_OUT before its token is checked; "
      + "a keyed purchase, a bad body and a sale that is not sold out still want a valid token; nothing changes")
  void soldOutIsAnsweredBeforeTheTokenAndChangesNothing() {
    String sale = Api.uniqueId("sec-out");
    api.createSale(admin("sec-admin"), Api.openSale(sale, 1, 1, Duration.ofMinutes(10)));
    String genuine = tokens.signed(claims("mallory", false));
    int sig = genuine.lastIndexOf('.') + 1;
    String forged = genuine.substring(0, sig) + (genuine.charAt(sig) == 'A' ? 'B' : 'A') + genuine.substring(sig + 1);
    String path = "/api/sales/" + sale + "/purchase";

    Answer beforeSoldOut = api.purchase(sale, null, 1, null);
    assertEquals(401, beforeSoldOut.status(), "a sale with units left wants a token: " + beforeSoldOut.text());
    Answer bought = api.purchase(sale, user("alice"), 1, "alice-out");
    assertEquals(202, bought.status(), bought.text());
    Answer refused = api.purchase(sale, user("bob"), 1, null);
    assertEquals("SOLD_OUT", refused.code(), "stock-service found the sale empty and the gateway raised its flag: "
        + refused.text());

    Map<String, Answer> anonymous = new LinkedHashMap<>();
    anonymous.put("no token", api.purchase(sale, null, 1, null));
    anonymous.put("a forged token", api.purchase(sale, forged, 1, null));
    anonymous.put("an unsigned admin token", api.purchase(sale, Tokens.unsecured(claims("mallory", true)), 1, null));
    anonymous.forEach((what, a) -> {
      assertEquals(409, a.status(), what + ": " + a.text());
      assertEquals("SOLD_OUT", a.code(), what + ": " + a.text());
      assertTrue(a.contentType().startsWith("application/problem+json"), what + ": " + a.contentType());
    });

    Map<String, Answer> verifiedFirst = new LinkedHashMap<>();
    verifiedFirst.put("no token, keyed", api.purchase(sale, null, 1, "alice-out"));
    verifiedFirst.put("a forged token, keyed", api.purchase(sale, forged, 1, "alice-out"));
    verifiedFirst.put("no token, quantity 0", api.purchase(sale, null, 0, null));
    verifiedFirst.put("no token, quantity over the limit", api.purchase(sale, null, 2, null));
    verifiedFirst.put("no token, unknown field", api.send("POST", path, null, "{\"quantity\":1,\"userId\":\"alice\"}", Map.of()));
    verifiedFirst.put("no token, another sale not sold out", api.purchase(Api.uniqueId("sec-none"), null, 1, null));
    verifiedFirst.forEach((what, a) -> {
      assertEquals(401, a.status(), what + ": " + a.text());
      assertEquals("UNAUTHORIZED", a.code(), what + ": " + a.text());
    });

    Answer retry = api.purchase(sale, user("alice"), 1, "alice-out");
    assertEquals(202, retry.status(), "alice's retry is still owed her reservation: " + retry.text());
    assertEquals(bought.json().getString("orderId"), retry.json().getString("orderId"), retry.text());
    JsonObject stats = api.get("/admin/sales/" + sale, admin("sec-admin")).json();
    assertEquals(0, stats.getInteger("available"), stats.encode());
    assertEquals(1, stats.getInteger("reserved"), stats.encode());
  }

  @Test
  @DisplayName("Another user replaying alice's Idempotency-Key gets a reservation of their own, never alice's")
  void anIdempotencyKeyIsBoundToItsUser() {
    String sale = Api.uniqueId("sec-key");
    api.createSale(admin("sec-admin"), Api.openSale(sale, 10, 1, Duration.ofMinutes(10)));
    Answer alice = api.purchase(sale, user("alice"), 1, "shared-key");
    Answer mallory = api.purchase(sale, user("mallory"), 1, "shared-key");
    assertEquals(202, alice.status(), alice.text());
    assertEquals(202, mallory.status(), mallory.text());
    assertFalse(alice.json().getString("orderId").equals(mallory.json().getString("orderId")),
        "mallory got alice's order by replaying her key");
    Answer look = api.get("/api/orders/" + alice.json().getString("orderId"), user("mallory"));
    assertEquals(404, look.status(), look.text());
  }

  @Test
  @DisplayName("Every service binds to loopback only: main and management ports")
  void everyListenerIsOnLoopback() throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ServiceProcess service : List.of(stack.stock, stack.order, stack.gateway)) {
      ports.put(service.baseUrl(), port(service.baseUrl()));
      ports.put(service.managementUrl(), port(service.managementUrl()));
    }
    Map<Integer, String> listening = listeningSockets();
    for (Map.Entry<String, Integer> entry : ports.entrySet()) {
      String address = listening.get(entry.getValue());
      assertEquals("127.0.0.1", address, entry.getKey() + " listens on " + address + " (all listeners: " + listening + ")");
    }
  }

  @Test
  @DisplayName("Metrics are on the management port, and made-up HTTP methods do not create new series")
  void metricsAreBoundedAndOffThePublicPort() {
    for (int i = 0; i < 20; i++) {
      api.send("M" + i + "X", "/api/sales/x/purchase", null, null, Map.of());
    }
    Answer metrics = api.metrics();
    assertEquals(200, metrics.status());
    assertTrue(metrics.text().contains("method=\"OTHER\""), "made-up methods are counted as OTHER");
    for (int i = 0; i < 20; i++) {
      assertFalse(metrics.text().contains("method=\"M" + i + "X\""), "a made-up method made its own series");
    }
    assertEquals(404, api.get("/metrics", null).status());
  }

  @Test
  @DisplayName("A client that rotates X-Forwarded-For from an untrusted address stays under its per-IP limit")
  void forwardedForIsIgnoredFromUntrustedPeers() {
    String sale = Api.uniqueId("sec-xff");
    api.createSale(admin("sec-admin"), Api.openSale(sale, 100, 1, Duration.ofMinutes(10)));
    try (ServiceProcess limited = Stack.startGateway(stack.local, stack.stock.baseUrl(), stack.order.baseUrl(),
        Map.of("SECKILL_RATE_PER_IP", "1", "SECKILL_JWT_ISSUER", ISSUER, "SECKILL_JWT_AUDIENCE", AUDIENCE))) {
      Api gateway = new Api(limited);
      // Twelve buyers at once, each claiming another address. Believed, each address would get a
      // bucket of its own and nobody would meet the per-IP limit; ignored, they share 127.0.0.1's
      // bucket of 1 per second and all but about one are refused by it.
      ExecutorService pool = Executors.newFixedThreadPool(12);
      try {
        List<CompletableFuture<Answer>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          String token = user("xff-" + i);
          String address = "198.51.100." + i;
          sent.add(CompletableFuture.supplyAsync(() -> gateway.send("POST", "/api/sales/" + sale + "/purchase", token,
              "{\"quantity\":1}", Map.of("X-Forwarded-For", address)), pool));
        }
        int admitted = 0;
        int limitedByIp = 0;
        for (CompletableFuture<Answer> future : sent) {
          Answer answer = future.join();
          if (answer.status() == 202) {
            admitted++;
          } else if (answer.status() == 429 && answer.text().contains("ip limit")) {
            limitedByIp++;
          } else {
            fail("unexpected answer " + answer);
          }
        }
        assertTrue(limitedByIp >= 1, admitted + " of 12 admitted and none refused by the per-IP limit: "
            + "X-Forwarded-For was believed");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static JsonObject without(JsonObject claims, String name) {
    claims.remove(name);
    return claims;
  }

  /** An internal read with the gateway's credential. */
  private static JsonObject internal(Api service, String path) {
    Answer answer = service.get(path, gatewayCredential);
    assertEquals(200, answer.status(), path + ": " + answer.text());
    return answer.text().startsWith("[") ? new JsonObject().put("list", new JsonArray(answer.text())) : answer.json();
  }

  private static String awaitPersisted(String orderId) {
    Answer persisted = io.seckill.testkit.Poll.until(Duration.ofSeconds(60),
        () -> order.get("/internal/orders/" + orderId, gatewayCredential),
        answer -> answer.status() == 200);
    if (persisted == null || persisted.status() != 200) {
      fail("order " + orderId + " was not persisted within 60 s: " + persisted);
    }
    return persisted.text();
  }

  /** A request written byte for byte, so the path reaches the server exactly as an attacker sends it. */
  private static Answer raw(String baseUrl, String requestLine, Map<String, String> headers, String body) {
    int port = port(baseUrl);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(port)
          .append("\r\nConnection: close\r\n");
      headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.flush();
      } catch (IOException closedEarly) {
        // a server that refuses the request may answer and close before it has read all of it
      }
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (response.length() < 12) {
        return new Answer(0, "", null, "no answer: '" + response + "'");
      }
      int status = Integer.parseInt(response.substring(9, 12));
      String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
      String contentType = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
          .map(l -> l.substring(13).strip()).findFirst().orElse("");
      String text = response.substring(response.indexOf("\r\n\r\n") + 4);
      return new Answer(status, contentType, null, text);
    } catch (IOException e) {
      throw new IllegalStateException(requestLine + " failed: " + e, e);
    }
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  /** Listening TCP sockets from /proc/net/tcp and tcp6: port → local address. */
  private static Map<Integer, String> listeningSockets() throws IOException {
    Map<Integer, String> result = new TreeMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
        String[] fields = line.trim().split("\\s+");
        if (!"0A".equals(fields[3])) { // 0A = LISTEN
          continue;
        }
        String[] local = fields[1].split(":");
        result.merge(Integer.parseInt(local[1], 16), address(local[0]), (a, b) -> a + "," + b);
      }
    }
    return result;
  }

  private static String address(String hex) {
    if (hex.startsWith("0000000000000000FFFF0000")) { // an IPv4-mapped address of a dual-stack socket
      hex = hex.substring(24);
    }
    if (hex.length() == 8) {
      long value = Long.parseLong(hex, 16);
      return (value & 0xff) + "." + (value >> 8 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 24 & 0xff);
    }
    return hex.equals("00000000000000000000000000000000") ? "::" : "ipv6:" + hex;
  }
}
