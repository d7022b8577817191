package io.seckill.order.timeout;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.Database;
import io.seckill.order.SqlFailures;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.order.OrderMapper;
import io.seckill.order.order.OrderRow;
import io.seckill.order.order.OrderStatus;
import io.seckill.order.sale.SaleLocks;
import io.seckill.order.sale.SaleMapper;
import io.seckill.order.sale.SaleStock;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Cancels an order whose payment window ended. The order's status change and the sale's stock
 * change commit together, each guarded by its version; a lost race (a payment, a creation, another
 * cancellation) rolls back and the decision is taken again at once on fresh rows, under the sale's
 * lock, which is taken once and never held across a pause. Blocking.
 */
public final class Cancellations {

  private static final int MAX_ATTEMPTS = 8;

  private final Database database;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final SaleLocks locks;

  public Cancellations(Database database, Clock clock, WorkerMetrics metrics, SaleLocks locks) {
    this.database = database;
    this.clock = clock;
    this.metrics = metrics;
    this.locks = locks;
  }

  /**
   * @throws IllegalStateException when every attempt lost a race (it can pass: try again later)
   * @throws RuntimeException when the database fails
   */
  public TimeoutOutcome expire(OrderMessage order) {
    TimeoutOutcome outcome = locks.withSale(order.saleId(), () -> expireUnderLock(order));
    if (outcome == TimeoutOutcome.CANCELLED) {
      metrics.cancelled();
    } else if (outcome == TimeoutOutcome.CANCELLED_BEFORE_CREATION) {
      metrics.tombstone();
      metrics.cancelled();
    }
    return outcome;
  }

  private TimeoutOutcome expireUnderLock(OrderMessage order) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        return database.inTransaction(session -> expireOnce(session, order));
      } catch (LostRace e) {
        metrics.versionConflict(e.table);
      } catch (PersistenceException e) {
        if (!SqlFailures.isRace(e)) {
          throw e;
        }
        metrics.versionConflict("orders");
      }
    }
    throw new IllegalStateException("order " + order.orderId() + " still contended after " + MAX_ATTEMPTS + " attempts");
  }

  private TimeoutOutcome expireOnce(SqlSession session, OrderMessage message) {
    OrderMapper orders = session.getMapper(OrderMapper.class);
    SaleMapper sales = session.getMapper(SaleMapper.class);
    Instant now = clock.instant();
    OrderRow order = orders.find(message.orderId());
    if (order == null) {
      if (sales.findStock(message.saleId()) == null) {
        return TimeoutOutcome.UNKNOWN_SALE;
      }
      // The creation message is late. This order never took stock in MySQL, so none is given
      // back; the tombstone makes the late creation a duplicate. A concurrent creation makes
      // this insert fail on the key: then we decide again on the created row.
      orders.insert(new OrderRow(message.orderId(), message.saleId(), message.userId(),
          message.quantity(), OrderStatus.CANCELLED, 0, Instant.ofEpochMilli(message.reservedAt()),
          Instant.ofEpochMilli(message.expiresAt()), null, now));
      return TimeoutOutcome.CANCELLED_BEFORE_CREATION;
    }
    switch (order.status()) {
      case PAID:
        return TimeoutOutcome.PAID;
      case CANCELLED:
        return TimeoutOutcome.ALREADY_CANCELLED;
      default:
        break;
    }
    if (orders.markCancelled(order.id(), order.version(), now) != 1) {
      throw new LostRace("orders");
    }
    SaleStock stock = sales.findStock(order.saleId());
    if (stock == null || sales.giveBack(order.saleId(), order.quantity(), stock.version(), now) != 1) {
      throw new LostRace("sale");
    }
    return TimeoutOutcome.CANCELLED;
  }

  private static final class LostRace extends RuntimeException {
    private final String table;

    LostRace(String table) {
      super(null, null, false, false);
      this.table = table;
    }
  }
}
