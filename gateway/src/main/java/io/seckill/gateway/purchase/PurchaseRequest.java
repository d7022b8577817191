package io.seckill.gateway.purchase;

import io.vertx.core.buffer.Buffer;
import io.seckill.gateway.http.JsonBody;
import io.vertx.core.json.JsonObject;

/**
 * The body of a purchase, {@code {"quantity": n}}, parsed strictly: any other field, a missing or
 * non-integer quantity, or a quantity below 1 is refused. The per-sale upper bound is checked by
 * the caller, which knows the sale.
 */
public final class PurchaseRequest {

  private PurchaseRequest() {
  }

  /**
   * The requested quantity.
   *
   * @throws IllegalArgumentException with a message fit for a 400 {@code detail}
   */
  public static int quantity(Buffer body) {
    JsonObject json = JsonBody.object(body, "a JSON object such as {\"quantity\":1}");
    for (String field : json.fieldNames()) {
      if (!"quantity".equals(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "'");
      }
    }
    Object value = json.getValue("quantity");
    if (value == null) {
      throw new IllegalArgumentException("'quantity' is required");
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException("'quantity' must be a whole number");
    }
    long quantity = ((Number) value).longValue();
    if (quantity < 1) {
      throw new IllegalArgumentException("'quantity' must be at least 1");
    }
    if (quantity > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'quantity' is too large");
    }
    return (int) quantity;
  }
}
