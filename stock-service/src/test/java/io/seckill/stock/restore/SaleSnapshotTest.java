package io.seckill.stock.restore;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaleSnapshotTest {

  private static final String ORDER = "s1.01ARZ3NDEKTSV4RRFFQ69G5FAV";

  private static JsonObject snapshot() {
    JsonObject sale = new JsonObject().put("id", "s1").put("item", "x").put("stock", 10).put("perUserLimit", 3)
        .put("startsAt", "2026-01-01T00:00:00Z").put("endsAt", "2026-01-02T00:00:00Z").put("paymentWindow", "PT15M");
    JsonArray orders = new JsonArray().add(new JsonObject().put("orderId", ORDER).put("userId", "alice")
        .put("quantity", 2).put("createdAt", "2026-01-01T10:00:00.123Z").put("expiresAt", "2026-01-01T10:15:00.123Z"));
    // alice: 2 awaiting + 1 paid; bob: 1 paid
    return new JsonObject().put("sale", sale).put("available", 6).put("takenAt", "2026-01-01T10:01:00Z")
        .put("orders", orders).put("held", new JsonObject().put("alice", 3).put("bob", 1));
  }

  @Test
  void readsAConsistentSnapshotIntoRecordsAsReserveWritesThem() {
    SaleSnapshot snapshot = SaleSnapshot.fromJson(snapshot(), "s1");
    assertEquals(6, snapshot.available());
    assertEquals(Map.of("alice", 3L, "bob", 1L), snapshot.held());
    assertEquals(List.of(ORDER), snapshot.orders().stream().map(SaleSnapshot.LiveOrder::orderId).toList());
    assertEquals("alice|2|1767261600123|1767262500123|R", snapshot.orders().get(0).record());
  }

  @Test
  void refusesASnapshotThatDoesNotAddUpToTheStock() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SaleSnapshot.fromJson(snapshot().put("available", 5), "s1"));
    assertTrue(e.getMessage().contains("does not add up"), e.getMessage());
  }

  @Test
  void refusesOrdersAwaitingMoreThanTheirUserHolds() {
    JsonObject json = snapshot().put("held", new JsonObject().put("alice", 1).put("bob", 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(json, "s1"));
    assertTrue(e.getMessage().contains("alice"), e.getMessage());
  }

  @Test
  void refusesAnotherSalesSnapshotOrOrder() {
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(snapshot(), "s2"));
    JsonObject json = snapshot();
    json.getJsonArray("orders").getJsonObject(0).put("orderId", "s2.01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(json, "s1"));
  }

  @Test
  void refusesWrongTypesAndUnknownFields() {
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(null, "s1"));
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(snapshot().put("available", "6"), "s1"));
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(snapshot().put("held", new JsonArray()), "s1"));
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(snapshot().put("idem", 1), "s1"));
    JsonObject json = snapshot();
    json.getJsonArray("orders").getJsonObject(0).put("status", "PAID");
    assertThrows(IllegalArgumentException.class, () -> SaleSnapshot.fromJson(json, "s1"));
  }
}
