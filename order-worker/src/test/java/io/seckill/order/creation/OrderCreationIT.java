package io.seckill.order.creation;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.Topics;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.order.support.TestWorker;
import io.seckill.testkit.Poll;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderCreationIT {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static Broker broker;

  @BeforeAll
  static void connect() throws Exception {
    broker = new Broker();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  @Test
  @DisplayName("1,000 creation messages with 30% duplicates in shuffled order make exactly 1,000 orders and exact stock")
  void duplicatesAndShuffledOrderMakeExactlyOneOrderEach() throws Exception {
    try (TestWorker worker = TestWorker.start()) {
      String saleId = worker.newSale("dup", 2_000, WINDOW);
      List<OrderMessage> orders = Sales.orders(saleId, 1_000, WINDOW);
      List<OrderMessage> messages = new ArrayList<>(orders);
      Random random = new Random(42);
      for (int i = 0; i < 300; i++) {
        messages.add(orders.get(random.nextInt(orders.size())));
      }
      Collections.shuffle(messages, random);

      broker.publishCreates(messages);

      Poll.await(Duration.ofSeconds(120), "1,000 orders persisted", () -> Mysql.orders(saleId) >= 1_000);
      // every duplicate has been consumed too, so nothing can still add an order
      Poll.await(Duration.ofSeconds(90), "duplicates consumed",
          () -> worker.counter("seckill_order_duplicates") + worker.counter("seckill_orders_persisted") >= 1_300
              || Mysql.orders(saleId) > 1_000);
      assertEquals(1_000, Mysql.orders(saleId));
      assertEquals(2_000 - Sales.units(orders), Mysql.available(saleId));
      assertEquals(Map.of("AWAITING_PAYMENT", (long) Sales.units(orders)), Mysql.unitsByStatus(saleId));
    }
  }

  @Test
  @DisplayName("Two workers consuming the same topic at once lose no order, duplicate none, and resolve their version conflicts")
  void twoWorkersShareTheTopic() throws Exception {
    Map<String, String> sharedGroups = TestWorker.freshGroups();
    try (TestWorker first = TestWorker.start(sharedGroups); TestWorker second = TestWorker.start(sharedGroups)) {
      String saleId = first.newSale("two", 5_000, WINDOW);
      List<OrderMessage> orders = Sales.orders(saleId, 2_000, WINDOW);
      List<OrderMessage> messages = new ArrayList<>(orders);
      messages.addAll(orders.subList(0, 500)); // redeliveries that may land on the other worker
      Collections.shuffle(messages, new Random(7));

      broker.publishCreates(messages);

      // applied = inserted, or found already inserted (by the other one). MySQL holds the 2,000
      // orders before the 500 redeliveries are all consumed: wait for what is asserted, the pair's
      // count of applied messages, not for the rows.
      Poll.await(Duration.ofSeconds(120), "all 2,500 messages applied by the pair",
          () -> applied(first) + applied(second) >= 2_500,
          () -> "applied " + applied(first) + " + " + applied(second) + "; " + Mysql.summary(saleId));
      assertEquals(2_000, Mysql.orders(saleId));
      assertEquals(5_000 - Sales.units(orders), Mysql.available(saleId));
      double byFirst = applied(first);
      double bySecond = applied(second);
      System.out.printf("applied by first %.0f (inserted %.0f), by second %.0f (inserted %.0f); version conflicts %.0f + %.0f%n",
          byFirst, first.counter("seckill_orders_persisted"), bySecond, second.counter("seckill_orders_persisted"),
          first.metrics().versionConflicts(), second.metrics().versionConflicts());
      assertTrue(byFirst > 0 && bySecond > 0, "both workers took part: " + byFirst + " / " + bySecond);
      // more than 2,500 when a queue changed hands mid-batch and both applied it
      assertTrue(byFirst + bySecond >= 2_500, "every message was applied by the pair: " + (byFirst + bySecond));
    }
  }

  /** Creation messages a worker applied: orders it inserted plus those it found already there. */
  private static double applied(TestWorker worker) {
    return worker.counter("seckill_orders_persisted") + worker.counter("seckill_order_duplicates");
  }

  @Test
  @DisplayName("A malformed message and one for an unknown sale are dead-lettered, and the rest carry on")
  void poisonIsDeadLetteredAndTheRestCarryOn() throws Exception {
    String poisonKey = "poison-" + System.nanoTime();
    String unknownSale = Sales.uniqueSaleId("nosale");
    OrderMessage orphan = Sales.orders(unknownSale, 1, WINDOW).get(0);
    Map<String, List<MessageExt>> dead = broker.watch(Topics.DEAD_LETTER,
        key -> key.equals(poisonKey) || key.equals(orphan.orderId()));
    try (TestWorker worker = TestWorker.start()) {
      String saleId = worker.newSale("poison", 100, WINDOW);
      List<OrderMessage> orders = Sales.orders(saleId, 50, WINDOW);

      broker.publishCreates(orders.subList(0, 25));
      broker.publishRaw(Topics.ORDER_CREATE, poisonKey, "{\"orderId\": 12, not json".getBytes(StandardCharsets.UTF_8));
      broker.publishCreates(List.of(orphan));
      broker.publishCreates(orders.subList(25, 50));

      Poll.await(Duration.ofSeconds(120), "the 50 good orders persisted", () -> Mysql.orders(saleId) == 50);
      Poll.await(Duration.ofSeconds(120), "both bad messages dead-lettered",
          () -> dead.containsKey(poisonKey) && dead.containsKey(orphan.orderId()));
      MessageExt poison = dead.get(poisonKey).get(0);
      assertEquals(Topics.ORDER_CREATE, poison.getUserProperty("sourceTopic"));
      assertEquals("MALFORMED", poison.getUserProperty("reason"));
      assertEquals("{\"orderId\": 12, not json", new String(poison.getBody(), StandardCharsets.UTF_8));
      assertEquals("UNKNOWN_SALE", dead.get(orphan.orderId()).get(0).getUserProperty("reason"));
      assertEquals(100 - Sales.units(orders), Mysql.available(saleId));
    }
  }
}
