package io.seckill.order.order;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** One row of {@code orders}; the column order of every SELECT matches the components. */
public record OrderRow(String id, String saleId, String userId, int quantity, OrderStatus status,
                       long version, Instant createdAt, Instant expiresAt, Instant paidAt,
                       Instant cancelledAt) {

  /** The body of {@code GET /internal/orders/{id}}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", id)
        .put("saleId", saleId)
        .put("userId", userId)
        .put("quantity", quantity)
        .put("status", status.name())
        .put("expiresAt", expiresAt.toString())
        .put("createdAt", createdAt.toString())
        .put("paidAt", paidAt == null ? null : paidAt.toString())
        .put("cancelledAt", cancelledAt == null ? null : cancelledAt.toString());
  }
}
