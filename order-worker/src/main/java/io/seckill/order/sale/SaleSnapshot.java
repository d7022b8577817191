package io.seckill.order.sale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * What MySQL holds of one sale at one moment, enough for stock-service to rebuild the sale in a
 * Redis that lost it: the definition, {@code available}, every order still awaiting payment (a
 * live reservation), and the units each user holds (awaiting payment + paid), so the per-user
 * limit still holds. All read in one transaction: {@code available + Σ held = stock}.
 */
public record SaleSnapshot(SaleRow sale, List<LiveOrder> orders, List<Holding> held, Instant takenAt) {

  /** An order AWAITING_PAYMENT; the column order of {@link SaleSnapshotMapper#liveOrders} matches. */
  public record LiveOrder(String orderId, String userId, int quantity, Instant createdAt, Instant expiresAt) {

    JsonObject toJson() {
      return new JsonObject()
          .put("orderId", orderId)
          .put("userId", userId)
          .put("quantity", quantity)
          .put("createdAt", createdAt.toString())
          .put("expiresAt", expiresAt.toString());
    }
  }

  /** Units one user holds, awaiting payment or paid. */
  public record Holding(String userId, long units) {
  }

  /**
   * {@code {"sale":{definition},"available","takenAt","orders":[{"orderId","userId","quantity",
   * "createdAt","expiresAt"}],"held":{"userId":units}}}, the body stock-service's restore takes.
   */
  public JsonObject toJson() {
    JsonArray live = new JsonArray();
    orders.forEach(order -> live.add(order.toJson()));
    JsonObject holdings = new JsonObject();
    held.forEach(holding -> holdings.put(holding.userId(), holding.units()));
    return new JsonObject()
        .put("sale", sale.definition().toJson())
        .put("available", sale.available())
        .put("takenAt", takenAt.toString())
        .put("orders", live)
        .put("held", holdings);
  }
}
