package io.seckill.order;

import io.seckill.contracts.OrderMessage;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.MysqlProxy;
import io.seckill.order.support.Sales;
import io.seckill.order.support.TestWorker;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the path from the worker to MariaDB hangs (every packet held) for 20 s, then refuses
 * connections for 30 s more, through a TCP proxy. Load: 200 creations and the timeouts of 100
 * persisted orders, published during the partition. Check: after it heals, every order is in
 * MySQL once, the 100 are cancelled once with their units back once and a release each, and
 * nothing was dead-lettered. Before, three attempts of a message spanned about 40 s (the
 * broker's 10 s and 30 s redelivery delays), after which it was dead-lettered as
 * RETRIES_EXHAUSTED; here the backoff is capped at 1 s, and the partition lasts until some work
 * has failed more often than that limit allowed.
 */
class MysqlPartitionIT {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Duration FROZEN = Duration.ofSeconds(20);
  private static final Duration PARTITION = Duration.ofSeconds(50);
  private static final int STOCK = 1_000;

  @Test
  @DisplayName("MySQL hung, then refusing, for 50 s while creations and timeouts arrive: after it heals every order is persisted and cancelled exactly once, and nothing is dead-lettered")
  void ridesOutAMysqlPartition() throws Exception {
    LocalStack.fromEnv().requireInfra();
    try (MysqlProxy proxy = MysqlProxy.start(); Broker broker = new Broker();
         // the attempt limit of before is set, to show that nothing counts attempts any more
         TestWorker worker = TestWorker.start(Map.of("SECKILL_MYSQL_PORT", String.valueOf(proxy.port()),
             "SECKILL_ORDER_RETRY_MAX_MS", "1000", "SECKILL_ORDER_MAX_ATTEMPTS", "3"))) {
      String saleId = worker.newSale("partition", STOCK, WINDOW);
      List<OrderMessage> persisted = Sales.orders(saleId, 100, WINDOW);
      broker.publishCreates(persisted);
      Poll.await(Duration.ofSeconds(90), "the first 100 orders persisted", () -> Mysql.orders(saleId) == 100, worker::consumerState);
      Map<String, List<MessageExt>> releases = broker.watch(Topics.STOCK_RELEASE, key -> key.startsWith(saleId + "."));
      Map<String, List<MessageExt>> dead = broker.watch(Topics.DEAD_LETTER, key -> key.startsWith(saleId));

      proxy.freeze();
      Instant cut = Instant.now();
      List<OrderMessage> during = Sales.orders(saleId, 200, WINDOW);
      broker.publishCreates(during);
      for (OrderMessage order : persisted) {
        broker.publishTimeout(order);
      }
      Poll.await(FROZEN.plusSeconds(30), "the worker retrying against a hung MySQL for " + FROZEN,
          () -> Duration.between(cut, Instant.now()).compareTo(FROZEN) >= 0 && retries(worker) > 0);
      proxy.refuse();
      // each retry waits out the pool's 5 s connection timeout before its pause: ~6 s an attempt
      Poll.await(PARTITION.plusSeconds(60), "the partition held for " + PARTITION + " and work tried 6 times or more",
          () -> Duration.between(cut, Instant.now()).compareTo(PARTITION) >= 0 && longestAttempts(worker) >= 6);
      assertEquals(100, Mysql.orders(saleId), "nothing reached MySQL through the partition");
      assertEquals(Map.of("AWAITING_PAYMENT", (long) Sales.units(persisted)), Mysql.unitsByStatus(saleId));

      proxy.heal();
      Instant healed = Instant.now();
      Poll.await(Duration.ofSeconds(120), "all 300 orders persisted and the first 100 cancelled",
          () -> Mysql.orders(saleId) == 300
              && Mysql.unitsByStatus(saleId).getOrDefault("CANCELLED", 0L) == Sales.units(persisted),
          () -> worker.consumerState() + "; " + Mysql.summary(saleId));
      Duration recovery = Duration.between(healed, Instant.now());
      Poll.await(Duration.ofSeconds(60), "a release for each cancelled order",
          () -> persisted.stream().allMatch(o -> releases.containsKey(o.orderId())));

      assertEquals(300, Mysql.orders(saleId));
      assertEquals(Map.of("CANCELLED", (long) Sales.units(persisted), "AWAITING_PAYMENT", (long) Sales.units(during)),
          Mysql.unitsByStatus(saleId));
      assertEquals(STOCK - Sales.units(during), Mysql.available(saleId), "each cancelled order gave its units back once");
      for (OrderMessage order : persisted) {
        for (MessageExt release : releases.get(order.orderId())) {
          assertEquals(new StockRelease(order.orderId(), saleId, order.userId(), order.quantity(), "TIMEOUT"),
              StockRelease.fromBytes(release.getBody()));
        }
      }
      assertEquals(0, worker.counter("seckill_dead_letters_sent"), "no message was dead-lettered");
      assertTrue(dead.isEmpty(), "no dead letter on the topic: " + dead.keySet());
      assertTrue(longestAttempts(worker) > 3, "more attempts than SECKILL_ORDER_MAX_ATTEMPTS allowed");
      System.out.printf("MySQL partition of %s: recovered %s after healing; %.0f retries, the longest took %.0f attempts%n",
          PARTITION, recovery, retries(worker), longestAttempts(worker));
    }
  }

  private static double retries(TestWorker worker) {
    return worker.counter("seckill_order_retries");
  }

  private static double longestAttempts(TestWorker worker) {
    return worker.metrics().registry().get("seckill_order_retry_longest_attempts").gauge().value();
  }
}
