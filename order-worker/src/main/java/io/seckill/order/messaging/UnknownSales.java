package io.seckill.order.messaging;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Sales recently confirmed absent from MySQL after the bounded checks. Further messages for such a
 * sale are dead-lettered straight away, instead of each one waiting through the checks again: a
 * burst for a sale this database never heard of (a sale warmed only in Redis) must not hold up
 * the queues that also carry real orders. Safe because a sale is created in MySQL before Redis,
 * so no reservation of a real sale can predate its row; the memory is short anyway.
 */
public final class UnknownSales {

  /** In-process checks for a sale MySQL does not know before giving up on the message. */
  private static final int CHECKS = 3;
  private static final long REMEMBER_MILLIS = 15_000;
  private static final int MAX_REMEMBERED = 10_000;

  private final Clock clock;
  private final Map<String, Long> confirmedAt = new ConcurrentHashMap<>();

  public UnknownSales(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code attempt} until {@code unknown} says its result found the sale, at most {@link #CHECKS}
   * times with a short growing pause, and confirms the sale absent when the last one did not.
   * Sales are created in MySQL before Redis, so an unknown sale is almost always permanent; the
   * few quick checks cover a replica or clock hiccup without holding the queue up for long.
   */
  public <T> T checked(String saleId, Supplier<T> attempt, Predicate<T> unknown) throws InterruptedException {
    for (int check = 1; ; check++) {
      T result = attempt.get();
      if (!unknown.test(result)) {
        return result;
      }
      if (check >= CHECKS) {
        confirm(saleId);
        return result;
      }
      Thread.sleep(100L * check);
    }
  }

  public boolean recentlyConfirmed(String saleId) {
    Long at = confirmedAt.get(saleId);
    return at != null && clock.millis() - at < REMEMBER_MILLIS;
  }

  public void confirm(String saleId) {
    if (confirmedAt.size() >= MAX_REMEMBERED) {
      confirmedAt.clear();
    }
    confirmedAt.put(saleId, clock.millis());
  }
}
