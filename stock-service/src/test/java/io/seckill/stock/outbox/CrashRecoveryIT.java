package io.seckill.stock.outbox;

import io.seckill.contracts.Topics;
import io.seckill.stock.OutboxConfig;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockClient.Answer;
import io.seckill.stock.support.TopicProbe;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SIGKILL between the Redis deduction and the publication loses no order-creation message.
 * Other stock-service instances sharing the Redis may publish some entries meanwhile (they share
 * the outbox consumer group); the guarantee checked is the same either way: none is missing.
 */
class CrashRecoveryIT {

  private static final LocalStack STACK = LocalStack.fromEnv();

  @Test
  @DisplayName("SIGKILL stock-service in the middle of a burst, restart: every reservation gets its order-creation message")
  void everyReservationIsPublishedAfterACrash() throws Exception {
    STACK.requireInfra();
    String saleId = StockClient.uniqueSaleId("crash-it");
    int port = ServiceProcess.freePort();
    Map<String, String> env = env(port, "crash-it-" + UUID.randomUUID().toString().substring(0, 8));
    try (RedisProbe redis = new RedisProbe(STACK);
         TopicProbe creates = new TopicProbe(STACK, Topics.ORDER_CREATE, saleId);
         ServiceProcess service = ServiceProcess.start("stock-service", port, env)) {
      try {
        StockClient client = new StockClient(service.baseUrl());
        assertEquals(201, client.warm(StockClient.openSale(saleId, 100_000, 1, Duration.ofHours(1))).status());
        Set<String> answered = burstUntilKilled(client, saleId, service);
        List<String> reserved = redis.reservationIds(saleId);
        System.out.println("burst: reserved " + reserved.size() + ", answered " + answered.size()
            + ", still in the outbox at the kill " + redis.outboxLength(saleId));
        assertTrue(reserved.containsAll(answered), "every answered reservation is in Redis");

        service.restart();
        assertAllPublished(redis, creates, saleId, reserved);
      } finally {
        redis.deleteSale(saleId);
      }
    }
  }

  @Test
  @DisplayName("SIGKILL while the broker is unreachable, restart with it back: the instance's pending entries are published")
  void pendingEntriesOfACrashedInstanceArePublished() throws Exception {
    STACK.requireInfra();
    String saleId = StockClient.uniqueSaleId("crash-pel");
    int port = ServiceProcess.freePort();
    String instance = "crash-pel-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> cutOff = new HashMap<>(env(port, instance));
    // nothing listens on port 1: every send fails, so what this instance reads stays pending
    cutOff.put("SECKILL_NAMESRV_ADDR", "127.0.0.1:1");
    try (RedisProbe redis = new RedisProbe(STACK);
         TopicProbe creates = new TopicProbe(STACK, Topics.ORDER_CREATE, saleId)) {
      try {
        ServiceProcess first = ServiceProcess.start("stock-service", port, cutOff);
        StockClient client = new StockClient(first.baseUrl());
        assertEquals(201, client.warm(StockClient.openSale(saleId, 100_000, 1, Duration.ofHours(1))).status());
        Poll.await(Duration.ofSeconds(30), "the instance holds read-but-unpublished entries", () -> {
          client.reserve(saleId, "pre-" + UUID.randomUUID(), 1, null);
          return redis.pendingFor(saleId, OutboxConfig.GROUP, instance) > 0;
        });
        burstUntilKilled(client, saleId, first);
        long pending = redis.pendingFor(saleId, OutboxConfig.GROUP, instance);
        System.out.println("pending for the killed instance: " + pending);
        assertTrue(pending > 0, "the kill left entries in the instance's pending list");
        List<String> reserved = redis.reservationIds(saleId);

        try (ServiceProcess second = ServiceProcess.start("stock-service", port, env(port, instance))) {
          assertAllPublished(redis, creates, saleId, reserved);
          assertEquals(0, redis.pendingFor(saleId, OutboxConfig.GROUP, instance));
        }
      } finally {
        redis.deleteSale(saleId);
      }
    }
  }

  private static Map<String, String> env(int port, String instance) {
    // small batches and long pauses keep reservations unpublished for a while: the kill finds some
    return Map.of(
        "SECKILL_STOCK_PORT", Integer.toString(port),
        "SECKILL_STOCK_INSTANCE", instance,
        "SECKILL_OUTBOX_BATCH", "8",
        "SECKILL_OUTBOX_POLL_MS", "300");
  }

  /** 32 clients reserve for fresh users; after 600 reservations the service is SIGKILLed. */
  private static Set<String> burstUntilKilled(StockClient client, String saleId, ServiceProcess service) throws Exception {
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch halfway = new CountDownLatch(600);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 32; w++) {
      workers.add(pool.submit(() -> {
        while (true) {
          try {
            Answer answer = client.reserve(saleId, "user-" + next.incrementAndGet(), 1, null);
            if (answer.status() == 201) {
              answered.add(answer.body().getString("orderId"));
              halfway.countDown();
            }
          } catch (StockClient.ServiceDown killed) {
            return null;
          }
        }
      }));
    }
    assertTrue(halfway.await(60, TimeUnit.SECONDS), "the burst got going");
    service.kill();
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return answered;
  }

  private static void assertAllPublished(RedisProbe redis, TopicProbe creates, String saleId, List<String> reserved) {
    Set<String> expected = new HashSet<>(reserved);
    Poll.await(Duration.ofSeconds(90), "an order-creation message for each of the " + expected.size() + " reservations",
        () -> creates.arrivals().keySet().containsAll(expected));
    assertEquals(expected, new HashSet<>(creates.arrivals().keySet()), "one message per reservation, none missing, none extra");
    long duplicates = creates.arrivals().values().stream().mapToInt(a -> a.deliveries().get() - 1).sum();
    System.out.println("messages: " + creates.arrivals().size() + " orders, " + duplicates
        + " duplicate deliveries (allowed: consumers are idempotent by order id)");
    Poll.await(Duration.ofSeconds(30), "the outbox is empty", () -> redis.outboxLength(saleId) == 0);
    assertEquals(100_000 - expected.size(), redis.available(saleId), "available + reserved = stock");
  }
}
