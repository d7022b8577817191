package io.seckill.stock.restore;

import io.seckill.contracts.ErrorCode;
import io.seckill.contracts.StockRelease;
import io.seckill.contracts.Topics;
import io.seckill.contracts.http.ProblemJson;
import io.seckill.stock.redis.SaleKeys;
import io.seckill.stock.support.RedisProbe;
import io.seckill.stock.support.StockClient;
import io.seckill.stock.support.StockService;
import io.seckill.stock.support.StockClient.Answer;
import io.seckill.stock.support.StockProcess;
import io.seckill.testkit.LocalStack;
import io.seckill.testkit.Poll;
import io.seckill.testkit.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's recovery of a sale that Redis lost: reservations are made, MySQL's view of them
 * is written as order-worker's snapshot would return it, the sale's keys are deleted (Redis came
 * back empty; only this test's keys, other tests share the Redis), and the sale is restored from
 * the snapshot. Then every guarantee must hold again on the restored sale.
 */
class RestoreIT {

  @RegisterExtension
  static final StockService STOCK = StockService.forSalesWithProducer("restore-it");
  private final StockClient client = STOCK.client();
  private final RedisProbe redis = STOCK.redis();

  private JsonObject warmSale(int stock, int limit) {
    return STOCK.warmSale(stock, limit, Duration.ofHours(1));
  }

  private JsonObject reserve(String saleId, String user, int quantity) {
    Answer answer = client.reserve(saleId, user, quantity, null);
    assertEquals(201, answer.status(), String.valueOf(answer.body()));
    return answer.body();
  }

  /** What order-worker's snapshot holds once these reservations are persisted and {@code paid} are paid. */
  private static JsonObject snapshot(JsonObject sale, List<JsonObject> awaiting, List<JsonObject> paid) {
    JsonArray orders = new JsonArray();
    JsonObject held = new JsonObject();
    int heldUnits = 0;
    for (JsonObject reservation : awaiting) {
      orders.add(new JsonObject().put("orderId", reservation.getString("orderId"))
          .put("userId", reservation.getString("userId")).put("quantity", reservation.getInteger("quantity"))
          .put("createdAt", reservation.getString("reservedAt")).put("expiresAt", reservation.getString("expiresAt")));
    }
    List<JsonObject> all = new ArrayList<>(awaiting);
    all.addAll(paid);
    for (JsonObject reservation : all) {
      String user = reservation.getString("userId");
      held.put(user, held.getInteger(user, 0) + reservation.getInteger("quantity"));
      heldUnits += reservation.getInteger("quantity");
    }
    return new JsonObject().put("sale", sale).put("available", sale.getInteger("stock") - heldUnits)
        .put("takenAt", Instant.now().toString()).put("orders", orders).put("held", held);
  }

  @Test
  @DisplayName("Restored from MySQL: available as MySQL says, limits hold, sells out at stock exactly, a restored reservation releases once, a second restore is refused")
  void restoresASaleRedisLost() throws Exception {
    JsonObject sale = warmSale(10, 2);
    String saleId = sale.getString("id");
    JsonObject alice = reserve(saleId, "alice", 2);
    JsonObject bob = reserve(saleId, "bob", 1);
    JsonObject carol = reserve(saleId, "carol", 1);
    Poll.await(Duration.ofSeconds(60), "the reservations are published", () -> redis.outboxLength(saleId) == 0);
    JsonObject snapshot = snapshot(sale, List.of(alice, carol), List.of(bob));

    redis.deleteSale(saleId);
    assertEquals(404, client.reserve(saleId, "dave", 1, null).status(), "Redis lost the sale");

    Answer restored = client.restore(saleId, snapshot);
    assertEquals(201, restored.status(), String.valueOf(restored.body()));
    assertEquals(6, restored.body().getInteger("available"));
    assertEquals(4, restored.body().getInteger("heldUnits"));
    assertEquals(2, restored.body().getInteger("restoredReservations"));
    assertEquals(6, redis.available(saleId), "available is MySQL's");
    assertEquals(Map.of("alice", 2L, "bob", 1L, "carol", 1L), redis.held(saleId));
    assertEquals(0, redis.outboxLength(saleId), "restored reservations are not published again");

    JsonObject found = client.get("/internal/reservations/" + alice.getString("orderId")).body();
    assertEquals("RESERVED", found.getString("status"));
    assertEquals("alice", found.getString("userId"));
    assertEquals(2, found.getInteger("quantity"));
    assertEquals(alice.getString("expiresAt"), found.getString("expiresAt"));
    assertEquals(404, client.get("/internal/reservations/" + bob.getString("orderId")).status(),
        "a paid order is held, but not a reservation any more");

    Answer limited = client.reserve(saleId, "alice", 1, null);
    assertEquals(409, limited.status());
    assertEquals("LIMIT_EXCEEDED", limited.body().getString("code"), "alice still holds her limit");
    assertEquals(201, client.reserve(saleId, "bob", 1, null).status(), "bob holds 1 of 2");
    assertEquals("LIMIT_EXCEEDED", client.reserve(saleId, "bob", 1, null).body().getString("code"));

    int sold = 1;
    for (int i = 0; i < 20; i++) {
      if (client.reserve(saleId, "fresh-" + i, 1, null).status() == 201) {
        sold++;
      }
    }
    assertEquals(6, sold, "the 6 units MySQL had available sell, and not one more");
    assertEquals(0, redis.available(saleId));
    Answer soldOut = client.reserve(saleId, "late", 1, null);
    assertEquals("SOLD_OUT", soldOut.body().getString("code"));

    STOCK.producer().sendRelease(new StockRelease(carol.getString("orderId"), saleId, "carol", 1, "TIMEOUT"));
    STOCK.producer().sendRelease(new StockRelease(carol.getString("orderId"), saleId, "carol", 1, "TIMEOUT"));
    Poll.await(Duration.ofSeconds(30), "carol's restored reservation is released", () -> redis.available(saleId) == 1);
    Long last = Poll.until(Duration.ofSeconds(3), () -> redis.available(saleId), available -> available != 1);
    assertEquals(1, last, "released once although delivered twice");
    assertEquals("RELEASED", client.get("/internal/reservations/" + carol.getString("orderId")).body().getString("status"));
    JsonObject counters = client.get("/internal/sales/" + saleId).body();
    assertEquals(10, counters.getInteger("available") + counters.getInteger("heldUnits"), "available + held = stock");

    Answer again = client.restore(saleId, snapshot);
    assertEquals(409, again.status());
    assertEquals("SALE_LIVE", again.body().getString("code"));
    assertEquals(1, redis.available(saleId), "the refused restore changed nothing");
  }

  @Test
  @DisplayName("A release that arrives while Redis lacks the sale is applied once the sale is restored")
  void releaseDuringTheOutageIsAppliedAfterTheRestore() throws Exception {
    JsonObject sale = warmSale(5, 2);
    String saleId = sale.getString("id");
    JsonObject alice = reserve(saleId, "alice", 2);
    Poll.await(Duration.ofSeconds(60), "the reservation is published", () -> redis.outboxLength(saleId) == 0);
    // taken before the order was cancelled: the restore brings the reservation back as live
    JsonObject snapshot = snapshot(sale, List.of(alice), List.of());

    redis.deleteSale(saleId);
    STOCK.producer().sendRelease(new StockRelease(alice.getString("orderId"), saleId, "alice", 2, "TIMEOUT"));
    Poll.await(Duration.ofSeconds(30), "the release met the absent sale",
        () -> Files.readString(STOCK.process().log()).contains("release of " + alice.getString("orderId") + " waits"));
    assertEquals(0, RedisProbe.await(redis.api().exists(new SaleKeys(saleId).all())).toInteger(), "it created nothing");
    assertEquals(201, client.restore(saleId, snapshot).status());
    Poll.await(Duration.ofSeconds(40), "the release waited for the sale and returned alice's units",
        () -> redis.available(saleId) == 5);
    assertEquals("RELEASED", client.get("/internal/reservations/" + alice.getString("orderId")).body().getString("status"));
    assertNull(redis.held(saleId).get("alice"));
  }

  @Test
  @DisplayName("A restore with a bad snapshot is 400 and writes nothing, with order-worker's refusal in its place answers that refusal; over a warm sale it is 409 SALE_LIVE and changes nothing")
  void refusesBadSnapshotsAndLiveSales() {
    JsonObject sale = warmSale(10, 2);
    String saleId = sale.getString("id");
    JsonObject alice = reserve(saleId, "alice", 1);
    JsonObject good = snapshot(sale, List.of(alice), List.of());

    Answer live = client.restore(saleId, good);
    assertEquals(409, live.status());
    assertEquals("SALE_LIVE", live.body().getString("code"));
    assertEquals(9, redis.available(saleId));

    redis.deleteSale(saleId);
    List<String> bad = List.of(
        "{not json",
        "[1]",
        good.copy().put("available", 8).encode(),
        good.copy().put("available", 11).encode(),
        good.copy().put("extra", 1).encode(),
        good.copy().put("sale", sale.copy().put("id", "another")).encode(),
        good.copy().put("held", new JsonObject()).encode(),
        good.copy().put("orders", new JsonArray().add(good.getJsonArray("orders").getJsonObject(0).copy()
            .put("orderId", "other-sale." + "0".repeat(26)))).encode(),
        good.copy().put("orders", new JsonArray().add(good.getJsonArray("orders").getJsonObject(0).copy()
            .put("quantity", 2))).encode(),
        good.copy().put("orders", good.getJsonArray("orders").copy().add(good.getJsonArray("orders").getJsonObject(0))).encode(),
        good.copy().put("orders", new JsonArray().add(good.getJsonArray("orders").getJsonObject(0).copy()
            .put("expiresAt", "tomorrow"))).encode());
    for (String body : bad) {
      Answer answer = client.send("POST", "/internal/sales/" + saleId + "/restore", body);
      assertEquals(400, answer.status(), body + " -> " + answer.body());
      assertEquals("BAD_REQUEST", answer.body().getString("code"));
    }
    // the operator's pipe when order-worker refused the snapshot: its refusal comes back as it was
    JsonObject refusal = ProblemJson.body(ErrorCode.CREATIONS_IN_FLIGHT, 409,
        "2 creation messages are in the broker but not yet in MySQL (1 queue)", null);
    Answer relayed = client.send("POST", "/internal/sales/" + saleId + "/restore", refusal.encode());
    assertEquals(409, relayed.status(), String.valueOf(relayed.body()));
    assertEquals(refusal, relayed.body());
    assertEquals(0, RedisProbe.await(redis.api().exists(new SaleKeys(saleId).all())).toInteger(), "nothing written");
    assertEquals(List.of(), redis.keys("sale:{" + saleId + "}*"),
        "no staged keys left");
    assertEquals(400, client.send("POST", "/internal/sales/bad%20id/restore", good.encode()).status());

    assertEquals(201, client.restore(saleId, good).status(), "the good snapshot still restores");
    assertEquals(9, redis.available(saleId));
  }

  @Test
  @DisplayName("A snapshot of 100,000 live orders restores in chunks (no multi-megabyte EVAL) and every record is there")
  void restoresABigSale() {
    int orders = 100_000;
    JsonObject sale = StockClient.openSale(StockClient.uniqueSaleId("restore-big"), 2 * orders, 1, Duration.ofHours(1));
    String saleId = sale.getString("id");
    STOCK.track(saleId);
    JsonArray live = new JsonArray();
    JsonObject held = new JsonObject();
    String createdAt = Instant.now().toString();
    String expiresAt = Instant.now().plus(Duration.ofHours(1)).toString();
    List<String> ids = new ArrayList<>(orders);
    for (int i = 0; i < orders; i++) {
      String orderId = saleId + "." + String.format("%026d", i);
      ids.add(orderId);
      live.add(new JsonObject().put("orderId", orderId).put("userId", "u" + i).put("quantity", 1)
          .put("createdAt", createdAt).put("expiresAt", expiresAt));
      held.put("u" + i, 1);
    }
    JsonObject snapshot = new JsonObject().put("sale", sale).put("available", orders).put("orders", live).put("held", held);

    String body = snapshot.encode();
    long start = System.nanoTime();
    Answer restored = client.send("POST", "/internal/sales/" + saleId + "/restore", body, Duration.ofSeconds(120));
    System.out.println("restored " + orders + " live orders (" + body.length() / 1024 + " KiB of JSON) in "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertEquals(201, restored.status(), String.valueOf(restored.body()));
    assertEquals(orders, RedisProbe.await(redis.api().hlen(new SaleKeys(saleId).reservations())).toInteger());
    assertEquals(orders, RedisProbe.await(redis.api().hlen(new SaleKeys(saleId).held())).toInteger());
    assertEquals(-1, RedisProbe.await(redis.api().pttl(new SaleKeys(saleId).reservations())).toInteger(), "no TTL left from staging");
    assertEquals(orders, redis.available(saleId));
    assertEquals("RESERVED", client.get("/internal/reservations/" + ids.get(orders - 1)).body().getString("status"));
    assertEquals("LIMIT_EXCEEDED", client.reserve(saleId, "u77", 1, null).body().getString("code"));
    assertEquals(201, client.reserve(saleId, "newcomer", 1, null).status());
  }
}
