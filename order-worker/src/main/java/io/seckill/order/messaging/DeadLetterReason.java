package io.seckill.order.messaging;

/**
 * Why the worker sent a message to the dead-letter topic; the value of its {@code reason}
 * property. Each names a message that can never succeed as it is: trying again would give the
 * same answer. A failure that can pass (MySQL or the broker unreachable, a timeout, a lost race)
 * is never a reason: it is retried until it succeeds.
 */
public enum DeadLetterReason {
  /**
   * The body is not a well-formed message: not JSON, a field missing or of the wrong type, a
   * quantity below 1, or ids that break their patterns (an order id that does not name its sale).
   */
  MALFORMED,
  /**
   * MySQL has no such sale, still after a few checks 100–200 ms apart. Sales are written to
   * MySQL before Redis, so no reservation of a real sale can come first.
   */
  UNKNOWN_SALE,
  /**
   * MySQL has fewer units left than the order holds: Redis sold a unit MySQL does not have (the
   * two stores disagree about the sale, e.g. after Redis was warmed again from the definition).
   * An operator decides; replaying it after the stores agree persists the order.
   */
  NOT_ENOUGH_STOCK,
  /** MySQL refused the row itself (data too long, a CHECK): the same statement fails every time. */
  REFUSED
}
