package io.seckill.order.sale;

import io.seckill.contracts.SaleDefinition;
import io.seckill.order.Database;
import io.seckill.order.order.OrderMapper;
import io.seckill.order.order.StatusUnits;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The MySQL record of sales: creation (idempotent for an identical definition), reads, and the
 * {@link SaleSnapshot}s a restore rebuilds Redis from. Blocking.
 */
public final class Sales {

  private final Database database;
  private final Clock clock;

  public Sales(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Inserts the sale unless one with its id exists; the caller checked whole-second windows. */
  public CreateOutcome create(SaleDefinition requested) {
    SaleDefinition sale = atStoredPrecision(requested);
    try {
      database.inTransaction(s -> s.getMapper(SaleMapper.class).insert(SaleRow.fresh(sale, clock.instant())));
      return CreateOutcome.CREATED;
    } catch (PersistenceException e) {
      if (!(e.getCause() instanceof SQLIntegrityConstraintViolationException)) {
        throw e;
      }
      SaleRow existing = database.read(s -> s.getMapper(SaleMapper.class).find(sale.id()));
      return existing != null && existing.definition().equals(sale) ? CreateOutcome.IDENTICAL : CreateOutcome.DIFFERENT;
    }
  }

  public List<SaleDefinition> notEnded() {
    Instant now = clock.instant();
    return database.read(s -> s.getMapper(SaleMapper.class).findNotEnded(now)).stream()
        .map(SaleRow::definition).toList();
  }

  public Optional<SaleTotals> totals(String saleId) {
    return database.read(s -> {
      SaleRow sale = s.getMapper(SaleMapper.class).find(saleId);
      if (sale == null) {
        return Optional.empty();
      }
      List<StatusUnits> units = s.getMapper(OrderMapper.class).unitsByStatus(saleId);
      return Optional.of(new SaleTotals(sale, units));
    });
  }

  /**
   * The sale row, its live orders and its holdings from one read view. The pool runs READ
   * COMMITTED, where each SELECT sees its own moment: a creation committed between two of them
   * would count its units in the holdings but not in {@code available}, and a restore built on
   * that would sell them twice. REPEATABLE READ gives the whole transaction the view of its first
   * read; the pool puts the connection's level back when it is returned.
   */
  public Optional<SaleSnapshot> snapshot(String saleId) {
    return database.inTransaction(session -> {
      oneReadView(session);
      SaleRow sale = session.getMapper(SaleMapper.class).find(saleId);
      if (sale == null) {
        return Optional.empty();
      }
      SaleSnapshotMapper live = session.getMapper(SaleSnapshotMapper.class);
      return Optional.of(new SaleSnapshot(sale, live.liveOrders(saleId), live.holdings(saleId), clock.instant()));
    });
  }

  private static void oneReadView(SqlSession session) {
    try {
      session.getConnection().setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    } catch (SQLException e) {
      throw new PersistenceException("cannot open a repeatable-read transaction", e);
    }
  }

  /** DATETIME(3) keeps milliseconds: compare and store at that precision so a replay is identical. */
  private static SaleDefinition atStoredPrecision(SaleDefinition sale) {
    return new SaleDefinition(sale.id(), sale.item(), sale.stock(), sale.perUserLimit(),
        sale.startsAt().truncatedTo(ChronoUnit.MILLIS), sale.endsAt().truncatedTo(ChronoUnit.MILLIS),
        sale.paymentWindow(), sale.botDefense());
  }
}
