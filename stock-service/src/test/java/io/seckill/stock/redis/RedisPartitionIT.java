package io.seckill.stock.redis;

import io.seckill.stock.support.RedisLink;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockProcess;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the link between stock-service and Redis breaks while buyers reserve, then heals, and
 * stock-service is NOT restarted. The breaks: a 12 s partition (the link freezes; TCP keeps the
 * sockets open); the same after 200 ms of added latency under load, healed for new connections
 * only (the old ones stay silent for good, as when a NAT lost them: the case that kept
 * stock-service answering errors until it was restarted); and a reset (every connection dropped
 * at once). Load: 8 buyers at a time, each a new
 * user with an Idempotency-Key. Check: within 10 s of the heal a new buyer's reservation succeeds;
 * then every buyer ever sent retries with the same key and gets 200/201, and Redis holds exactly
 * one unit and one reservation record per buyer, available = stock - buyers.
 */
class RedisPartitionIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final int STOCK = 5_000;
  private static final Duration PARTITION = Duration.ofSeconds(12);
  private static final Duration RECOVERY = Duration.ofSeconds(10);

  @Test
  @DisplayName("a 12 s partition to Redis heals without a restart: reservations succeed again and every count is exact")
  void partitionHeals() throws Exception {
    breakAndHeal("part", (link, buyers) -> link.partition(), PARTITION, true, RedisLink::heal);
  }

  @Test
  @DisplayName("200 ms added under load, a 12 s partition, then the old connections stay silent for good: "
      + "stock-service opens new ones and reservations succeed again without a restart, counts exact")
  void silentConnectionsAreReplaced() throws Exception {
    breakAndHeal("silent", (link, buyers) -> {
      link.latency(Duration.ofMillis(200));
      buyers.burst(Duration.ofSeconds(5));
      link.partition();
    }, PARTITION, true, RedisLink::healForNewConnectionsOnly);
  }

  @Test
  @DisplayName("every Redis connection reset at once: the next reservations succeed without a restart, counts exact")
  void resetHeals() throws Exception {
    breakAndHeal("reset", (link, buyers) -> link.reset(), Duration.ofSeconds(2), false, RedisLink::heal);
  }

  private interface Fault {
    void inject(RedisLink link, Buyers buyers) throws Exception;
  }

  /** {@code linkDown}: the fault lasts (a partition), so nothing reserved during it can be answered. */
  private void breakAndHeal(String tag, Fault fault, Duration hold, boolean linkDown,
                            java.util.function.Consumer<RedisLink> heal) throws Exception {
    STACK.requireInfra();
    String saleId = StockClient.uniqueSaleId("link-" + tag);
    try (RedisProbe redis = new RedisProbe(STACK);
         RedisLink link = RedisLink.open(STACK.redisHost(), STACK.redisPort());
         ServiceProcess service = StockProcess.start(Map.of("SECKILL_REDIS_PORT", Integer.toString(link.port())));
         Buyers buyers = new Buyers(new StockClient(service.baseUrl()), saleId)) {
      try {
        assertEquals(201, buyers.client.warm(StockClient.openSale(saleId, STOCK, 1, Duration.ofHours(1))).status());
        for (int i = 0; i < 10; i++) {
          assertEquals(201, buyers.buy(Duration.ofSeconds(5)), "before the fault");
        }

        fault.inject(link, buyers);
        // buyers whose reservations are in flight while the link is broken
        List<Future<Integer>> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          inFlight.add(buyers.pool.submit(() -> buyers.buy(Duration.ofSeconds(3))));
        }
        for (Future<Integer> answer : inFlight) {
          int status = answer.get(30, TimeUnit.SECONDS);
          assertTrue(status == 0 || status == 503 || (!linkDown && status == 201),
              "a reservation while the link is broken got " + status);
        }
        long broken = System.nanoTime();
        Poll.until(hold.plusSeconds(5), () -> System.nanoTime() - broken, elapsed -> elapsed >= hold.toNanos());
        heal.accept(link);
        long healed = System.nanoTime();

        Poll.await(RECOVERY, "a new buyer's reservation succeeds within " + RECOVERY + " of the heal",
            () -> Buyers.succeeded(buyers.buy(Duration.ofSeconds(2))),
            () -> "answers so far " + buyers.statuses);
        System.out.println(tag + ": reservations succeed again " + (System.nanoTime() - healed) / 1_000_000
            + " ms after the heal; answers " + buyers.statuses);
        for (int i = 0; i < 20; i++) {
          assertEquals(201, buyers.buy(Duration.ofSeconds(5)), "after the heal");
        }

        // every buyer ever sent gets a definite answer on a retry with the same key
        for (String user : buyers.sent) {
          int status = buyers.send(user, Duration.ofSeconds(5));
          assertTrue(Buyers.succeeded(status), "retry of " + user + " got " + status);
        }
        Map<String, Long> expected = new HashMap<>();
        buyers.sent.forEach(user -> expected.put(user, 1L));
        assertEquals(expected, redis.held(saleId), "one unit per buyer told 200/201, nothing else");
        assertEquals(STOCK - buyers.sent.size(), redis.available(saleId), "available = stock - buyers");
        assertEquals(buyers.sent.size(), redis.reservationIds(saleId).size(), "one reservation record per buyer");
      } finally {
        link.heal();
        redis.deleteSale(saleId);
      }
    }
  }

  /** New buyers, one keyed reservation each; remembers every buyer sent and every answer seen. */
  private static final class Buyers implements AutoCloseable {
    final StockClient client;
    final String saleId;
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    Buyers(StockClient client, String saleId) {
      this.client = client;
      this.saleId = saleId;
    }

    /** 201: reserved now; 200: the same key's earlier reservation (its first attempt got no answer). */
    static boolean succeeded(int status) {
      return status == 200 || status == 201;
    }

    /** A new buyer's reservation: its status, 0 when no answer came within {@code timeout}. */
    int buy(Duration timeout) {
      String user = "buyer-" + next.incrementAndGet();
      sent.add(user);
      return send(user, timeout);
    }

    int send(String user, Duration timeout) {
      String body = new JsonObject().put("userId", user).put("quantity", 1).put("idempotencyKey", "key-" + user).encode();
      int status;
      try {
        status = client.send("POST", "/internal/sales/" + saleId + "/reservations", body, timeout).status();
      } catch (StockClient.ServiceDown e) {
        status = 0;
      }
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      return status;
    }

    /** 8 buyers at a time for {@code length}; every answer must be a success. */
    void burst(Duration length) throws Exception {
      long end = System.nanoTime() + length.toNanos();
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        workers.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            int status = buy(Duration.ofSeconds(5));
            assertEquals(201, status, "under added latency");
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(length.toSeconds() + 30, TimeUnit.SECONDS);
      }
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
