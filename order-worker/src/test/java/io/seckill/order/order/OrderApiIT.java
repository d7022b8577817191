package io.seckill.order.order;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.RunningWorker;
import io.seckill.order.support.Sales;
import io.seckill.testkit.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static io.seckill.testkit.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderApiIT {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  @RegisterExtension
  static final RunningWorker RUNNING = RunningWorker.withBroker();

  @Test
  @DisplayName("Sale creation is idempotent for an identical definition and refuses a different one")
  void saleCreation() throws Exception {
    String saleId = Sales.uniqueSaleId("api");
    JsonObject sale = Sales.definition(saleId, 50, Duration.ofSeconds(90));
    assertEquals(201, Sales.post(RUNNING.worker().baseUrl() + "/internal/sales", sale.encode()).statusCode());
    assertEquals(200, Sales.post(RUNNING.worker().baseUrl() + "/internal/sales", sale.encode()).statusCode());
    HttpResponse<String> different = Sales.post(RUNNING.worker().baseUrl() + "/internal/sales", sale.copy().put("stock", 51).encode());
    assertProblem(different, 409, "SALE_EXISTS");

    JsonObject stats = new JsonObject(Sales.get(RUNNING.worker().baseUrl() + "/internal/sales/" + saleId).body());
    assertEquals(50, stats.getInteger("available"));
    assertEquals(0, stats.getInteger("orders"));
    assertEquals("PT1M30S", stats.getString("paymentWindow"));
    assertTrue(stats.containsKey("reconciliation"));
    JsonArray open = new JsonArray(Sales.get(RUNNING.worker().baseUrl() + "/internal/sales").body());
    assertTrue(open.stream().anyMatch(s -> saleId.equals(((JsonObject) s).getString("id"))));
    assertProblem(Sales.get(RUNNING.worker().baseUrl() + "/internal/sales/" + Sales.uniqueSaleId("none")), 404, "SALE_NOT_FOUND");
  }

  @Test
  @DisplayName("Bad input gets a 4xx problem and changes nothing")
  void badInput() throws Exception {
    String url = RUNNING.worker().baseUrl();
    assertProblem(Sales.post(url + "/internal/sales", "{not json"), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/sales", "[1,2]"), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/sales", Sales.definition("bad id!", 5, WINDOW).encode()), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/sales", Sales.definition("x", -5, WINDOW).encode()), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/sales", Sales.definition("x", 5, Duration.ofMillis(1500)).encode()), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/sales", "x".repeat(20_000)), 413, "PAYLOAD_TOO_LARGE");
    assertProblem(Sales.get(url + "/internal/orders/not-an-order"), 400, "BAD_REQUEST");
    assertProblem(Sales.get(url + "/internal/sales/bad%20id"), 400, "BAD_REQUEST");
    String orderId = Sales.orderId("s");
    assertProblem(Sales.post(url + "/internal/orders/" + orderId + "/pay", "{}"), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/orders/" + orderId + "/pay", "{\"userId\": 5}"), 400, "BAD_REQUEST");
    assertProblem(Sales.post(url + "/internal/orders/" + orderId + "/pay", "nope"), 400, "BAD_REQUEST");
    assertProblem(Sales.get(url + "/nowhere"), 404, "NOT_FOUND");
  }

  @Test
  @DisplayName("Payment: paid once, the same answer again, 404 for someone else's or an unknown order, ORDER_EXPIRED after the window")
  void payment() throws Exception {
    String saleId = RUNNING.worker().newSale("pay", 10, WINDOW);
    List<OrderMessage> orders = Sales.orders(saleId, 2, WINDOW);
    OrderMessage live = orders.get(1);
    long past = System.currentTimeMillis() - 1_000;
    OrderMessage lapsed = new OrderMessage(orders.get(0).orderId(), saleId, "late-user", 1, past - 5_000, past);
    assertProblem(pay(live, live.userId()), 404, "ORDER_NOT_FOUND");
    RUNNING.broker().publishCreates(List.of(live, lapsed));
    Poll.await(Duration.ofSeconds(90), "both persisted", () -> Mysql.orders(saleId) == 2);

    JsonObject looked = new JsonObject(Sales.get(RUNNING.worker().baseUrl() + "/internal/orders/" + live.orderId()).body());
    assertEquals("AWAITING_PAYMENT", looked.getString("status"));
    assertEquals(live.userId(), looked.getString("userId"));

    assertProblem(pay(live, "someone-else"), 404, "ORDER_NOT_FOUND");
    HttpResponse<String> paid = pay(live, live.userId());
    assertEquals(200, paid.statusCode());
    assertEquals("PAID", new JsonObject(paid.body()).getString("status"));
    HttpResponse<String> again = pay(live, live.userId());
    assertEquals(200, again.statusCode());
    assertEquals("PAID", new JsonObject(again.body()).getString("status"));

    assertProblem(pay(lapsed, lapsed.userId()), 409, "ORDER_EXPIRED");
    assertEquals("AWAITING_PAYMENT", Mysql.status(lapsed.orderId()), "the timeout cancels it, not the payment");
    RUNNING.broker().publishTimeout(lapsed);
    Poll.await(Duration.ofSeconds(90), "the lapsed order cancelled", () -> "CANCELLED".equals(Mysql.status(lapsed.orderId())));
    assertProblem(pay(lapsed, lapsed.userId()), 409, "ORDER_EXPIRED");
    assertEquals(9, Mysql.available(saleId));
  }

  private static HttpResponse<String> pay(OrderMessage order, String userId) throws Exception {
    return Sales.post(RUNNING.worker().baseUrl() + "/internal/orders/" + order.orderId() + "/pay", new JsonObject().put("userId", userId).encode());
  }
}
