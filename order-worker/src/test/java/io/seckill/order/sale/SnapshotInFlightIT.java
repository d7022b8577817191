package io.seckill.order.sale;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.support.Mysql;
import io.seckill.order.support.RunningWorker;
import io.seckill.order.support.Sales;
import io.seckill.testkit.Poll;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.seckill.testkit.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot refuses while creation messages published before it are not in MySQL (issue 11):
 * a restore built on it would put their units on sale again.
 *
 * <p>How the creations are held: the test's own transaction locks the sale's row
 * ({@code SELECT … FOR UPDATE}), so the worker's creation transaction waits on its update of the
 * row and its messages stay unacknowledged, while the snapshot's consistent read does not wait on
 * the lock. Before the check, the snapshot answered 200 here without the held orders.
 */
class SnapshotInFlightIT {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final int STOCK = 100;
  private static final int ORDERS = 20;

  @RegisterExtension
  static final RunningWorker RUNNING = RunningWorker.withBroker();

  @Test
  @DisplayName("A snapshot asked while creations are still in flight is 409 CREATIONS_IN_FLIGHT and changes nothing; the first 200 after them holds every order")
  void refusesWhileCreationsAreInFlight() throws Exception {
    String saleId = Sales.uniqueSaleId("snap-flight");
    Sales.create(RUNNING.worker().baseUrl(), saleId, STOCK, WINDOW);
    String snapshotUrl = RUNNING.worker().baseUrl() + "/internal/sales/" + saleId + "/snapshot";
    List<OrderMessage> orders = Sales.orders(saleId, ORDERS, WINDOW);

    try (Connection lock = Mysql.connect()) {
      lock.setAutoCommit(false);
      try {
        try (PreparedStatement row = lock.prepareStatement("SELECT id FROM sale WHERE id = ? FOR UPDATE")) {
          row.setString(1, saleId);
          try (ResultSet locked = row.executeQuery()) {
            assertTrue(locked.next(), "the sale's row is locked");
          }
        }
        RUNNING.broker().publishCreates(orders);
        Poll.await(Duration.ofSeconds(60), "the worker holds all " + ORDERS + " creations, waiting for the sale's row",
            () -> RUNNING.worker().creationsInHand() >= ORDERS, RUNNING.worker()::consumerState);

        HttpResponse<String> refused = Sales.get(snapshotUrl);
        assertProblem(refused, 409, "CREATIONS_IN_FLIGHT");
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null), refused.headers().toString());
        String detail = new JsonObject(refused.body()).getString("detail");
        assertTrue(Long.parseLong(detail.substring(0, detail.indexOf(' '))) >= ORDERS,
            "counts at least the " + ORDERS + " held creations: " + detail);
        assertEquals(0, Mysql.orders(saleId), "nothing reached MySQL while the row was locked");
        assertEquals(STOCK, Mysql.available(saleId), "nothing changed");
      } finally {
        lock.rollback();
      }
    }

    // the creations commit, then their offsets pass: the snapshot is refused until both happened
    HttpResponse<String> answer = Poll.until(Duration.ofSeconds(90), () -> Sales.get(snapshotUrl),
        r -> r.statusCode() != 409);
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject snapshot = new JsonObject(answer.body());
    Set<String> taken = snapshot.getJsonArray("orders").stream()
        .map(o -> ((JsonObject) o).getString("orderId")).collect(Collectors.toSet());
    assertEquals(orders.stream().map(OrderMessage::orderId).collect(Collectors.toSet()), taken,
        "the first snapshot after the refusal holds every published order");
    assertEquals(STOCK - Sales.units(orders), snapshot.getInteger("available"));
    JsonObject held = new JsonObject();
    orders.forEach(o -> held.put(o.userId(), o.quantity()));
    assertEquals(held, snapshot.getJsonObject("held"));
    assertEquals(ORDERS, Mysql.orders(saleId));
  }
}
