package io.seckill.stock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The service's own meters, beside the Vert.x HTTP and pool metrics. */
public final class StockMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> reservations = new ConcurrentHashMap<>();
  private final Map<String, Counter> releases = new ConcurrentHashMap<>();
  private final Counter published;
  private final Counter reclaimed;
  private final Counter publishFailures;
  private final Counter scriptReloads;
  private final Counter releaseRetries;
  private final Counter salesRetired;
  private final AtomicLong backlog = new AtomicLong();

  public StockMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.published = Counter.builder("seckill_outbox_published").description("outbox entries published to RocketMQ").register(registry);
    this.reclaimed = Counter.builder("seckill_outbox_reclaimed").description("outbox entries taken over from a stalled or crashed publisher").register(registry);
    this.publishFailures = Counter.builder("seckill_outbox_publish_failures").description("outbox batches whose publication failed and will be retried").register(registry);
    this.scriptReloads = Counter.builder("seckill_script_reloads").description("Lua scripts loaded again after NOSCRIPT").register(registry);
    this.salesRetired = Counter.builder("seckill_sales_retired")
        .description("ended, settled sales whose keys were removed from Redis after the retention period").register(registry);
    this.releaseRetries = Counter.builder("seckill_release_retries").description("stock releases tried again after Redis failed or did not answer").register(registry);
    registry.gauge("seckill_outbox_backlog", backlog);
  }

  /** Counts one reservation attempt by outcome (RESERVED, REPLAYED, SOLD_OUT, ...). */
  public void reservation(String outcome) {
    reservations.computeIfAbsent(outcome, o -> Counter.builder("seckill_reservations")
        .description("reservation attempts by outcome").tag("outcome", o).register(registry)).increment();
  }

  /** Counts one sale retired from Redis after its retention period. */
  public void saleRetired() {
    salesRetired.increment();
  }

  /** Counts one release by outcome (RELEASED, ALREADY_RELEASED, UNKNOWN, SALE_ABSENT, RETIRED, MALFORMED). */
  public void release(String outcome) {
    releases.computeIfAbsent(outcome, o -> Counter.builder("seckill_releases")
        .description("stock releases by outcome").tag("outcome", o).register(registry)).increment();
  }

  public void published(int entries) {
    published.increment(entries);
  }

  public void reclaimed(int entries) {
    reclaimed.increment(entries);
  }

  public void publishFailed() {
    publishFailures.increment();
  }

  public void releaseRetried() {
    releaseRetries.increment();
  }

  public void scriptReloaded() {
    scriptReloads.increment();
  }

  public void backlog(long entries) {
    backlog.set(entries);
  }
}
