package io.seckill.order.sale;

import io.seckill.order.support.Mysql;
import io.seckill.order.support.RunningWorker;
import io.seckill.order.support.Sales;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import static io.seckill.testkit.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /internal/sales/{id}/snapshot}: the MySQL side of the operator's Redis recovery. */
class SaleSnapshotIT {

  @RegisterExtension
  static final RunningWorker RUNNING = RunningWorker.alone();

  @Test
  @DisplayName("A snapshot holds the definition, available, every order awaiting payment and each user's held units (awaiting + paid)")
  void snapshotOfASaleWithOrdersInEveryStatus() throws Exception {
    String saleId = Sales.uniqueSaleId("snap");
    JsonObject definition = Sales.definition(saleId, 10, Duration.ofMinutes(10));
    assertEquals(201, Sales.post(RUNNING.worker().baseUrl() + "/internal/sales", definition.encode()).statusCode());
    Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant expires = created.plus(Duration.ofMinutes(10));
    String alice1 = Sales.orderId(saleId);
    String alice2 = Sales.orderId(saleId);
    String bob = Sales.orderId(saleId);
    String carol = Sales.orderId(saleId);
    String dave = Sales.orderId(saleId);
    try (Connection c = Mysql.connect()) {
      insertOrder(c, alice1, saleId, "alice", 2, "AWAITING_PAYMENT", created, expires);
      insertOrder(c, alice2, saleId, "alice", 1, "AWAITING_PAYMENT", created, expires);
      insertOrder(c, bob, saleId, "bob", 1, "PAID", created, expires);
      insertOrder(c, carol, saleId, "carol", 2, "CANCELLED", created, expires);
      insertOrder(c, dave, saleId, "dave", 1, "AWAITING_PAYMENT", created, expires);
      try (PreparedStatement take = c.prepareStatement("UPDATE sale SET available = 5 WHERE id = ?")) {
        take.setString(1, saleId);
        assertEquals(1, take.executeUpdate());
      }
    }

    HttpResponse<String> answer = Sales.get(RUNNING.worker().baseUrl() + "/internal/sales/" + saleId + "/snapshot");
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
    JsonObject snapshot = new JsonObject(answer.body());
    JsonObject sale = snapshot.getJsonObject("sale");
    assertEquals(saleId, sale.getString("id"));
    assertEquals(10, sale.getInteger("stock"));
    assertEquals(5, sale.getInteger("perUserLimit"));
    assertEquals(definition.getString("paymentWindow"), sale.getString("paymentWindow"));
    assertEquals(5, snapshot.getInteger("available"));
    assertTrue(Instant.parse(snapshot.getString("takenAt")).isAfter(created.minusSeconds(1)));

    Map<String, JsonObject> live = new HashMap<>();
    JsonArray orders = snapshot.getJsonArray("orders");
    orders.forEach(o -> live.put(((JsonObject) o).getString("orderId"), (JsonObject) o));
    assertEquals(java.util.Set.of(alice1, alice2, dave), live.keySet(), "only the orders awaiting payment");
    JsonObject first = live.get(alice1);
    assertEquals("alice", first.getString("userId"));
    assertEquals(2, first.getInteger("quantity"));
    assertEquals(created, Instant.parse(first.getString("createdAt")));
    assertEquals(expires, Instant.parse(first.getString("expiresAt")));

    assertEquals(new JsonObject().put("alice", 3).put("bob", 1).put("dave", 1), snapshot.getJsonObject("held"),
        "awaiting + paid per user; a cancelled order holds nothing");
  }

  @Test
  @DisplayName("A sale with no orders has an empty snapshot; an unknown sale is 404 SALE_NOT_FOUND; a malformed id 400")
  void emptyUnknownAndMalformed() throws Exception {
    String saleId = RUNNING.worker().newSale("snap-empty", 7, Duration.ofMinutes(5));
    JsonObject snapshot = new JsonObject(Sales.get(RUNNING.worker().baseUrl() + "/internal/sales/" + saleId + "/snapshot").body());
    assertEquals(7, snapshot.getInteger("available"));
    assertEquals(new JsonArray(), snapshot.getJsonArray("orders"));
    assertEquals(new JsonObject(), snapshot.getJsonObject("held"));

    assertProblem(Sales.get(RUNNING.worker().baseUrl() + "/internal/sales/" + Sales.uniqueSaleId("none") + "/snapshot"), 404, "SALE_NOT_FOUND");
    assertProblem(Sales.get(RUNNING.worker().baseUrl() + "/internal/sales/bad%20id/snapshot"), 400, "BAD_REQUEST");
  }

  private static void insertOrder(Connection c, String id, String saleId, String user, int quantity, String status,
                                  Instant created, Instant expires) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO orders (id, sale_id, user_id, quantity, status,"
        + " version, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, saleId);
      insert.setString(3, user);
      insert.setInt(4, quantity);
      insert.setString(5, status);
      // as text: Connector/J drops the milliseconds of temporal parameters against MariaDB
      insert.setString(6, wallClock(created));
      insert.setString(7, wallClock(expires));
      insert.executeUpdate();
    }
  }

  private static String wallClock(Instant instant) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
        .format(java.time.LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
  }
}
