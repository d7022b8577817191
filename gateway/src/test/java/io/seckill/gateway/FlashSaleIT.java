package io.seckill.gateway;

import io.seckill.gateway.support.Api;
import io.seckill.gateway.support.Api.Answer;
import io.seckill.gateway.support.Stack;
import io.seckill.testkit.Poll;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flash sale end to end over HTTP, with real stock-service, order-worker and gateway processes:
 * a crowd buys out the sale, 40 buyers pay, the other 60 orders expire, their units come back, the
 * gateway's sold-out flag re-opens, and a second wave buys exactly those 60.
 *
 * <p>This is one story told by one test: each phase starts from what the one before left (the crowd's
 * 100 orders, then their expiry), so the phases are private methods called in order rather than
 * tests that JUnit could reorder or run alone. Buying the sale out with a crowd is the expensive part,
 * and it is done once.
 */
class FlashSaleIT {

  private static final int STOCK = 100;
  private static final int USERS = 3_000;
  private static final int REPEATERS = 500;
  private static final int CONNECTIONS = 300;
  // long enough for the crowd and the checks of the crowd phase to finish before any order expires,
  // also on a loaded machine (at 45 s, one run at load 20 saw an order expire before it was checked)
  private static final Duration PAYMENT_WINDOW = Duration.ofSeconds(90);
  // The flag's staleness is bounded at 1,500 ms and typically ~0.1 s: a probe every 5 ms (plus its
  // round trip of about a millisecond) resolves it to a few ms without spinning on the servers.
  private static final Duration STALENESS_PROBE_INTERVAL = Duration.ofMillis(5);
  private static final long STALENESS_BOUND_MS = 1_500;
  // The crowd's connections stay open (keep-alive) for its whole run, so a sample every 20 ms sees the plateau.
  private static final Duration CONNECTION_SAMPLE_INTERVAL = Duration.ofMillis(20);

  private static Stack stack;
  private static Api api;
  private static String admin;

