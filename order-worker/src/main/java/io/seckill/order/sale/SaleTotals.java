package io.seckill.order.sale;

import io.seckill.order.order.OrderStatus;
import io.seckill.order.order.StatusUnits;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A sale row with its orders' units per status, as MySQL holds them. */
public record SaleTotals(SaleRow sale, List<StatusUnits> byStatus) {

  public long units(OrderStatus status) {
    return byStatus.stream().filter(u -> u.status() == status).mapToLong(StatusUnits::units).sum();
  }

  public long orders() {
    return byStatus.stream().mapToLong(StatusUnits::orders).sum();
  }

  /** Units MySQL counts as taken: awaiting payment or paid. */
  public long heldUnits() {
    return units(OrderStatus.AWAITING_PAYMENT) + units(OrderStatus.PAID);
  }

  public JsonObject toJson() {
    return sale.definition().toJson()
        .put("available", sale.available())
        .put("awaitingPayment", units(OrderStatus.AWAITING_PAYMENT))
        .put("paid", units(OrderStatus.PAID))
        .put("cancelled", units(OrderStatus.CANCELLED))
        .put("orders", orders());
  }
}
