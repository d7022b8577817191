package io.seckill.stock.reservation;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReserveRequestTest {

  private static JsonObject body(Object user, Object quantity) {
    return new JsonObject().put("userId", user).put("quantity", quantity);
  }

  @Test
  void acceptsAWellFormedRequest() {
    ReserveRequest request = ReserveRequest.fromJson(body("alice@example.com", 2).put("idempotencyKey", "k-1"));
    assertEquals(new ReserveRequest("alice@example.com", 2, "k-1"), request);
    assertNull(ReserveRequest.fromJson(body("bob", 1)).idempotencyKey());
  }

  @Test
  void refusesQuantitiesThatCanNeverSucceed() {
    for (Object quantity : new Object[] {0, -1, 1001, Long.MAX_VALUE, 1.5, "1", null, true}) {
      assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("alice", quantity)),
          String.valueOf(quantity));
    }
  }

  @Test
  void refusesMalformedIdsAndUnknownFields() {
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("a|b", 1)));
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("", 1)));
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("x".repeat(65), 1)));
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body(7, 1)));
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("a", 1).put("idempotencyKey", "has space")));
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("a", 1).put("idempotencyKey", 5)));
    assertThrows(IllegalArgumentException.class, () -> ReserveRequest.fromJson(body("a", 1).put("price", 0)));
  }
}
