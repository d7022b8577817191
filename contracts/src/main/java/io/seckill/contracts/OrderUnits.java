package io.seckill.contracts;

import io.vertx.core.json.JsonObject;

/**
 * What names one order's units: every message and record about an order (the creation and timer
 * message, the stock release, stock-service's reservation record) starts with these four fields.
 */
public interface OrderUnits {

  String orderId();

  String saleId();

  String userId();

  int quantity();

  /** The four fields as JSON, in this order; each message puts its own fields after them. */
  default JsonObject unitsJson() {
    return new JsonObject()
        .put("orderId", orderId())
        .put("saleId", saleId())
        .put("userId", userId())
        .put("quantity", quantity());
  }
}
