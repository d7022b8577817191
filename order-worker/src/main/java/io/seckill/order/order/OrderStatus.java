package io.seckill.order.order;

/** Where an order stands in MySQL. A Redis-only reservation has no row yet. */
public enum OrderStatus {
  AWAITING_PAYMENT, PAID, CANCELLED
}
