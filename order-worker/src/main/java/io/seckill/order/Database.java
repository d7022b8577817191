package io.seckill.order;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.seckill.order.deadletter.DeadLetterMapper;
import io.seckill.order.order.OrderMapper;
import io.seckill.order.sale.SaleMapper;
import io.seckill.order.sale.SaleSnapshotMapper;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The worker's MySQL: a HikariCP pool, the schema migrated by Flyway on start, and MyBatis
 * sessions over it. Every call blocks: callers run it on a worker thread, never an event loop.
 */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final SqlSessionFactory sessions;

  private Database(HikariDataSource dataSource, SqlSessionFactory sessions) {
    this.dataSource = dataSource;
    this.sessions = sessions;
  }

  /** Opens the pool and migrates the schema (Flyway takes a lock, so concurrent starts are safe). */
  public static Database open(MysqlConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.jdbcUrl());
    hikari.setUsername(config.user());
    hikari.setPassword(config.password());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setPoolName("order-worker");
    // Optimistic locking re-reads after a conflict: it must see the other transaction's commit.
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hikari.setAutoCommit(true);
    hikari.setConnectionTimeout(5_000);
    hikari.setInitializationFailTimeout(10_000);
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      Flyway.configure().dataSource(config.migrationUrl(), config.user(), config.password())
          .locations("classpath:db/migration").load().migrate();
      Configuration mybatis = new Configuration(
          new Environment("order-worker", new JdbcTransactionFactory(), dataSource));
      mybatis.getTypeHandlerRegistry().register(java.time.Instant.class, new UtcInstants());
      mybatis.addMapper(SaleMapper.class);
      mybatis.addMapper(OrderMapper.class);
      mybatis.addMapper(SaleSnapshotMapper.class);
      mybatis.addMapper(DeadLetterMapper.class);
      return new Database(dataSource, new SqlSessionFactoryBuilder().build(mybatis));
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * Runs {@code work} in one transaction and commits; any exception rolls it back and propagates.
   */
  public <T> T inTransaction(Function<SqlSession, T> work) {
    try (SqlSession session = sessions.openSession(false)) {
      T result = work.apply(session);
      session.commit(true);
      return result;
    }
  }

  /**
   * As {@link #inTransaction}, in a {@code BATCH} session: inserts and updates are queued and sent
   * together when a select runs or {@link SqlSession#flushStatements()} is called, so their counts
   * come from the flush, not from the mapper calls.
   */
  public <T> T inBatchTransaction(Function<SqlSession, T> work) {
    try (SqlSession session = sessions.openSession(ExecutorType.BATCH, false)) {
      T result = work.apply(session);
      session.commit(true);
      return result;
    }
  }

  /** Runs a read outside any explicit transaction. */
  public <T> T read(Function<SqlSession, T> work) {
    try (SqlSession session = sessions.openSession(true)) {
      return work.apply(session);
    }
  }

  /**
   * Returns once the pool hands out a connection (checked alive by the pool), waiting at most the
   * pool's connection timeout; throws when it does not. Holds nothing while it waits.
   */
  public void awaitConnection() throws SQLException {
    try (Connection ignored = dataSource.getConnection()) {
      // borrowed and given back: the pool has a live connection now
    }
  }

  /** Whether a connection answers within two seconds (readiness). */
  public boolean isReachable() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
