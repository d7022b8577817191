package io.seckill.order.creation;

import io.seckill.contracts.OrderMessage;
import io.seckill.order.Database;
import io.seckill.order.SqlFailures;
import io.seckill.order.WorkerMetrics;
import io.seckill.order.order.OrderMapper;
import io.seckill.order.order.OrderRow;
import io.seckill.order.order.OrderStatus;
import io.seckill.order.sale.SaleMapper;
import io.seckill.order.sale.SaleStock;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.SqlSession;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Persists the orders of one sale in one transaction: the ids already in MySQL are duplicates
 * (success), the rest are inserted with one multi-row INSERT, and the sale's stock moves once,
 * guarded by its version. A concurrent writer (another worker process, a timeout) makes the
 * version stale or races an insert: the transaction rolls back and is tried again at once, on
 * fresh rows, a bounded number of times. Within one process the caller holds the sale's lock
 * ({@link GroupCommit}), so the rival is another process that has just committed, and nothing
 * here sleeps while that lock is held: when the races go on, {@link Contended} is thrown and the
 * caller backs off without the lock. Blocking.
 */
public final class OrderBatches {

  static final int BATCH_ATTEMPTS = 4;
  static final int SINGLE_ATTEMPTS = 8;

  private final Database database;
  private final Clock clock;
  private final WorkerMetrics metrics;

