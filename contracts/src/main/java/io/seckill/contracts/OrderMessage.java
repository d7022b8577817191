package io.seckill.contracts;

import io.vertx.core.json.JsonObject;

/**
 * A reservation made in Redis, as carried by {@link Topics#ORDER_CREATE} and by the timer message
 * on {@link Topics#ORDER_TIMEOUT}. Times are epoch milliseconds. The order id is the message key;
 * consumers treat a second delivery of the same order id as already done.
 */
public record OrderMessage(String orderId, String saleId, String userId, int quantity,
                           long reservedAt, long expiresAt) implements OrderUnits {

  public JsonObject toJson() {
    return unitsJson()
        .put("reservedAt", reservedAt)
        .put("expiresAt", expiresAt);
  }

  public byte[] toBytes() {
    return Json.bytes(toJson());
  }

  /**
   * Parses and validates a message body.
   *
   * @throws IllegalArgumentException when the body is not a well-formed order message (a poison
   *                                  message: retrying it cannot help)
   */
  public static OrderMessage fromBytes(byte[] body) {
    JsonObject json = Json.parseObject(body);
    OrderMessage message = new OrderMessage(
        Json.requireString(json, "orderId"),
        Json.requireString(json, "saleId"),
        Json.requireString(json, "userId"),
        Json.requireInt(json, "quantity"),
        Json.requireLong(json, "reservedAt"),
        Json.requireLong(json, "expiresAt"));
    if (message.quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive: " + message.quantity);
    }
    return message;
  }
}
