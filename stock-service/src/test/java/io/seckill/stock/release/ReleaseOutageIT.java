package io.seckill.stock.release;

import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockClient.Answer;
import io.seckill.stock.support.StockProcess;
import io.seckill.stock.support.TcpProxy;
import io.seckill.stock.support.TestProducer;
import io.seckill.stock.support.TopicProbe;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.redis.client.Response;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: Redis, seen from stock-service through a TCP proxy, hangs for 25 s (connections open,
 * nothing answered) and then refuses connections for 40 s more, while 20 stock-release messages
 * (each delivered twice) arrive. Check: nothing is dead-lettered during or after the outage; within
 * 20 s of Redis coming back every release is applied exactly once (available back to stock,
 * releasedUnits = stock, every reservation RELEASED). A consumer that leaves its retries to the
 * broker's growing redelivery delays (10 s, 30 s, 1 min, 2 min …) comes back long after that.
 */
class ReleaseOutageIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final int UNITS = 20;
  private static final Duration HUNG = Duration.ofSeconds(25);
  private static final Duration DOWN = Duration.ofSeconds(40);
  private static final Duration RECOVERY = Duration.ofSeconds(20);

  @Test
  @DisplayName("Redis hung then down for 65 s under releases: none dead-lettered, all applied once within 20 s of its return")
  void releasesSurviveARedisOutage() throws Exception {
    STACK.requireInfra();
    String saleId = StockClient.uniqueSaleId("rel-out");
    try (TestProducer producer = TestProducer.start(STACK, "stock-it-rel");
         RedisProbe redis = new RedisProbe(STACK);
         TcpProxy proxy = TcpProxy.start(STACK.redisHost(), STACK.redisPort());
         TopicProbe deadLetters = new TopicProbe(STACK, Topics.DEAD_LETTER, saleId);
         ServiceProcess service = StockProcess.start(Map.of("SECKILL_REDIS_PORT", Integer.toString(proxy.port())))) {
      try {
        StockClient client = new StockClient(service.baseUrl());
        assertEquals(201, client.warm(StockClient.openSale(saleId, UNITS, 1, Duration.ofHours(1))).status());
        List<StockRelease> releases = new ArrayList<>();
        for (int i = 0; i < UNITS; i++) {
          Answer reserved = client.reserve(saleId, "buyer-" + i, 1, null);
          assertEquals(201, reserved.status(), String.valueOf(reserved.body()));
          releases.add(new StockRelease(reserved.body().getString("orderId"), saleId, "buyer-" + i, 1, "TIMEOUT"));
        }
        assertEquals(0, redis.available(saleId));

        proxy.freeze();
        long outageStart = System.nanoTime();
        for (StockRelease release : releases) {
          producer.sendRelease(release);
          producer.sendRelease(release);
        }
        outageLasts(HUNG, outageStart, deadLetters);
        proxy.cut();
        outageLasts(HUNG.plus(DOWN), outageStart, deadLetters);
        assertEquals(0, redis.available(saleId), "nothing was released while Redis was unreachable");

        proxy.heal();
        long healed = System.nanoTime();
        Poll.await(RECOVERY, "every unit is back within " + RECOVERY + " of Redis' return",
            () -> redis.available(saleId) == UNITS, () -> "available " + redis.available(saleId));
        System.out.println("releases applied " + (System.nanoTime() - healed) / 1_000_000 + " ms after Redis came back");

        // an observation window: a second application of any release would push available past stock
        Long last = Poll.until(Duration.ofSeconds(5), () -> redis.available(saleId), available -> available != UNITS);
        assertEquals(UNITS, last, "each release applied exactly once");
        Response released = RedisProbe.await(redis.api().hget(new SaleKeys(saleId).sale(), "releasedUnits"));
        assertEquals(UNITS, released.toInteger());
        for (StockRelease release : releases) {
          assertEquals("RELEASED", client.get("/internal/reservations/" + release.orderId()).body().getString("status"));
        }
        assertTrue(deadLetters.arrivals().isEmpty(), "nothing dead-lettered: " + deadLetters.arrivals().keySet());
      } finally {
        proxy.heal();
        redis.deleteSale(saleId);
      }
    }
  }

  /** Holds the fault until {@code total} has passed since {@code start}, failing at once on a dead letter. */
  private static void outageLasts(Duration total, long start, TopicProbe deadLetters) {
    Poll.until(total.plusSeconds(5), () -> deadLetters.arrivals().size(),
        count -> count > 0 || System.nanoTime() - start >= total.toNanos());
    assertTrue(deadLetters.arrivals().isEmpty(), "dead-lettered during the outage: " + deadLetters.arrivals().keySet());
  }

}
