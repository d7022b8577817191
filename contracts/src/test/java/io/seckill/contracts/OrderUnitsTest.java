package io.seckill.contracts;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrderUnitsTest {

  private static final String ORDER_ID = "s-1.01ARZ3NDEKTSV4RRFFQ69G5FAV";
  private static final List<String> UNITS = List.of("orderId", "saleId", "userId", "quantity");

  private record Units(String orderId, String saleId, String userId, int quantity) implements OrderUnits {
  }

  @Test
  void unitsJsonIsTheFourFieldsInOrder() {
    JsonObject json = new Units(ORDER_ID, "s-1", "alice@example.com", 3).unitsJson();
    assertEquals(UNITS, List.copyOf(json.fieldNames()));
    assertEquals("{\"orderId\":\"" + ORDER_ID + "\",\"saleId\":\"s-1\",\"userId\":\"alice@example.com\",\"quantity\":3}",
        json.encode());
  }

  @Test
  void unitsJsonIsANewObjectEachTime() {
    Units units = new Units(ORDER_ID, "s-1", "u", 1);
    units.unitsJson().put("extra", true);
    assertEquals(UNITS, List.copyOf(units.unitsJson().fieldNames()));
  }

  @Test
  void everyMessageAboutAnOrderStartsWithTheUnitsThenItsOwnFields() {
    OrderMessage order = new OrderMessage(ORDER_ID, "s-1", "u", 2, 1_000L, 2_000L);
    assertEquals(List.of("orderId", "saleId", "userId", "quantity", "reservedAt", "expiresAt"),
        List.copyOf(order.toJson().fieldNames()));
    StockRelease release = new StockRelease(ORDER_ID, "s-1", "u", 2, "CANCELLED");
    assertEquals(List.of("orderId", "saleId", "userId", "quantity", "reason"),
        List.copyOf(release.toJson().fieldNames()));
    assertEquals(order.unitsJson(), release.unitsJson(), "the same units written the same way");
  }

  @Test
  void everyMessageAboutAnOrderRefusesABodyWithoutItsUnitsOrWithWrongTypes() {
    OrderMessage order = new OrderMessage(ORDER_ID, "s-1", "u", 2, 1_000L, 2_000L);
    StockRelease release = new StockRelease(ORDER_ID, "s-1", "u", 2, "TIMEOUT");
    assertRefusesBrokenUnits(order.toJson(), OrderMessage::fromBytes);
    assertRefusesBrokenUnits(release.toJson(), StockRelease::fromBytes);
  }

  private static void assertRefusesBrokenUnits(JsonObject valid, Function<byte[], ?> parse) {
    for (String field : UNITS) {
      JsonObject missing = valid.copy();
      missing.remove(field);
      assertThrows(IllegalArgumentException.class, () -> parse.apply(bytes(missing)), "without " + field);
    }
    for (String field : List.of("orderId", "saleId", "userId")) {
      assertThrows(IllegalArgumentException.class, () -> parse.apply(bytes(valid.copy().put(field, ""))), field);
      assertThrows(IllegalArgumentException.class, () -> parse.apply(bytes(valid.copy().put(field, 7))), field);
    }
    assertThrows(IllegalArgumentException.class, () -> parse.apply(bytes(valid.copy().put("quantity", "2"))));
    assertThrows(IllegalArgumentException.class, () -> parse.apply(bytes(valid.copy().put("quantity", 2.5))));
    assertThrows(IllegalArgumentException.class,
        () -> parse.apply(bytes(valid.copy().put("quantity", 1L + Integer.MAX_VALUE))));
  }

  private static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }
}
