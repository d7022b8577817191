package io.seckill.order.timeout;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.order.support.TestWorker;
import io.seckill.testkit.Poll;
import io.vertx.core.json.JsonObject;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sweep also re-issues the timers of every other lapsed order in MySQL (other tests leave
 * thousands awaiting payment with 10-minute windows), oldest first, 500 a pass. This test's order
 * is a creation that arrived long after its window (as after an outage) and whose timer was lost:
 * the oldest in MySQL, so it is in the first pass however many others are waiting. Everything
 * asserted is about this order alone.
 */
class LostTimerSweepIT {

  private static final int GRACE_SECONDS = 2;

  @Test
  @DisplayName("An order whose timeout never comes is cancelled by the sweep a grace after its window, its release published once; a late timer then changes nothing")
  void sweepCancelsAnOrderWhoseTimerWasLost() throws Exception {
    try (Broker broker = new Broker(); TestWorker worker = TestWorker.start(Map.of(
        "SECKILL_ORDER_SWEEP_SECONDS", "1", "SECKILL_ORDER_SWEEP_GRACE_SECONDS", String.valueOf(GRACE_SECONDS)))) {
      String saleId = worker.newSale("lost", 10, Duration.ofSeconds(3));
      long windowEnded = Instant.parse("2001-01-01T00:00:00Z").toEpochMilli();
      OrderMessage order = new OrderMessage(Sales.orderId(saleId), saleId, "forgetful", 2, windowEnded - 3_000, windowEnded);
      // its neighbour's window is still open: the sweep leaves it alone
      long now = System.currentTimeMillis();
      OrderMessage open = new OrderMessage(Sales.orderId(saleId), saleId, "patient", 1, now, now + 3_600_000);
      Map<String, List<MessageExt>> releases = broker.watch(Topics.STOCK_RELEASE, order.orderId()::equals);

      // the creations arrive; the lapsed order's timer message never does
      broker.publishCreates(List.of(order, open));
      Poll.await(Duration.ofSeconds(60), "both orders persisted", () -> Mysql.orders(saleId) == 2, worker::consumerState);
      assertEquals(7, Mysql.available(saleId));

      Poll.await(Duration.ofSeconds(90), "the sweep cancelled the order", () -> "CANCELLED".equals(Mysql.status(order.orderId())),
          worker::consumerState);
      JsonObject cancelled = new JsonObject(Sales.get(worker.baseUrl() + "/internal/orders/" + order.orderId()).body());
      assertEquals(9, Mysql.available(saleId), "its units are back in MySQL");
      Poll.await(Duration.ofSeconds(60), "the release published", () -> releases.containsKey(order.orderId()));
      // later passes find the order cancelled and send nothing more
      double passes = worker.counter("seckill_order_sweep_passes");
      Poll.await(Duration.ofSeconds(60), "three more sweep passes", () -> worker.counter("seckill_order_sweep_passes") >= passes + 3);
      assertEquals(1, releases.get(order.orderId()).size(), "one release for the swept order");
      assertEquals("AWAITING_PAYMENT", Mysql.status(open.orderId()), "an order within its window is not swept");
      StockRelease expected = new StockRelease(order.orderId(), saleId, order.userId(), order.quantity(), "TIMEOUT");
      assertEquals(expected, StockRelease.fromBytes(releases.get(order.orderId()).get(0).getBody()));

      // The lost timer turns up after all. It finds the order cancelled, moves no unit, and
      // publishes the release again, as any redelivered timeout does (stock-service applies a
      // release once per order id): that second release says it has been applied.
      broker.publishTimeout(order);
      Poll.await(Duration.ofSeconds(60), "the late timer applied", () -> releases.get(order.orderId()).size() == 2,
          worker::consumerState);
      assertEquals("CANCELLED", Mysql.status(order.orderId()));
      assertEquals(9, Mysql.available(saleId), "no unit given back twice");
      assertEquals(Map.of("CANCELLED", 2L, "AWAITING_PAYMENT", 1L), Mysql.unitsByStatus(saleId));
      assertEquals(cancelled.getString("cancelledAt"),
          new JsonObject(Sales.get(worker.baseUrl() + "/internal/orders/" + order.orderId()).body()).getString("cancelledAt"),
          "the order was not cancelled a second time");
      for (MessageExt release : releases.get(order.orderId())) {
        assertEquals(expected, StockRelease.fromBytes(release.getBody()));
      }
    }
  }
}
