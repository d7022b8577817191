package io.seckill.order.timeout;

/** What an order's payment timeout came to. */
public enum TimeoutOutcome {
  /** It was awaiting payment: now cancelled, its units back in MySQL; release them in Redis. */
  CANCELLED,
  /** It was never persisted: a cancelled tombstone now stands in its place; release in Redis. */
  CANCELLED_BEFORE_CREATION,
  /** It was cancelled before (a redelivery, or a crash before the release was sent): release again. */
  ALREADY_CANCELLED,
  /** It was paid in time: nothing to do. */
  PAID,
  /** MySQL has no such sale. */
  UNKNOWN_SALE
}
