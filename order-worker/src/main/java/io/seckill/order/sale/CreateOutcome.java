package io.seckill.order.sale;

/** What {@code POST /internal/sales} did. */
public enum CreateOutcome {
  /** The sale row was inserted. */
  CREATED,
  /** An identical sale was already there: nothing changed. */
  IDENTICAL,
  /** A different sale holds this id: nothing changed. */
  DIFFERENT
}
