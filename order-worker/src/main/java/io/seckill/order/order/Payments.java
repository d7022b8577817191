package io.seckill.order.order;

import io.seckill.order.Database;
import io.seckill.order.WorkerMetrics;

import java.time.Clock;
import java.time.Instant;

/**
 * Pays orders. Payment and the timeout's cancellation are both guarded updates on status
 * {@code AWAITING_PAYMENT} with the version check, so exactly one of them wins a race. Blocking.
 */
public final class Payments {

  private static final int MAX_ATTEMPTS = 5;

  private final Database database;
  private final Clock clock;
  private final WorkerMetrics metrics;

  public Payments(Database database, Clock clock, WorkerMetrics metrics) {
    this.database = database;
    this.clock = clock;
    this.metrics = metrics;
  }

  public OrderRow find(String orderId) {
    return database.read(s -> s.getMapper(OrderMapper.class).find(orderId));
  }

  public PayResult pay(String orderId, String userId) {
    for (int attempt = 1; ; attempt++) {
      OrderRow order = find(orderId);
      if (order == null || !order.userId().equals(userId)) {
        return new PayResult.NotFound();
      }
      Instant now = clock.instant();
      switch (order.status()) {
        case PAID:
          return new PayResult.Paid(order);
        case CANCELLED:
          return new PayResult.Expired(order);
        default:
          break;
      }
      // past its window the timeout message is on its way and will cancel it
      if (!now.isBefore(order.expiresAt())) {
        return new PayResult.Expired(order);
      }
      int updated = database.inTransaction(s -> s.getMapper(OrderMapper.class).markPaid(orderId, order.version(), now));
      if (updated == 1) {
        metrics.paid();
        return new PayResult.Paid(find(orderId));
      }
      metrics.versionConflict("orders");
      if (attempt >= MAX_ATTEMPTS) {
        throw new IllegalStateException("order " + orderId + " kept changing under " + MAX_ATTEMPTS + " payment attempts");
      }
    }
  }
}
