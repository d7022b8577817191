package io.seckill.order.order;

/** Orders and units of one sale in one status. */
public record StatusUnits(OrderStatus status, long orders, long units) {
}