  public OrderBatches(Database database, Clock clock, WorkerMetrics metrics) {
    this.database = database;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Persists {@code orders}, all of sale {@code saleId}, in as few transactions as races allow,
   * and returns one outcome per order id.
   *
   * @throws Contended when the orders still lose races after the bounded attempts
   * @throws RuntimeException when the database fails
   */
  public Map<String, BatchOutcome> persist(String saleId, List<OrderMessage> orders) {
    List<OrderMessage> unique = distinctSorted(orders);
    BatchOutcome whole = attempt(saleId, unique, BATCH_ATTEMPTS);
    Map<String, BatchOutcome> outcomes;
    if (!(whole instanceof BatchOutcome.NotEnoughStock && unique.size() > 1)) {
      outcomes = everyOrder(unique, whole);
    } else {
      // The batch does not fit as a whole: one by one, so that each order that fits is
      // persisted and only what cannot be applied is reported.
      outcomes = new LinkedHashMap<>();
      for (OrderMessage order : unique) {
        outcomes.put(order.orderId(), attempt(saleId, List.of(order), SINGLE_ATTEMPTS));
      }
    }
    // the same order twice in one delivery: counted once it is known what the first one came to
    metrics.persisted(0, orders.size() - unique.size());
    return outcomes;
  }

  /**
   * The first attempt inserts without looking for the ids first: on a backlog nearly every order
   * is new. A duplicate key (a redelivery, a timeout's tombstone) rolls it back, and the next
   * attempt looks them up and inserts only the new ones.
   *
   * @throws Contended when every attempt lost a race
   */
  private BatchOutcome attempt(String saleId, List<OrderMessage> orders, int attempts) {
    boolean lookUp = false;
    for (int i = 1; i <= attempts; i++) {
      boolean lookUpNow = lookUp;
      try {
        BatchOutcome outcome = database.inBatchTransaction(session -> persistOnce(session, saleId, orders, lookUpNow));
        if (outcome instanceof BatchOutcome.Persisted persisted) {
          metrics.persisted(persisted.inserted(), persisted.duplicates());
        }
        return outcome;
      } catch (NoSuchSale e) {
        // rolled back with its inserts
        return new BatchOutcome.UnknownSale();
      } catch (NotEnough e) {
        // rolled back with its inserts: report it, nothing changed
        return new BatchOutcome.NotEnoughStock(e.available, e.asked);
      } catch (StaleVersion e) {
        metrics.versionConflict("sale");
      } catch (PersistenceException e) {
        if (!SqlFailures.isRace(e)) {
          throw e;
        }
        boolean firstDuplicate = !lookUp && SqlFailures.isDuplicate(e);
        lookUp = true;
        if (!firstDuplicate) {
          // a duplicate on the first attempt is no race: some orders are already in MySQL
          metrics.versionConflict("orders");
        }
      }
    }
    throw new Contended(saleId, orders.size(), attempts);
  }

  /** In a BATCH session: the inserts go out as one statement when {@code findStock} runs. */
  private BatchOutcome persistOnce(SqlSession session, String saleId, List<OrderMessage> orders, boolean lookUp) {
    SaleMapper sales = session.getMapper(SaleMapper.class);
    OrderMapper orderRows = session.getMapper(OrderMapper.class);
    // a tombstone left by an early timeout is found here too: its late creation does nothing
    Set<String> existing = lookUp
        ? new HashSet<>(orderRows.findExisting(orders.stream().map(OrderMessage::orderId).toList()))
        : Set.of();
    Instant now = clock.instant();
    List<OrderRow> fresh = new ArrayList<>();
    int units = 0;
    for (OrderMessage order : orders) {
      if (!existing.contains(order.orderId())) {
        fresh.add(new OrderRow(order.orderId(), saleId, order.userId(), order.quantity(),
            OrderStatus.AWAITING_PAYMENT, 0, Instant.ofEpochMilli(order.reservedAt()),
            Instant.ofEpochMilli(order.expiresAt()), null, null));
        units += order.quantity();
      }
    }
    if (fresh.isEmpty()) {
      return new BatchOutcome.Persisted(0, orders.size());
    }
    fresh.forEach(orderRows::insert);
    // The version is read as late as possible, right before the guarded update, so that the
    // window in which another writer can move the row is one round trip, not the whole insert.
    // This select also sends the queued inserts: a duplicate key fails here.
    SaleStock stock = sales.findStock(saleId);
    if (stock == null) {
      throw new NoSuchSale();
    }
    if (stock.available() < units) {
      throw new NotEnough(stock.available(), units);
    }
    sales.take(saleId, units, stock.version(), now);
    List<BatchResult> sent = session.flushStatements();
    if (sent.size() != 1 || sent.get(0).getUpdateCounts()[0] != 1) {
      throw new StaleVersion();
    }
    return new BatchOutcome.Persisted(fresh.size(), orders.size() - fresh.size());
  }

  /**
   * Another process kept moving the sale's row between our read and our guarded update. It can
   * pass: the caller tries again later, after a pause taken without the sale's lock.
   */
  public static final class Contended extends IllegalStateException {
    Contended(String saleId, int orders, int attempts) {
      super(orders + " order(s) of sale " + saleId + " lost a race on each of " + attempts + " attempts");
    }
  }

  /** MySQL has no such sale: roll the inserts back. */
  private static final class NoSuchSale extends RuntimeException {
    NoSuchSale() {
      super(null, null, false, false);
    }
  }

  /** The new orders hold more units than MySQL has left: roll the inserts back. */
  private static final class NotEnough extends RuntimeException {
    private final int available;
    private final int asked;

    NotEnough(int available, int asked) {
      super(null, null, false, false);
      this.available = available;
      this.asked = asked;
    }
  }

  /** Same order twice in one batch is a duplicate too; sorted ids make every writer lock rows in one order. */
  private static List<OrderMessage> distinctSorted(List<OrderMessage> orders) {
    Map<String, OrderMessage> byId = new LinkedHashMap<>();
    for (OrderMessage order : orders) {
      byId.putIfAbsent(order.orderId(), order);
    }
    List<OrderMessage> unique = new ArrayList<>(byId.values());
    unique.sort(Comparator.comparing(OrderMessage::orderId));
    return unique;
  }

  private static Map<String, BatchOutcome> everyOrder(List<OrderMessage> orders, BatchOutcome outcome) {
    Map<String, BatchOutcome> outcomes = new LinkedHashMap<>();
    orders.forEach(order -> outcomes.put(order.orderId(), outcome));
    return outcomes;
  }
}
