package io.seckill.contracts;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsAndMessagesTest {

  @Test
  void idsHaveTheirShapes() {
    assertTrue(Ids.isSaleId("sale_1-A"));
    assertFalse(Ids.isSaleId("sale 1"));
    assertFalse(Ids.isSaleId("x".repeat(65)));
    assertTrue(Ids.isUserId("alice@example.com"));
    assertFalse(Ids.isUserId("../etc/passwd"));
    assertFalse(Ids.isUserId("ünïcode"));
    String order = "sale-1.01ARZ3NDEKTSV4RRFFQ69G5FAV";
    assertTrue(Ids.isOrderId(order));
    assertEquals("sale-1", Ids.saleOf(order));
    assertFalse(Ids.isOrderId("sale-1.01ARZ3NDEKTSV4RRFFQ69G5FAU0"), "27 characters");
    assertFalse(Ids.isOrderId("sale-1.01ARZ3NDEKTSV4RRFFQ69G5FAI"), "I is not Crockford base32");
    assertTrue(Ids.isIdempotencyKey("k|1:2"));
    assertFalse(Ids.isIdempotencyKey("with space"));
    assertFalse(Ids.isIdempotencyKey(null));
  }

  @Test
  void messagesRoundTripAndPoisonIsRefused() {
    OrderMessage order = new OrderMessage("s.01ARZ3NDEKTSV4RRFFQ69G5FAV", "s", "u", 2, 1_000L, 2_000L);
    assertEquals(order, OrderMessage.fromBytes(order.toBytes()));
    StockRelease release = new StockRelease(order.orderId(), "s", "u", 2, "TIMEOUT");
    assertEquals(release, StockRelease.fromBytes(release.toBytes()));
    assertThrows(IllegalArgumentException.class, () -> OrderMessage.fromBytes("not json".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> OrderMessage.fromBytes(null));
    assertThrows(IllegalArgumentException.class, () -> OrderMessage.fromBytes(
        order.toJson().put("quantity", 0).encode().getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> OrderMessage.fromBytes(
        order.toJson().put("quantity", "2").encode().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aReleaseWithoutAReasonIsATimeoutAndAnyOtherReasonIsKept() {
    StockRelease release = new StockRelease("s.01ARZ3NDEKTSV4RRFFQ69G5FAV", "s", "u", 2, "CANCELLED");
    assertEquals(release, StockRelease.fromBytes(release.toBytes()));
    JsonObject withoutReason = release.toJson();
    withoutReason.remove("reason");
    assertEquals("TIMEOUT", StockRelease.fromBytes(withoutReason.encode().getBytes(StandardCharsets.UTF_8)).reason());
  }
}
