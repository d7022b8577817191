package io.seckill.order.messaging;

/** Why a message went to the dead-letter topic; the value of its {@code reason} property. */
public enum DeadLetterReason {
  /** The body is not a well-formed message: retrying cannot help. */
  MALFORMED,
  /** MySQL has no such sale, after the bounded attempts. */
  UNKNOWN_SALE,
  /** MySQL has fewer units left than the order holds: Redis and MySQL disagree. */
  NOT_ENOUGH_STOCK,
  /** Applying it failed on every one of the bounded attempts. */
  RETRIES_EXHAUSTED
}
