package io.seckill.order.sale;

import io.seckill.order.Database;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/** Takes {@link SaleSnapshot}s from MySQL. Blocking. */
public final class SaleSnapshots {

  private final Database database;
  private final Clock clock;

  public SaleSnapshots(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * The sale row, its live orders and its holdings from one read view. The pool runs READ
   * COMMITTED, where each SELECT sees its own moment: a creation committed between two of them
   * would count its units in the holdings but not in {@code available}, and a restore built on
   * that would sell them twice. REPEATABLE READ gives the whole transaction the view of its first
   * read; the pool puts the connection's level back when it is returned.
   */
  public Optional<SaleSnapshot> take(String saleId) {
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
}
