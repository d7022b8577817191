package io.seckill.order.messaging;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sales recently confirmed absent from MySQL after the bounded checks. Further messages for such a
 * sale are dead-lettered straight away, instead of each one waiting through the checks again: a
 * burst for a sale this database never heard of (a sale warmed only in Redis) must not hold up
 * the queues that also carry real orders. Safe because a sale is created in MySQL before Redis,
 * so no reservation of a real sale can predate its row; the memory is short anyway.
 */
public final class UnknownSales {

  private static final long REMEMBER_MILLIS = 15_000;
  private static final int MAX_REMEMBERED = 10_000;

  private final Clock clock;
  private final Map<String, Long> confirmedAt = new ConcurrentHashMap<>();

  public UnknownSales(Clock clock) {
    this.clock = clock;
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