  @BeforeAll
  static void startStack() {
    // One host sends the whole crowd, so the per-IP limit is off; per user and per sale stay on.
    stack = Stack.start(Map.of("SECKILL_RATE_PER_IP", "0"));
    api = stack.api();
    admin = stack.tokens.admin("fs-admin");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private record Attempt(String user, String key) {
  }

  private record Outcome(Attempt attempt, Answer answer) {
  }

  @Test
  @DisplayName("A crowd of 3,000 users on 300 connections gets exactly 100 reservations, everyone else a 409 or 429; "
      + "40 pay, 60 expire, their units return to Redis and MySQL, the sold-out flag re-opens, a second wave buys exactly 60")
  void aCrowdBuysOutTheSaleUnpaidOrdersExpireAndASecondWaveBuysTheirUnits() throws Exception {
    String saleId = Api.uniqueId("flash");
    Instant now = Instant.now();
    api.createSale(admin, Api.sale(saleId, STOCK, 1, now.minusSeconds(1), now.plus(Duration.ofMinutes(30)),
        PAYMENT_WINDOW));

    Map<String, String> orders = theCrowdBuysOutTheSale(saleId);
    fortyPaySixtyExpireAndTheFlagReopens(saleId, orders);
    aSecondWaveBuysExactlyTheSixtyReturned(saleId);
  }

  /**
   * A crowd of 3,000 users on 300 connections gets exactly 100 reservations; everyone else a 409 or
   * 429. Returns the 100 orders awaiting payment, orderId → owner.
   */
  private static Map<String, String> theCrowdBuysOutTheSale(String saleId) throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      String user = "fc" + run + "-" + i;
      if (i < REPEATERS) {
        // Half of the repeaters retry with one shared Idempotency-Key, half without any key.
        String key = i % 2 == 0 ? "key-" + user : null;
        for (int r = 0; r < 5; r++) {
          attempts.add(new Attempt(user, key));
        }
      } else {
        attempts.add(new Attempt(user, null));
      }
    }
    Collections.shuffle(attempts);
    Map<String, String> tokens = new HashMap<>();
    for (Attempt a : attempts) {
      tokens.computeIfAbsent(a.user(), stack.tokens::user);
    }

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (Attempt attempt : attempts) {
      futures.add(pool.submit(() -> {
        start.await();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(api.baseUrl() + "/api/sales/" + saleId + "/purchase"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + tokens.get(attempt.user()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}"));
        if (attempt.key() != null) {
          request.header("Idempotency-Key", attempt.key());
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
          return new Outcome(attempt, new Answer(response.statusCode(),
              response.headers().firstValue("Content-Type").orElse(""),
              response.headers().firstValue("Retry-After").orElse(null), response.body()));
        } finally {
          inFlight.decrementAndGet();
        }
      }));
    }
    AtomicLong peakConnections = new AtomicLong();
    HttpClient metricsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "connection-sampler");
      thread.setDaemon(true);
      return thread;
    });
    List<Outcome> outcomes = new ArrayList<>();
    long elapsedMs;
    try {
      sampler.scheduleWithFixedDelay(() -> sampleConnections(metricsClient, peakConnections),
          0, CONNECTION_SAMPLE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      long started = System.nanoTime();
      start.countDown();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get(120, TimeUnit.SECONDS));
      }
      elapsedMs = (System.nanoTime() - started) / 1_000_000;
    } finally {
      sampler.shutdownNow();
      pool.shutdownNow();
    }
    // the peak is read once the last sample has landed (a sample still running after this is only a sample lost)
    sampler.awaitTermination(5, TimeUnit.SECONDS);

    Map<String, Attempt> firstHolder = new HashMap<>();
    Map<String, Integer> byCode = new HashMap<>();
    Map<String, Set<String>> ordersOfUser = new HashMap<>();
    int accepted = 0;
    int replays = 0;
    for (Outcome o : outcomes) {
      Answer answer = o.answer();
      switch (answer.status()) {
        case 202 -> {
          accepted++;
          JsonObject body = answer.json();
          String orderId = body.getString("orderId");
          assertEquals("RESERVED", body.getString("status"), answer.text());
          assertTrue(body.getString("expiresAt") != null, answer.text());
          Attempt holder = firstHolder.putIfAbsent(orderId, o.attempt());
          if (holder != null) {
            // The same order handed out twice is only allowed as the replay of one idempotent purchase.
            assertEquals(holder.user(), o.attempt().user(), "order " + orderId + " given to two users");
            assertTrue(o.attempt().key() != null && o.attempt().key().equals(holder.key()),
                "order " + orderId + " repeated without a shared Idempotency-Key");
            replays++;
          }
          ordersOfUser.computeIfAbsent(o.attempt().user(), u -> new HashSet<>()).add(orderId);
        }
        case 409 -> {
          String code = answer.code();
          assertTrue(Set.of("SOLD_OUT", "LIMIT_EXCEEDED").contains(code), answer.text());
          byCode.merge(code, 1, Integer::sum);
        }
        case 429 -> {
          assertEquals("RATE_LIMITED", answer.code(), answer.text());
          assertTrue(Integer.parseInt(answer.retryAfter()) >= 1, "Retry-After " + answer.retryAfter());
          byCode.merge("RATE_LIMITED", 1, Integer::sum);
        }
        default -> throw new AssertionError("unexpected answer " + answer.status() + ": " + answer.text());
      }
    }
    System.out.printf("flash crowd: %d requests in %d ms, peak %d requests in flight, peak %d server connections; "
            + "202=%d (distinct orders %d, idempotent replays %d), %s%n",
        outcomes.size(), elapsedMs, maxInFlight.get(), peakConnections.get(), accepted, firstHolder.size(), replays, byCode);

    assertEquals(STOCK, firstHolder.size(), "distinct orders handed out");
    assertEquals(STOCK + replays, accepted, "every 202 is a distinct order or the replay of one");
    assertEquals(attempts.size(), accepted + byCode.values().stream().mapToInt(Integer::intValue).sum(),
        "every request got exactly one of 202, 409, 429");
    ordersOfUser.forEach((user, ids) -> assertEquals(1, ids.size(), user + " holds more than the per-user limit"));
    assertTrue(maxInFlight.get() >= CONNECTIONS, "only " + maxInFlight.get() + " requests were in flight at once");
    assertTrue(peakConnections.get() >= CONNECTIONS, "the gateway saw at most " + peakConnections.get() + " connections");
    Map<String, String> orders = new HashMap<>();
    firstHolder.forEach((orderId, attempt) -> orders.put(orderId, attempt.user()));

    // Once the order messages drain: 100 orders awaiting payment, and the admin view is exact.
    JsonObject stats = Poll.until(Duration.ofSeconds(60), () -> api.get("/admin/sales/" + saleId, admin).json(),
        s -> Integer.valueOf(STOCK).equals(s.getInteger("awaitingPayment")));
    assertEquals(STOCK, stats.getInteger("awaitingPayment"), stats.encodePrettily());
    assertEquals(0, stats.getInteger("available"), stats.encodePrettily());
    assertEquals(0, stats.getInteger("mysqlAvailable"), stats.encodePrettily());
    assertEquals(STOCK, stats.getInteger("reserved"), stats.encodePrettily());
    assertEquals(0, stats.getInteger("paid"), stats.encodePrettily());
    assertEquals(0, stats.getInteger("cancelled"), stats.encodePrettily());
    assertTrue(stats.getBoolean("soldOutFlag"), "the gateway flagged the sale sold out");
    for (Map.Entry<String, String> order : orders.entrySet()) {
      Answer seen = api.get("/api/orders/" + order.getKey(), stack.tokens.user(order.getValue()));
      assertEquals(200, seen.status(), seen.text());
      assertEquals("AWAITING_PAYMENT", seen.json().getString("status"), seen.text());
      assertEquals(saleId, seen.json().getString("saleId"));
    }
    return orders;
  }

  /**
   * 40 orders are paid, the other 60 expire: their units return to Redis and MySQL and the gateway's
   * sold-out flag re-opens within 1,500 ms of the first unit coming back.
   */
  private static void fortyPaySixtyExpireAndTheFlagReopens(String saleId, Map<String, String> orders) throws Exception {
    assertEquals(STOCK, orders.size(), "the crowd left one order per unit to pay or let expire");
    List<String> ids = new ArrayList<>(orders.keySet());
    Collections.sort(ids);
    List<String> paid = ids.subList(0, 40);
    for (String orderId : paid) {
      String owner = stack.tokens.user(orders.get(orderId));
      Answer answer = api.post("/api/orders/" + orderId + "/pay", owner, null);
      assertEquals(200, answer.status(), answer.text());
      assertEquals("PAID", answer.json().getString("status"));
      Answer again = api.post("/api/orders/" + orderId + "/pay", owner, null);
      assertEquals(200, again.status(), "paying twice gives the same answer: " + again.text());
      assertEquals("PAID", again.json().getString("status"));
    }

    // The flag re-opens within about a second of the units coming back: measured here. First wait
    // (coarsely) until just before the earliest unpaid order expires, then watch both sides closely.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Instant firstExpiry = ids.subList(40, ids.size()).stream()
        .map(id -> Instant.parse(api.get("/api/orders/" + id, stack.tokens.user(orders.get(id))).json().getString("expiresAt")))
        .min(Instant::compareTo).orElseThrow();
    Poll.until(PAYMENT_WINDOW.plusSeconds(10), Instant::now, now -> now.isAfter(firstExpiry.minusMillis(500)));
    HttpRequest stockSale = HttpRequest.newBuilder(URI.create(stack.stock.baseUrl() + "/internal/sales/" + saleId))
        .header("Authorization", stack.local.gatewayAuthorization()).build();
    // Both probes run at a fixed 5 ms pause (not Poll.until's back-off, whose pauses grow to 200 ms):
    // the time each first sees its change is then known to within the pause plus one round trip.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonObject inRedis = Poll.untilEvery(timeLeft(deadline), STALENESS_PROBE_INTERVAL,
        () -> new JsonObject(client.send(stockSale, HttpResponse.BodyHandlers.ofString()).body()),
        s -> s.getInteger("available", 0) > 0);
    long unitsBackAt = System.nanoTime();
    assertTrue(inRedis != null && inRedis.getInteger("available", 0) > 0,
        "no unit came back to Redis within 30 s of the first expiry: " + inRedis);
    Boolean flagUp = Poll.untilEvery(timeLeft(deadline), STALENESS_PROBE_INTERVAL,
        () -> api.get("/admin/sales/" + saleId, admin).json().getBoolean("soldOutFlag", true),
        Boolean.FALSE::equals);
    long flagClearedAt = System.nanoTime();
    assertTrue(Boolean.FALSE.equals(flagUp), "the sold-out flag never cleared");
    long stalenessMs = (flagClearedAt - unitsBackAt) / 1_000_000;
    System.out.printf("sold-out flag staleness: %d ms from the first unit back in Redis to the flag clearing%n", stalenessMs);
    assertTrue(stalenessMs <= STALENESS_BOUND_MS, "flag stayed up " + stalenessMs + " ms after units came back");

    for (String orderId : ids.subList(40, ids.size())) {
      String owner = stack.tokens.user(orders.get(orderId));
      Answer cancelled = Poll.until(Duration.ofSeconds(30), () -> api.get("/api/orders/" + orderId, owner),
          a -> "CANCELLED".equals(a.json().getString("status")));
      assertEquals("CANCELLED", cancelled.json().getString("status"), cancelled.text());
      Answer late = api.post("/api/orders/" + orderId + "/pay", owner, null);
      assertEquals(409, late.status(), late.text());
      assertEquals("ORDER_EXPIRED", late.code());
    }
    JsonObject stats = Poll.until(Duration.ofSeconds(30), () -> api.get("/admin/sales/" + saleId, admin).json(),
        s -> Integer.valueOf(60).equals(s.getInteger("available")) && Integer.valueOf(60).equals(s.getInteger("mysqlAvailable")));
    assertEquals(60, stats.getInteger("available"), stats.encodePrettily());
    assertEquals(60, stats.getInteger("mysqlAvailable"), stats.encodePrettily());
    assertEquals(40, stats.getInteger("paid"), stats.encodePrettily());
    assertEquals(60, stats.getInteger("cancelled"), stats.encodePrettily());
    assertEquals(0, stats.getInteger("awaitingPayment"), stats.encodePrettily());
  }

  /** The second wave: 300 new buyers who retry after a 429 as told, exactly 60 of them get a unit. */
  private static void aSecondWaveBuysExactlyTheSixtyReturned(String saleId) throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    ExecutorService pool = Executors.newFixedThreadPool(60);
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String user = "w2" + run + "-" + i;
      answers.add(pool.submit(() -> buyRespectingRetryAfter(saleId, stack.tokens.user(user))));
    }
    Set<String> secondWave = new HashSet<>();
    int soldOut = 0;
    for (Future<Answer> f : answers) {
      Answer a = f.get(60, TimeUnit.SECONDS);
      if (a.status() == 202) {
        secondWave.add(a.json().getString("orderId"));
      } else {
        assertEquals(409, a.status(), a.text());
        assertEquals("SOLD_OUT", a.code(), a.text());
        soldOut++;
      }
    }
    pool.shutdownNow();
    assertEquals(60, secondWave.size(), "the second wave buys exactly the returned units");
    assertEquals(240, soldOut);
    JsonObject after = Poll.until(Duration.ofSeconds(30), () -> api.get("/admin/sales/" + saleId, admin).json(),
        s -> Integer.valueOf(60).equals(s.getInteger("awaitingPayment")));
    assertEquals(60, after.getInteger("awaitingPayment"), after.encodePrettily());
    assertEquals(0, after.getInteger("available"), after.encodePrettily());
    assertEquals(0, after.getInteger("mysqlAvailable"), after.encodePrettily());
    assertEquals(40, after.getInteger("paid"), after.encodePrettily());
  }

  /** A well-behaved client: on 429 it waits Retry-After seconds and tries again, up to a deadline. */
  private static Answer buyRespectingRetryAfter(String saleId, String token) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Answer answer = api.purchase(saleId, token, 1, null);
    while (answer.status() == 429 && System.nanoTime() < deadline) {
      Instant retryAt = Instant.now().plusSeconds(Long.parseLong(answer.retryAfter()));
      Poll.until(Duration.ofSeconds(30), Instant::now, t -> !t.isBefore(retryAt));
      answer = api.purchase(saleId, token, 1, null);
    }
    return answer;
  }

  /** What is left until {@code deadline} (a {@code System.nanoTime()} value), never negative. */
  private static Duration timeLeft(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static final Pattern ACTIVE = Pattern.compile("(?m)^vertx_http_server_active_connections(?:\\{[^}]*})? ([0-9.E]+)");

  /**
   * One sample of the gateway's open server connections from /metrics, taken every
   * {@link #CONNECTION_SAMPLE_INTERVAL} while the crowd runs; it never throws, so the schedule goes on.
   */
  private static void sampleConnections(HttpClient client, AtomicLong peak) {
    try {
      String metrics = client.send(HttpRequest.newBuilder(URI.create(stack.gateway.managementUrl() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = ACTIVE.matcher(metrics);
      long total = 0;
      while (m.find()) {
        total += (long) Double.parseDouble(m.group(1));
      }
      peak.accumulateAndGet(total, Math::max);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the sampler is being stopped
    } catch (Exception ignored) {
      // a sample lost under load is only a sample
    }
  }
}
