package io.seckill.order;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.order.support.TestWorker;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerCrashIT {

  private static final int ORDERS = 5_000;
  private static final int STOCK = 10_000;

  @Test
  @DisplayName("SIGKILL in the middle of a 5,000-message backlog, then a restart: exactly 5,000 orders and exact stock")
  void survivesSigkillMidBacklog() throws Exception {
    LocalStack.fromEnv().requireInfra();
    int port = ServiceProcess.freePort();
    // small batches on one thread, so that the backlog is still being worked on when the kill comes
    Map<String, String> env = new java.util.HashMap<>(TestWorker.freshGroups());
    env.putAll(Map.of("SECKILL_ORDER_PORT", String.valueOf(port),
        "SECKILL_ORDER_BATCH_SIZE", "4", "SECKILL_ORDER_CONSUME_THREADS", "1"));
    try (ServiceProcess worker = ServiceProcess.start("order-worker", port, env); Broker broker = new Broker()) {
      String saleId = Sales.uniqueSaleId("crash");
      Sales.create(worker.baseUrl(), saleId, STOCK, Duration.ofMinutes(10));
      List<OrderMessage> orders = Sales.orders(saleId, ORDERS, Duration.ofMinutes(10));

      broker.publishCreates(orders);
      Poll.await(Duration.ofSeconds(120), "the worker is working through the backlog", () -> Mysql.orders(saleId) >= 200);
      worker.kill();
      long atKill = Mysql.orders(saleId);
      assertTrue(atKill < ORDERS, "killed after the backlog was already done (" + atKill + ")");

      worker.restart();
      Poll.await(Duration.ofSeconds(120), "all 5,000 orders persisted after the restart", () -> Mysql.orders(saleId) >= ORDERS);
      assertEquals(ORDERS, Mysql.orders(saleId));
      assertEquals(STOCK - Sales.units(orders), Mysql.available(saleId));
      assertEquals(Map.of("AWAITING_PAYMENT", (long) Sales.units(orders)), Mysql.unitsByStatus(saleId));
      System.out.printf("killed with %d of %d persisted%n", atKill, ORDERS);
    }
  }
}
