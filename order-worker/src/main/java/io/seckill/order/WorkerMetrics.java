package io.seckill.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.seckill.order.messaging.DeadLetterReason;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Supplier;

/** The worker's own meters, next to the ones Vert.x records (HTTP, pools). */
public final class WorkerMetrics {

  private final MeterRegistry registry;
  private final Counter persisted;
  private final Counter duplicates;
  private final DistributionSummary batchSize;
  private final Counter cancelled;
  private final Counter tombstones;
  private final Counter paid;
  private final Counter reconciliationMismatches;
  private final AtomicLong inconsistentSales = new AtomicLong();
  private final AtomicInteger waitingToRetry = new AtomicInteger();
  private final LongAccumulator longestRetry = new LongAccumulator(Math::max, 0);
  private final AtomicLong unreplayedDeadLetters = new AtomicLong();

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    persisted = Counter.builder("seckill_orders_persisted").description("orders inserted into MySQL").register(registry);
    duplicates = Counter.builder("seckill_order_duplicates").description("creation messages for orders already persisted").register(registry);
    batchSize = DistributionSummary.builder("seckill_order_batch_size").description("orders per creation transaction")
        .publishPercentileHistogram(false).serviceLevelObjectives(1, 8, 32, 64, 128, 256).register(registry);
    cancelled = Counter.builder("seckill_orders_cancelled").description("unpaid orders cancelled at their timeout").register(registry);
    tombstones = Counter.builder("seckill_order_tombstones").description("timeouts that arrived before their creation message").register(registry);
    paid = Counter.builder("seckill_orders_paid").description("orders paid").register(registry);
    reconciliationMismatches = Counter.builder("seckill_reconciliation_mismatches")
        .description("reconciliation sweep checks where Redis and MySQL disagreed (drift while messages are in flight included)").register(registry);
    registry.gauge("seckill_reconciliation_inconsistent_sales", inconsistentSales);
    Gauge.builder("seckill_order_retry_waiting", waitingToRetry, AtomicInteger::get)
        .description("work (a delivery, a publish) paused now before its next attempt; stays up through an outage")
        .register(registry);
    Gauge.builder("seckill_order_retry_longest_attempts", longestRetry, LongAccumulator::get)
        .description("most attempts one piece of work has needed since the worker started")
        .register(registry);
    Gauge.builder("seckill_dead_letters_unreplayed", unreplayedDeadLetters, AtomicLong::get)
        .description("dead letters recorded in MySQL and not replayed (from every service)")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void persisted(int orders, int duplicateOrders) {
    persisted.increment(orders);
    duplicates.increment(duplicateOrders);
    if (orders > 0) {
      batchSize.record(orders);
    }
  }

  /** A guarded update found another writer first; {@code table} is sale or orders. */
  public void versionConflict(String table) {
    registry.counter("seckill_version_conflicts", "table", table).increment();
  }

  public void cancelled() {
    cancelled.increment();
  }

  public void tombstone() {
    tombstones.increment();
  }

  /** A payment-timeout message was applied; {@code outcome} is what it found (PAID, CANCELLED…). */
  public void timeoutApplied(String outcome) {
    registry.counter("seckill_order_timeouts", "outcome", outcome).increment();
  }

  public void paid() {
    paid.increment();
  }

  /**
   * Creates the recorded-dead-letter counters of {@code sources} at zero, one per reason this
   * worker gives. Prometheus sees a counter that is born at 1 as having no increase, so the first
   * dead letter of a source and reason would never fire the alert; a series that was there at 0
   * before shows it. Same name and tag keys as {@link #deadLetterRecorded}: Prometheus refuses
   * one name with two sets of tag keys.
   */
  public void expectDeadLetters(List<String> sources) {
    for (String source : sources) {
      for (DeadLetterReason reason : DeadLetterReason.values()) {
        registry.counter("seckill_dead_letters", "source", source, "reason", reason.name());
      }
    }
  }

  /** This worker sent a message of {@code topic} to the dead-letter topic. */
  public void deadLettered(String topic, String reason) {
    registry.counter("seckill_dead_letters_sent", "topic", topic, "reason", reason).increment();
  }

  /**
   * A dead letter from any service was recorded in MySQL ({@code seckill_dead_letters_total}).
   * {@code reason} is a short code, so the series stay few.
   */
  public void deadLetterRecorded(String source, String reason) {
    registry.counter("seckill_dead_letters", "source", source, "reason", reason).increment();
  }

  public void unreplayedDeadLetters(long count) {
    unreplayedDeadLetters.set(count);
  }

  /** Attempt {@code attempt} of {@code work} failed for a reason that can pass; it will be tried again. */
  public void retry(String work, int attempt) {
    registry.counter("seckill_order_retries", "work", work).increment();
    longestRetry.accumulate(attempt + 1L);
  }

  public void waitingToRetry(int delta) {
    waitingToRetry.addAndGet(delta);
  }

  /** A sweep pass ended; {@code reissued} timers of orders still awaiting payment past their grace were sent again. */
  public void sweepPass(int reissued) {
    registry.counter("seckill_order_sweep_passes").increment();
    registry.counter("seckill_order_sweep_reissued").increment(reissued);
  }

  public void releasePublished() {
    registry.counter("seckill_stock_releases_published").increment();
  }

  public void reconciliationMismatch() {
    reconciliationMismatches.increment();
  }

  public void inconsistentSales(long count) {
    inconsistentSales.set(count);
  }

  /** Messages on the broker not yet consumed by {@code group}, as the consumer last saw it. */
  public void lag(String group, Supplier<Number> lag) {
    Gauge.builder("seckill_consumer_lag", lag, s -> s.get().doubleValue())
        .description("messages behind, over the queues this instance owns")
        .tag("group", group).strongReference(true).register(registry);
  }

  public double versionConflicts() {
    return registry.find("seckill_version_conflicts").counters().stream().mapToDouble(Counter::count).sum();
  }
}
