package io.seckill.order.creation;

/** What persisting the orders of one sale came to. */
public sealed interface BatchOutcome {

  /** Every order is in MySQL now: {@code inserted} new rows, {@code duplicates} already there. */
  record Persisted(int inserted, int duplicates) implements BatchOutcome { }

  /** MySQL has no such sale. */
  record UnknownSale() implements BatchOutcome { }

  /** MySQL has fewer units left than the new orders hold. */
  record NotEnoughStock(int available, int asked) implements BatchOutcome { }
}
