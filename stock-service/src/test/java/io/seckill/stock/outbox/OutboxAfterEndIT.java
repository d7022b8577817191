package io.seckill.stock.outbox;

import io.seckill.contracts.Topics;
import io.seckill.stock.OutboxConfig;
import io.seckill.stock.redis.SaleKeys;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the broker is unreachable from just before a sale's end until well after it. Load: 20
 * reservations, published in batches of 4, so most of them are never even read from the stream
 * while the broker is away. Check: once the broker is back, every reservation's creation and timer
 * message is published and the outbox is empty, although the sale ended long ago.
 */
class OutboxAfterEndIT {

  private static final LocalStack STACK = LocalStack.fromEnv();
  private static final int RESERVATIONS = 20;

  @Test
  @DisplayName("Entries of a sale that ended during a broker outage are all published when it is back")
  void entriesOfAnEndedSaleArePublished() {
    STACK.requireInfra();
    String saleId = StockClient.uniqueSaleId("ended-it");
    int port = ServiceProcess.freePort();
    String instance = "ended-it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = Map.of(
        "SECKILL_STOCK_PORT", Integer.toString(port),
        "SECKILL_STOCK_INSTANCE", instance,
        "SECKILL_OUTBOX_BATCH", "4");
    Map<String, String> cutOff = new HashMap<>(env);
    // nothing listens on port 1: every send fails, as while the broker is down
    cutOff.put("SECKILL_NAMESRV_ADDR", "127.0.0.1:1");
    try (RedisProbe redis = new RedisProbe(STACK);
         TopicProbe creates = new TopicProbe(STACK, Topics.ORDER_CREATE, saleId);
         TopicProbe timeouts = new TopicProbe(STACK, Topics.ORDER_TIMEOUT, saleId)) {
      try {
        Set<String> reserved = new HashSet<>();
        try (ServiceProcess cutOffService = ServiceProcess.start("stock-service", port, cutOff)) {
          StockClient client = new StockClient(cutOffService.baseUrl());
          // a 2-second payment window: the timers are due by the time the broker is back
          assertEquals(201, client.warm(StockClient.openSale(saleId, 100, 1, Duration.ofSeconds(2))).status());
          for (int i = 0; i < RESERVATIONS; i++) {
            Answer answer = client.reserve(saleId, "buyer-" + i, 1, null);
            assertEquals(201, answer.status(), String.valueOf(answer.body()));
            reserved.add(answer.body().getString("orderId"));
          }
          Poll.await(Duration.ofSeconds(30), "the publisher tried and failed (entries pending for it)",
              () -> redis.pendingFor(saleId, OutboxConfig.GROUP, instance) > 0);
          cutOffService.kill();
        }
        long unread = redis.outboxLength(saleId) - redis.pendingFor(saleId, OutboxConfig.GROUP, instance);
        System.out.println("at the kill: " + redis.outboxLength(saleId) + " entries in the outbox, "
            + unread + " of them never read");
        assertTrue(unread > 0, "some entries were never read by the publisher");

        // The sale ended two minutes ago, past its end plus any margin the publisher might allow.
        // The publisher reads endsAt from this hash, so this is time passing as it sees it.
        RedisProbe.await(redis.api().hset(List.of(new SaleKeys(saleId).sale(), "endsAt",
            Long.toString(System.currentTimeMillis() - 120_000))));

        try (ServiceProcess service = ServiceProcess.start("stock-service", port, env)) {
          Poll.await(Duration.ofSeconds(90), "a creation message for each of the " + RESERVATIONS + " reservations",
              () -> creates.arrivals().keySet().containsAll(reserved),
              () -> "seen " + creates.arrivals().size() + ", outbox " + redis.outboxLength(saleId));
          Poll.await(Duration.ofSeconds(60), "a timeout message for each reservation",
              () -> timeouts.arrivals().keySet().containsAll(reserved),
              () -> "seen " + timeouts.arrivals().size());
          assertEquals(reserved, creates.arrivals().keySet(), "no creation message for an order not reserved");
          assertEquals(reserved, timeouts.arrivals().keySet(), "no timeout message for an order not reserved");
          Poll.await(Duration.ofSeconds(30), "the outbox is empty", () -> redis.outboxLength(saleId) == 0);
        }
      } finally {
        redis.deleteSale(saleId);
      }
    }
  }
}
