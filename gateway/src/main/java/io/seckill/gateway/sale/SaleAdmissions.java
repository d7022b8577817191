package io.seckill.gateway.sale;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Purchases this gateway passed on to stock-service, per sale: a total since the process started
 * and a rate over the last few whole seconds, for the admin view of a sale (the operator console).
 *
 * <p>Only sales in the catalog are ever admitted, so the map holds no more sales than the catalog.
 * The rate is kept in a small ring of one-second slots, each packing its epoch second and its
 * count into one long so that the first admission of a new second resets the slot and counts
 * itself in one compare-and-set: two event loops admitting at a second's edge never lose one.
 */
public final class SaleAdmissions {

  /** Whole seconds the rate is averaged over (the current, partial second is left out). */
  public static final int RATE_SECONDS = 5;
  private static final int SLOTS = 8; // > RATE_SECONDS + 1, a power of two
  private static final int COUNT_BITS = 24;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

  private final ConcurrentMap<String, Sale> sales = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;

  public SaleAdmissions(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  public SaleAdmissions() {
    this(System::currentTimeMillis);
  }

  /** One purchase of {@code saleId} passed on to stock-service. */
  public void admitted(String saleId) {
    sales.computeIfAbsent(saleId, id -> new Sale()).admit(clockMillis.getAsLong() / 1000);
  }

  /** Purchases of the sale passed on since this gateway started. */
  public long total(String saleId) {
    Sale sale = sales.get(saleId);
    return sale == null ? 0 : sale.total.sum();
  }

  /** Mean admissions per second over the last {@link #RATE_SECONDS} whole seconds. */
  public double perSecond(String saleId) {
    Sale sale = sales.get(saleId);
    return sale == null ? 0 : sale.inLastSeconds(clockMillis.getAsLong() / 1000) / (double) RATE_SECONDS;
  }

  private static final class Sale {
    private final LongAdder total = new LongAdder();
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

    void admit(long second) {
      total.increment();
      int i = (int) (second & (SLOTS - 1));
      slots.updateAndGet(i, slot -> (slot >>> COUNT_BITS) == second
          ? slot + ((slot & COUNT_MASK) < COUNT_MASK ? 1 : 0)
          : (second << COUNT_BITS) | 1);
    }

    long inLastSeconds(long now) {
      long sum = 0;
      for (int i = 0; i < SLOTS; i++) {
        long slot = slots.get(i);
        long second = slot >>> COUNT_BITS;
        if (second < now && second >= now - RATE_SECONDS) {
          sum += slot & COUNT_MASK;
        }
      }
      return sum;
    }
  }
}
