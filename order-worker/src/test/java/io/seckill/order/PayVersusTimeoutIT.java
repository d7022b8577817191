package io.seckill.order;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.support.Broker;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.Sales;
import io.seckill.order.support.TestWorker;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayVersusTimeoutIT {

  private static final int ORDERS = 200;
  private static final int STOCK = 300;
  private static final Duration WINDOW = Duration.ofSeconds(8);

  @Test
  @DisplayName("200 orders each paid and timed out at the same moment end PAID or CANCELLED, never both, and Redis agrees with MySQL")
  void payAndTimeoutRace() throws Exception {
    LocalStack.fromEnv().requireInfra();
    int stockPort = ServiceProcess.freePort();
    try (ServiceProcess stock = ServiceProcess.start("stock-service", stockPort, Map.of("SECKILL_STOCK_PORT", String.valueOf(stockPort)));
         TestWorker worker = TestWorker.start(Map.of("SECKILL_STOCK_URL", stock.baseUrl()));
         Broker broker = new Broker()) {
      String saleId = Sales.uniqueSaleId("race");
      JsonObject sale = Sales.definition(saleId, STOCK, WINDOW);
      assertEquals(201, Sales.post(worker.baseUrl() + "/internal/sales", sale.encode()).statusCode());
      HttpResponse<String> warmed = Sales.put(stock.baseUrl() + "/internal/sales/" + saleId, sale.encode());
      assertEquals(201, warmed.statusCode(), warmed.body());

      List<OrderMessage> orders = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        HttpResponse<String> reserved = Sales.post(stock.baseUrl() + "/internal/sales/" + saleId + "/reservations",
            new JsonObject().put("userId", "racer-" + i).put("quantity", 1).encode());
        assertEquals(201, reserved.statusCode(), reserved.body());
        JsonObject r = new JsonObject(reserved.body());
        orders.add(new OrderMessage(r.getString("orderId"), saleId, r.getString("userId"), 1,
            Instant.parse(r.getString("reservedAt")).toEpochMilli(), Instant.parse(r.getString("expiresAt")).toEpochMilli()));
      }
      Poll.await(Duration.ofSeconds(90), "the outbox's 200 creations persisted", () -> Mysql.orders(saleId) == ORDERS);

      Map<String, Integer> payAnswers = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      CountDownLatch go = new CountDownLatch(1);
      for (OrderMessage order : orders) {
        pool.submit(() -> {
          go.await();
          broker.publishTimeout(order); // the timeout, now, as the timer would deliver it
          return null;
        });
        pool.submit(() -> {
          go.await();
          payAnswers.put(order.orderId(), Sales.post(worker.baseUrl() + "/internal/orders/" + order.orderId() + "/pay",
              new JsonObject().put("userId", order.userId()).encode()).statusCode());
          return null;
        });
      }
      go.countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));

      Poll.await(Duration.ofSeconds(120), "every order settled", () -> !Mysql.unitsByStatus(saleId).containsKey("AWAITING_PAYMENT"));
      Map<String, String> statuses = Mysql.statuses(saleId);
      long paid = statuses.values().stream().filter("PAID"::equals).count();
      long cancelled = statuses.values().stream().filter("CANCELLED"::equals).count();
      assertEquals(ORDERS, paid + cancelled);
      for (OrderMessage order : orders) {
        int answer = payAnswers.get(order.orderId());
        String status = statuses.get(order.orderId());
        assertTrue(answer == 200 && "PAID".equals(status) || answer == 409 && "CANCELLED".equals(status),
            order.orderId() + ": pay answered " + answer + " but the order is " + status);
      }
      assertEquals(0, bothStamped(saleId), "no order carries both paid_at and cancelled_at");
      assertEquals(STOCK - paid, Mysql.available(saleId), "units came back for the cancelled orders only");

      // Redis gets the cancelled units back through the releases (and the real timers, which
      // arrive at expiresAt, find every order settled)
      JsonObject reconciled = Poll.until(Duration.ofSeconds(120), () -> new JsonObject(
              Sales.get(worker.baseUrl() + "/internal/sales/" + saleId).body()).getJsonObject("reconciliation"),
          r -> Boolean.TRUE.equals(r.getBoolean("consistent"))
              && Instant.now().isAfter(Instant.ofEpochMilli(orders.get(ORDERS - 1).expiresAt()).plusSeconds(3)));
      assertEquals(Boolean.TRUE, reconciled.getBoolean("consistent"), reconciled.encode());
      assertEquals(STOCK - paid, reconciled.getLong("redisAvailable"));
      assertEquals(STOCK - paid, Mysql.available(saleId));
      System.out.printf("pay vs timeout: %d paid, %d cancelled%n", paid, cancelled);
    }
  }

  private static long bothStamped(String saleId) throws Exception {
    try (var c = Mysql.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT COUNT(*) FROM orders WHERE sale_id = ? AND paid_at IS NOT NULL AND cancelled_at IS NOT NULL")) {
      s.setString(1, saleId);
      try (ResultSet rows = s.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
