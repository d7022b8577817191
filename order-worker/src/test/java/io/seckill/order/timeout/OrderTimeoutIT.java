package io.seckill.order.timeout;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.RunningWorker;
import io.seckill.order.support.Sales;
import io.seckill.testkit.Poll;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OrderTimeoutIT {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  @RegisterExtension
  static final RunningWorker RUNNING = RunningWorker.withBroker();

  @Test
  @DisplayName("A timeout before the creation message cancels the order, returns its unit once, and the late creation does not revive it")
  void timeoutBeforeCreation() throws Exception {
    String saleId = RUNNING.worker().newSale("early", 10, WINDOW);
    OrderMessage order = Sales.orders(saleId, 1, WINDOW).get(0);
    Map<String, List<MessageExt>> releases = RUNNING.broker().watch(Topics.STOCK_RELEASE, order.orderId()::equals);

    RUNNING.broker().publishTimeout(order);
    Poll.await(Duration.ofSeconds(90), "the tombstone", () -> "CANCELLED".equals(Mysql.status(order.orderId())), RUNNING.worker()::consumerState);
    double duplicatesBefore = RUNNING.worker().counter("seckill_order_duplicates");
    RUNNING.broker().publishCreates(List.of(order));

    Poll.await(Duration.ofSeconds(90), "the late creation consumed as a duplicate",
        () -> RUNNING.worker().counter("seckill_order_duplicates") > duplicatesBefore, RUNNING.worker()::consumerState);
    Poll.await(Duration.ofSeconds(90), "the release published", () -> releases.containsKey(order.orderId()));
    assertEquals("CANCELLED", Mysql.status(order.orderId()));
    assertEquals(10, Mysql.available(saleId), "MySQL never took this unit, so it gives none back");
    assertEquals(1, Mysql.orders(saleId));
    StockRelease release = StockRelease.fromBytes(releases.get(order.orderId()).get(0).getBody());
    assertEquals(new StockRelease(order.orderId(), saleId, order.userId(), order.quantity(), "TIMEOUT"), release);
  }

  @Test
  @DisplayName("A timeout cancels an unpaid order once: a redelivered timeout returns no second unit")
  void unpaidOrderIsCancelledOnce() throws Exception {
    String saleId = RUNNING.worker().newSale("expire", 10, WINDOW);
    OrderMessage order = Sales.orders(saleId, 1, WINDOW).get(0); // two units
    Map<String, List<MessageExt>> releases = RUNNING.broker().watch(Topics.STOCK_RELEASE, order.orderId()::equals);
    RUNNING.broker().publishCreates(List.of(order));
    Poll.await(Duration.ofSeconds(90), "the order persisted", () -> "AWAITING_PAYMENT".equals(Mysql.status(order.orderId())), RUNNING.worker()::consumerState);
    assertEquals(10 - order.quantity(), Mysql.available(saleId));

    RUNNING.broker().publishTimeout(order);
    RUNNING.broker().publishTimeout(order);

    Poll.await(Duration.ofSeconds(90), "both timeouts released", () -> releases.getOrDefault(order.orderId(), List.of()).size() >= 2, RUNNING.worker()::consumerState);
    assertEquals("CANCELLED", Mysql.status(order.orderId()));
    assertEquals(10, Mysql.available(saleId));
    assertEquals(Map.of("CANCELLED", (long) order.quantity()), Mysql.unitsByStatus(saleId));
  }

  @Test
  @DisplayName("A paid order ignores its timeout: it stays paid and no unit goes back")
  void paidOrderIgnoresTimeout() throws Exception {
    String saleId = RUNNING.worker().newSale("paid", 10, WINDOW);
    OrderMessage order = Sales.orders(saleId, 2, WINDOW).get(1); // one unit
    RUNNING.broker().publishCreates(List.of(order));
    Poll.await(Duration.ofSeconds(90), "the order persisted", () -> Mysql.status(order.orderId()) != null, RUNNING.worker()::consumerState);
    assertEquals(200, Sales.post(RUNNING.worker().baseUrl() + "/internal/orders/" + order.orderId() + "/pay",
        "{\"userId\":\"" + order.userId() + "\"}").statusCode());
    double releasesBefore = RUNNING.worker().counter("seckill_stock_releases_published");
    double paidBefore = RUNNING.worker().counter("seckill_order_timeouts", "outcome", "PAID");

    RUNNING.broker().publishTimeout(order);

    Poll.await(Duration.ofSeconds(90), "the timeout applied to the paid order",
        () -> RUNNING.worker().counter("seckill_order_timeouts", "outcome", "PAID") > paidBefore, RUNNING.worker()::consumerState);
    assertEquals("PAID", Mysql.status(order.orderId()));
    assertEquals(9, Mysql.available(saleId));
    assertEquals(releasesBefore, RUNNING.worker().counter("seckill_stock_releases_published"), "a paid order's unit is not released");
  }
}
