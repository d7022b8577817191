package io.seckill.order.order;

/** What a payment attempt came to: expected outcomes are values, not exceptions. */
public sealed interface PayResult {

  /** The order is paid (now or before). */
  record Paid(OrderRow order) implements PayResult { }

  /** Cancelled, or its payment window has passed. */
  record Expired(OrderRow order) implements PayResult { }

  /** No such order in MySQL for this user (unknown, not persisted yet, or someone else's). */
  record NotFound() implements PayResult { }
}
