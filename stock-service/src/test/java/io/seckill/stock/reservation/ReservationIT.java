package io.seckill.stock.reservation;

import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockService;
import io.seckill.stock.support.StockClient.Answer;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reserve path end to end: HTTP → stock-service (the real jar) → Redis. */
class ReservationIT {

  @RegisterExtension
  static final StockService STOCK = StockService.forSales("res-it");
  private final StockClient client = STOCK.client();
  private final RedisProbe redis = STOCK.redis();

  private String warmSale(int stock, int limit) {
    return STOCK.warmSale(stock, limit, Duration.ofHours(1)).getString("id");
  }

  @Test
  @DisplayName("200 units, 5,000 distinct users over 250 concurrent connections: exactly 200 reservations, stock never negative, nobody over the limit")
  void neverOversellsUnderConcurrency() throws Exception {
    String saleId = warmSale(200, 1);
    int users = 5_000;
    int connections = 250;
    // every tenth user also sends a second request at once: the limit must hold under the race
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      requests.add("user-" + i);
      if (i % 10 == 0) {
        requests.add("user-" + i);
      }
    }
    Collections.shuffle(requests);

    AtomicLong minAvailable = new AtomicLong(Long.MAX_VALUE);
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread observer = new Thread(() -> {
      while (running.get()) {
        minAvailable.accumulateAndGet(redis.available(saleId), Math::min);
        samples.incrementAndGet();
      }
    }, "stock-observer");
    observer.start();

    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peakInFlight = new AtomicInteger();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Set<String> orderIds = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<?>> done = new ArrayList<>();
    for (String user : requests) {
      done.add(pool.submit(() -> {
        go.await();
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Answer answer = client.reserve(saleId, user, 1, null);
        inFlight.decrementAndGet();
        statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
        if (answer.status() == 201) {
          orderIds.add(answer.body().getString("orderId"));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    running.set(false);
    observer.join();

    assertEquals(200, statuses.get(201).get(), "201s: " + statuses);
    assertEquals(requests.size() - 200, statuses.get(409).get(), "everyone else gets 409: " + statuses);
    assertEquals(200, orderIds.size());
    assertTrue(peakInFlight.get() >= 200, "at least 200 requests in flight at once, saw " + peakInFlight.get());
    assertTrue(samples.get() > 10, "stock was observed during the run (" + samples.get() + " samples)");
    assertTrue(minAvailable.get() >= 0, "stock never negative, min seen " + minAvailable.get());
    assertEquals(0, redis.available(saleId));
    assertEquals(new HashSet<>(orderIds), new HashSet<>(redis.reservationIds(saleId)));
    Map<String, Long> held = redis.held(saleId);
    assertEquals(200, held.size());
    assertTrue(held.values().stream().allMatch(units -> units == 1), "no user over the limit of 1");
    JsonObject counters = client.get("/internal/sales/" + saleId).body();
    assertEquals(0, counters.getInteger("available"));
    assertEquals(200, counters.getInteger("reservedUnits"));
    assertEquals(200, counters.getInteger("reservations"));
  }

  @Test
  @DisplayName("One user, one Idempotency-Key, 50 concurrent requests: one reservation and 50 identical answers")
  void sameIdempotencyKeyConcurrentlyMakesOneReservation() throws Exception {
    String saleId = warmSale(100, 5);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(pool.submit(() -> {
        go.await();
        return client.reserve(saleId, "alice", 2, "checkout-42");
      }));
    }
    go.countDown();
    Set<JsonObject> reservations = new HashSet<>();
    int created = 0;
    for (Future<Answer> f : answers) {
      Answer answer = f.get(60, TimeUnit.SECONDS);
      assertTrue(answer.status() == 201 || answer.status() == 200, String.valueOf(answer.body()));
      created += answer.status() == 201 ? 1 : 0;
      assertEquals(answer.status() == 200, answer.body().getBoolean("replayed"));
      JsonObject reservation = answer.body().copy();
      reservation.remove("replayed");
      reservations.add(reservation);
    }
    pool.shutdown();
    assertEquals(1, created, "exactly one request made the reservation");
    assertEquals(1, reservations.size(), "all 50 answers name the same reservation: " + reservations);
    assertEquals(98, redis.available(saleId));
    assertEquals(1, redis.reservationIds(saleId).size());
  }

  @Test
  @DisplayName("Keyed reservations: each reservation made with an Idempotency-Key once, with its key; un-keyed ones left out")
  void keyedReservationsListTheKeyedOnes() {
    String saleId = warmSale(10, 1);
    Answer keyed = client.reserve(saleId, "alice", 1, "k|with-a-bar");
    assertEquals(201, keyed.status());
    assertEquals(200, client.reserve(saleId, "alice", 1, "k|with-a-bar").status(), "a replay adds nothing");
    assertEquals(201, client.reserve(saleId, "bob", 1, null).status());
    Answer carol = client.reserve(saleId, "carol", 1, "carol-key");
    assertEquals(201, carol.status());

    Answer list = client.get("/internal/sales/" + saleId + "/keyed-reservations");
    assertEquals(200, list.status());
    Map<String, JsonObject> byKey = new HashMap<>();
    list.body().getJsonArray("reservations").forEach(o -> {
      JsonObject r = (JsonObject) o;
      byKey.put(r.getString("idempotencyKey"), r);
    });
    assertEquals(Set.of("k|with-a-bar", "carol-key"), byKey.keySet(), list.body().encode());
    JsonObject alice = byKey.get("k|with-a-bar");
    assertEquals(keyed.body().getString("orderId"), alice.getString("orderId"));
    assertEquals("alice", alice.getString("userId"));
    assertEquals(keyed.body().getString("expiresAt"), alice.getString("expiresAt"));
    assertEquals(carol.body().getString("orderId"), byKey.get("carol-key").getString("orderId"));

    Answer none = client.get("/internal/sales/" + StockClient.uniqueSaleId("no-keys") + "/keyed-reservations");
    assertEquals(200, none.status());
    assertEquals(0, none.body().getJsonArray("reservations").size());
    assertEquals(400, client.get("/internal/sales/bad%20id/keyed-reservations").status());
  }

  @Test
  @DisplayName("Keyed reservations come in pages: 1,200 keyed reservations over several replies, each one exactly once")
  void keyedReservationsArePaged() {
    int units = 1_200;
    String saleId = warmSale(units, 1);
    Map<String, String> orderByKey = new HashMap<>();
    for (int i = 0; i < units; i++) {
      Answer answer = client.reserve(saleId, "buyer-" + i, 1, "key-" + i);
      assertEquals(201, answer.status(), String.valueOf(answer.body()));
      orderByKey.put("key-" + i, answer.body().getString("orderId"));
    }

    Map<String, String> listed = new HashMap<>();
    int pages = 0;
    int largest = 0;
    String cursor = "0";
    do {
      Answer page = client.get("/internal/sales/" + saleId + "/keyed-reservations?cursor=" + cursor);
      assertEquals(200, page.status(), String.valueOf(page.body()));
      pages++;
      largest = Math.max(largest, page.body().getJsonArray("reservations").size());
      page.body().getJsonArray("reservations").forEach(o -> {
        JsonObject r = (JsonObject) o;
        // HSCAN may repeat an entry across pages; it must name the same order each time
        String earlier = listed.put(r.getString("idempotencyKey"), r.getString("orderId"));
        assertTrue(earlier == null || earlier.equals(r.getString("orderId")), r.encode());
      });
      cursor = page.body().getString("next");
    } while (cursor != null);

    assertEquals(orderByKey, listed, "every keyed reservation, with its order");
    assertTrue(pages >= 2 && largest < units, pages + " pages, the largest of " + largest + " entries");
    assertEquals(400, client.get("/internal/sales/" + saleId + "/keyed-reservations?cursor=abc").status());
    assertEquals(400, client.get("/internal/sales/" + saleId + "/keyed-reservations?cursor=-1").status());
  }

  @Test
  @DisplayName("Per-user limit 2 over HTTP: 1 then 1 succeed, a third is refused, 3 at once is refused")
  void perUserLimitHolds() {
    String saleId = warmSale(50, 2);
    assertEquals(201, client.reserve(saleId, "alice", 1, null).status());
    assertEquals(201, client.reserve(saleId, "alice", 1, null).status());
    Answer third = client.reserve(saleId, "alice", 1, null);
    assertEquals(409, third.status());
    assertEquals("LIMIT_EXCEEDED", third.body().getString("code"));
    Answer tooMany = client.reserve(saleId, "bob", 3, null);
    assertEquals(409, tooMany.status());
    assertEquals("LIMIT_EXCEEDED", tooMany.body().getString("code"));
    assertEquals(48, redis.available(saleId));
  }

  @Test
  @DisplayName("Quantity <= 0, absurd or not an integer, and malformed bodies are refused with 400 before Redis is touched")
  void badInputIsRefusedBeforeRedis() {
    String saleId = warmSale(10, 2);
    // an unknown sale would be 404 if Redis were asked: 400 proves the request never got there
    String unknown = StockClient.uniqueSaleId("never-warmed");
    for (String body : List.of("{\"userId\":\"u\",\"quantity\":0}", "{\"userId\":\"u\",\"quantity\":-1}",
        "{\"userId\":\"u\",\"quantity\":1000000000}", "{\"userId\":\"u\",\"quantity\":99999999999999}",
        "{\"userId\":\"u\",\"quantity\":1.5}", "{\"userId\":\"u\",\"quantity\":\"1\"}",
        "{\"userId\":\"u x\",\"quantity\":1}", "{\"userId\":\"u\",\"quantity\":1,\"idempotencyKey\":\"has space\"}",
        "{\"userId\":\"u\",\"quantity\":1,\"extra\":true}", "[1]", "not json", "")) {
      for (String sale : List.of(saleId, unknown)) {
        Answer answer = client.send("POST", "/internal/sales/" + sale + "/reservations", body);
        assertEquals(400, answer.status(), body);
        assertEquals("BAD_REQUEST", answer.body().getString("code"), body);
        assertNotNull(answer.body().getString("detail"));
      }
    }
    assertEquals(400, client.send("POST", "/internal/sales/bad%20id/reservations", "{\"userId\":\"u\",\"quantity\":1}").status());
    assertEquals(404, client.reserve(unknown, "u", 1, null).status(), "a valid request does reach Redis");
    assertEquals(413, client.send("POST", "/internal/sales/" + saleId + "/reservations", "x".repeat(20_000)).status());
    assertEquals(10, redis.available(saleId), "nothing changed");
    assertEquals(0, redis.reservationIds(saleId).size());
  }

  @Test
  @DisplayName("Warm-up: 201 new, 200 identical, 409 SALE_LIVE for a different definition, 400 for a bad one; lookups answer 404")
  void warmUpAndLookups() {
    String saleId = StockClient.uniqueSaleId("warm-it");
    STOCK.track(saleId);
    JsonObject sale = StockClient.openSale(saleId, 10, 2, Duration.ofMinutes(5));
    assertEquals(201, client.warm(sale).status());
    assertEquals(200, client.warm(sale).status());
    Answer live = client.warm(sale.copy().put("stock", 11));
    assertEquals(409, live.status());
    assertEquals("SALE_LIVE", live.body().getString("code"));
    assertEquals(400, client.warm(sale.copy().put("stock", 0)).status());
    assertEquals(400, client.send("PUT", "/internal/sales/other-id", sale.encode()).status());
    assertEquals(10, client.get("/internal/sales/" + saleId).body().getInteger("stock"));

    Answer reserved = client.reserve(saleId, "alice", 1, null);
    String orderId = reserved.body().getString("orderId");
    Answer found = client.get("/internal/reservations/" + orderId);
    assertEquals(200, found.status());
    assertEquals("RESERVED", found.body().getString("status"));
    assertEquals(reserved.body().getString("expiresAt"), found.body().getString("expiresAt"));
    assertEquals(404, client.get("/internal/sales/" + StockClient.uniqueSaleId("nope")).status());
    assertEquals(404, client.get("/internal/reservations/" + saleId + ".01ARZ3NDEKTSV4RRFFQ69G5FAV").status());
    assertEquals(400, client.get("/internal/reservations/not-an-order").status());
  }

  @Test
  @DisplayName("SCRIPT FLUSH during a run: every following call still succeeds, after one reload")
  void survivesScriptFlush() throws Exception {
    String saleId = warmSale(400, 1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String user = "flush-" + i;
      if (i == 200) {
        redis.scriptFlush();
      }
      answers.add(pool.submit(() -> client.reserve(saleId, user, 1, null).status()));
    }
    for (Future<Integer> f : answers) {
      assertEquals(201, f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(0, redis.available(saleId));
    Matcher reloads = Pattern.compile("seckill_script_reloads_total\\s+([0-9.]+)").matcher(client.metrics(STOCK.process().managementUrl()));
    assertTrue(reloads.find(), "metric present");
    assertTrue(Double.parseDouble(reloads.group(1)) >= 1, "the service reloaded the script");
    assertFalse(client.get("/health/ready").status() != 200);
  }
}
