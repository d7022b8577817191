package io.seckill.stock;

import io.seckill.contracts.Topics;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: SIGTERM (a rolling restart) of stock-service in the middle of a burst of 32 concurrent
 * reservation clients. Check: every request that got an answer got 201 or 409; every reservation
 * Redis holds was answered 201 to its client (no script ran whose answer was lost to a reset);
 * after a restart every 201's order-creation message is published.
 */
class GracefulShutdownIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final int CLIENTS = 32;

  @Test
  @DisplayName("SIGTERM mid-burst: every answer is 201/409, every reservation made was answered, and every 201 is published")
  void sigtermLosesNoAnswerAndNoReservation() throws Exception {
    STACK.requireInfra();
    String saleId = StockClient.uniqueSaleId("term-it");
    int port = ServiceProcess.freePort();
    Map<String, String> env = Map.of(
        "SECKILL_STOCK_PORT", Integer.toString(port),
        "SECKILL_STOCK_INSTANCE", "term-it-" + UUID.randomUUID().toString().substring(0, 8),
        // small batches, so the publisher is in the middle of one at the signal
        "SECKILL_OUTBOX_BATCH", "8",
        "SECKILL_SHUTDOWN_GRACE_MS", "10000");
    try (RedisProbe redis = new RedisProbe(STACK);
         TopicProbe creates = new TopicProbe(STACK, Topics.ORDER_CREATE, saleId);
         ServiceProcess service = ServiceProcess.start("stock-service", port, env)) {
      try {
        StockClient client = new StockClient(service.baseUrl());
        assertEquals(201, client.warm(StockClient.openSale(saleId, 100_000, 1, Duration.ofHours(1))).status());

        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        CountDownLatch going = new CountDownLatch(600);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CLIENTS; w++) {
          workers.add(pool.submit(() -> {
            while (true) {
              Answer answer;
              try {
                answer = client.reserve(saleId, "user-" + next.incrementAndGet(), 1, null);
              } catch (StockClient.ServiceDown gone) {
                unanswered.incrementAndGet();
                return null;
              }
              if (answer.status() == 201) {
                answered.add(answer.body().getString("orderId"));
                going.countDown();
              } else if (answer.status() != 409) {
                wrong.add(answer.status() + " " + answer.body());
              }
            }
          }));
        }
        assertTrue(going.await(60, TimeUnit.SECONDS), "the burst got going");
        long signalled = System.nanoTime();
        boolean exited = service.stop(Duration.ofSeconds(30));
        long stoppedMillis = (System.nanoTime() - signalled) / 1_000_000;
        for (Future<?> worker : workers) {
          worker.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<String> reserved = redis.reservationIds(saleId);
        System.out.println("SIGTERM: exited after " + stoppedMillis + " ms; " + answered.size() + " answered 201, "
            + reserved.size() + " reservations in Redis, " + unanswered.get() + " requests unanswered, "
            + redis.outboxLength(saleId) + " entries left in the outbox");

        assertTrue(exited, "stock-service exited within 30 s of SIGTERM");
        assertEquals(List.of(), wrong, "every answer was 201 or 409");
        assertEquals(answered, new HashSet<>(reserved), "every reservation Redis made was answered 201, and no other");

        service.restart();
        Poll.await(Duration.ofSeconds(90), "an order-creation message for each of the " + answered.size() + " 201s",
            () -> creates.arrivals().keySet().containsAll(answered),
            () -> "seen " + creates.arrivals().size() + ", outbox " + redis.outboxLength(saleId));
        assertEquals(answered, creates.arrivals().keySet(), "one order per 201, none other");
        Poll.await(Duration.ofSeconds(30), "the outbox is empty", () -> redis.outboxLength(saleId) == 0);
      } finally {
        redis.deleteSale(saleId);
      }
    }
  }
}
