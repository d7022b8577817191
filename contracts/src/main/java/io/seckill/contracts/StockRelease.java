package io.seckill.contracts;

import io.vertx.core.json.JsonObject;

/**
 * Units of a cancelled order to return to Redis, carried by {@link Topics#STOCK_RELEASE}.
 * Releasing is idempotent per order id: a redelivered release returns nothing a second time.
 */
public record StockRelease(String orderId, String saleId, String userId, int quantity, String reason)
    implements OrderUnits {

  public JsonObject toJson() {
    return unitsJson().put("reason", reason);
  }

  public byte[] toBytes() {
    return Json.bytes(toJson());
  }

  /** @throws IllegalArgumentException when the body is malformed */
  public static StockRelease fromBytes(byte[] body) {
    JsonObject json = Json.parseObject(body);
    return new StockRelease(
        Json.requireString(json, "orderId"),
        Json.requireString(json, "saleId"),
        Json.requireString(json, "userId"),
        Json.requireInt(json, "quantity"),
        json.getString("reason", "TIMEOUT"));
  }
}
