package io.seckill.stock.outbox;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockService;
import io.seckill.stock.support.StockClient.Answer;
import io.seckill.stock.support.StockProcess;
import io.seckill.stock.support.TopicProbe;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What stock-service says to and hears from RocketMQ: creation, timer and release messages. */
class MessagesIT {

  @RegisterExtension
  static final StockService STOCK = StockService.forSalesWithProducer("msg-it");
  private final StockClient client = STOCK.client();
  private final RedisProbe redis = STOCK.redis();

  private String warmSale(int stock, int limit, Duration paymentWindow) {
    return STOCK.warmSale(stock, limit, paymentWindow).getString("id");
  }

  @Test
  @DisplayName("A reservation is published as an order-creation message, and its 3-second timer arrives after 3 s and within 5 s")
  void publishesCreationAndTimerMessages() {
    String saleId = warmSale(10, 1, Duration.ofSeconds(3));
    try (TopicProbe creates = new TopicProbe(StockService.STACK, Topics.ORDER_CREATE, saleId);
         TopicProbe timeouts = new TopicProbe(StockService.STACK, Topics.ORDER_TIMEOUT, saleId)) {
      creates.awaitReady(STOCK.producer().producer());
      timeouts.awaitReady(STOCK.producer().producer());
      Answer reserved = client.reserve(saleId, "alice", 1, null);
      assertEquals(201, reserved.status());
      String orderId = reserved.body().getString("orderId");
      long reservedAt = Instant.parse(reserved.body().getString("reservedAt")).toEpochMilli();
      long expiresAt = Instant.parse(reserved.body().getString("expiresAt")).toEpochMilli();
      assertEquals(3_000, expiresAt - reservedAt);

      Poll.await(Duration.ofSeconds(60), "the order-creation message", () -> creates.arrivals().containsKey(orderId));
      OrderMessage created = OrderMessage.fromBytes(creates.arrivals().get(orderId).body().getBytes(StandardCharsets.UTF_8));
      assertEquals(new OrderMessage(orderId, saleId, "alice", 1, reservedAt, expiresAt), created);

      Poll.await(Duration.ofSeconds(15), "the timeout message", () -> timeouts.arrivals().containsKey(orderId));
      long delay = timeouts.arrivals().get(orderId).firstAtMillis() - reservedAt;
      System.out.println("creation message seen " + (creates.arrivals().get(orderId).firstAtMillis() - reservedAt)
          + " ms and timer message " + delay + " ms after the reservation");
      assertTrue(delay >= 3_000 && delay <= 5_000, "timer message arrived " + delay + " ms after the reservation");
      assertEquals(created, OrderMessage.fromBytes(timeouts.arrivals().get(orderId).body().getBytes(StandardCharsets.UTF_8)));
      Poll.await(Duration.ofSeconds(10), "the outbox is drained", () -> redis.outboxLength(saleId) == 0);
    }
  }

  @Test
  @DisplayName("A stock-release message delivered twice returns the units once; a release of an unknown reservation changes nothing")
  void releaseMessagesAreIdempotent() throws Exception {
    String saleId = warmSale(5, 2, Duration.ofMinutes(30));
    Answer reserved = client.reserve(saleId, "alice", 2, null);
    assertEquals(201, reserved.status());
    String orderId = reserved.body().getString("orderId");
    String unknownId = saleId + ".01ARZ3NDEKTSV4RRFFQ69G5FAV";
    assertEquals(3, redis.available(saleId));

    STOCK.producer().sendRelease(new StockRelease(unknownId, saleId, "bob", 3, "TIMEOUT"));
    STOCK.producer().sendRelease(new StockRelease(orderId, saleId, "alice", 2, "TIMEOUT"));
    STOCK.producer().sendRelease(new StockRelease(orderId, saleId, "alice", 2, "TIMEOUT"));

    Poll.await(Duration.ofSeconds(30), "the released units are back", () -> redis.available(saleId) == 5);
    Answer record = client.get("/internal/reservations/" + orderId);
    assertEquals("RELEASED", record.body().getString("status"));
    assertEquals(null, redis.held(saleId).get("alice"));
    // an observation window: a second return would show as available > stock
    Long last = Poll.until(Duration.ofSeconds(3), () -> redis.available(saleId), available -> available != 5);
    assertEquals(5, last, "units returned exactly once; the duplicate and the unknown release changed nothing");
    assertEquals(2, client.get("/internal/sales/" + saleId).body().getInteger("releasedUnits"));
    assertEquals(201, client.reserve(saleId, "carol", 2, null).status(), "released units sell again");
  }
}
